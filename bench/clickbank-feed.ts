/**
 * Marketplace feed parsing: throughput and memory, against a baseline that only downloads the zip.
 *   tsx bench/clickbank-feed.ts [sites=5200] [--url <feed zip url>]
 * Starts the ClickBank sandbox in a child process (so its generated feed is not counted) unless --url is
 * given, then runs each measurement in a fresh Node process and prints sites/s, peak heap growth and peak
 * RSS growth (process maxRSS minus RSS at start) for "download only" and "download + unzip + parse".
 */
import { spawn, execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { streamMarketplaceFeed } from '../lib/integrations/adapters/clickbank/feed';

const tsxCli = path.resolve(__dirname, '../node_modules/tsx/dist/cli.mjs');
const MB = 1024 * 1024;

interface Measurement {
  mode: string;
  ms: number;
  sites: number;
  peakHeapGrowthMB: number;
  peakRssGrowthMB: number;
}

/** Child: run one mode, sampling heapUsed, and print a Measurement as JSON. */
async function child(mode: 'download' | 'parse', url: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const startRss = process.memoryUsage().rss;
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const timer = setInterval(sample, 2);
  const started = performance.now();
  let sites = 0;
  if (mode === 'download') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cb-bench-'));
    const res = await fetch(url);
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      createWriteStream(path.join(dir, 'f.zip')),
    );
    await rm(dir, { recursive: true, force: true });
  } else {
    const summary = await streamMarketplaceFeed(url, (batch) => {
      sample();
      sites += batch.length;
      return Promise.resolve();
    });
    sites = summary.sites;
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const result: Measurement = {
    mode,
    ms,
    sites,
    peakHeapGrowthMB: (peakHeap - startHeap) / MB,
    peakRssGrowthMB: (maxRssBytes - startRss) / MB,
  };
  process.stdout.write(JSON.stringify(result));
}

async function startSandbox(sites: number): Promise<{ url: string; stop: () => void }> {
  const proc = spawn(
    process.execPath,
    [
      tsxCli,
      path.resolve(__dirname, '../sandbox/clickbank/main.ts'),
      '--port',
      '0',
      '--sites',
      String(sites),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    proc.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url: `${base}/feeds/marketplace_feed_v2.xml.zip`, stop: () => proc.kill('SIGTERM') };
}

async function runChild(mode: string, url: string): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [tsxCli, __filename, '--child', mode, '--url', url],
    {
      maxBuffer: MB,
    },
  );
  return JSON.parse(stdout) as Measurement;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const childMode = flag('--child');
  if (childMode === 'download' || childMode === 'parse') return child(childMode, flag('--url')!);

  const sites = Number(args.find((a) => /^\d+$/.test(a)) ?? 5200);
  const sandbox = flag('--url') ? undefined : await startSandbox(sites);
  const url = flag('--url') ?? sandbox!.url;
  try {
    await fetch(url).then((r) => r.arrayBuffer()); // warm the sandbox's feed cache
    const runs: Measurement[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await runChild('download', url), await runChild('parse', url));
    }
    const median = (mode: string, key: keyof Omit<Measurement, 'mode'>) => {
      const values = runs
        .filter((r) => r.mode === mode)
        .map((r) => r[key])
        .sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)]!;
    };
    console.log(`feed: ${url}`);
    console.log(
      'mode       ms      sites   sites/s   peak heap +MB   peak RSS +MB   (median of 3 fresh processes)',
    );
    for (const mode of ['download', 'parse']) {
      const ms = median(mode, 'ms');
      const count = median(mode, 'sites');
      console.log(
        `${mode.padEnd(9)} ${ms.toFixed(0).padStart(6)} ${String(count).padStart(8)} ${(count ? (count / ms) * 1000 : 0).toFixed(0).padStart(9)} ${median(mode, 'peakHeapGrowthMB').toFixed(1).padStart(15)} ${median(mode, 'peakRssGrowthMB').toFixed(1).padStart(14)}`,
      );
    }
    console.log(
      `parse - download: heap +${(median('parse', 'peakHeapGrowthMB') - median('download', 'peakHeapGrowthMB')).toFixed(1)} MB, RSS +${(median('parse', 'peakRssGrowthMB') - median('download', 'peakRssGrowthMB')).toFixed(1)} MB`,
    );
  } finally {
    sandbox?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
