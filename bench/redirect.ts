/**
 * Tracking-link redirect throughput: autocannon against `/r/{slug}` on the real API server (startApiServer on a
 * fresh PostgreSQL database, clicks written by its buffer) and against a bare node http server answering the
 * same 302, at 100 and 1,000 connections, measured in the same run:
 *   tsx bench/redirect.ts [seconds=5] [rounds=3]
 * Each server runs in its own child process (autocannon in this one), so neither shares a thread with the load.
 * Bare and real runs alternate for `rounds` rounds (a busy machine drifts); prints the median req/s and p99 of
 * each, the ratio real / bare (target >= 0.5x) and p99 at 100 connections (target < 20 ms); then stops the real
 * server gracefully and checks that every 302 it answered is a click row.
 * BENCH_POSTGRES_ADMIN_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) gets the scratch
 * database, dropped afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import knex from 'knex';
import { startApiServer } from '../api/server';
import { insertTeam } from '../data/teams';
import { insertUser } from '../data/users';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOPLINK = 'https://hop.clickbank.net/?affiliate=benchaff&vendor=benchvend&tid=benchcamp1';
const HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  referer: 'https://www.youtube.com/watch?v=bench',
};

/** Child: the real API server on the given database; prints its URL, and its click stats when stopped. */
async function serveReal(databaseUrl: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-redirect-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOPFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  const config = loadConfig(env);
  config.api.port = 0; // any free port
  const db = createDb(config);
  const kv = await createKeyValue(config);
  const api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal: null });
  process.stdout.write(JSON.stringify({ url: api.url }) + '\n');
  process.once('SIGTERM', () => {
    void api.close().then(async () => {
      process.stdout.write(JSON.stringify({ stats: api.redirect.stats() }) + '\n');
      await Promise.allSettled([db.destroy(), kv.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** Child: the baseline, a bare node server answering every request with the 302 the real one sends. */
function serveBare(): void {
  const location = HOPLINK.replace('tid=benchcamp1', 'tid=benchcamp100000rs');
  const server = http.createServer((_req, res) => {
    res.writeHead(302, {
      Location: location,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'Content-Length': '0',
    });
    res.end();
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
  });
  process.once('SIGTERM', () => {
    process.stdout.write(JSON.stringify({ stats: null }) + '\n');
    process.exit(0);
  });
}

interface Child {
  url: string;
  process: ChildProcess;
  lines: AsyncIterator<string>;
}

async function child(...args: string[]): Promise<Child> {
  // `--import tsx` rather than the tsx CLI: the CLI's own process would sit between the signal and the server.
  const proc = spawn(process.execPath, ['--import', 'tsx', __filename, ...args], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`${args[0]} exited before listening`);
  return { url: (JSON.parse(first.value) as { url: string }).url, process: proc, lines };
}

async function stop(c: Child): Promise<unknown> {
  c.process.kill('SIGTERM');
  // Log lines (warnings) may come first: the stats line is the one that says so.
  for (let line = await c.lines.next(); !line.done; line = await c.lines.next()) {
    if (line.value.startsWith('{"stats"')) return (JSON.parse(line.value) as { stats: unknown }).stats;
    process.stderr.write(`  [server] ${line.value}\n`);
  }
  return null;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  answered: number;
  errors: number;
  wrong: number;
}

async function load(url: string, connections: number, duration: number): Promise<Run> {
  const r = await autocannon({ url, connections, duration, headers: HEADERS, timeout: 10 });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    answered: r['3xx'],
    errors: r.errors + r.timeouts,
    wrong: r['4xx'] + r['5xx'],
  };
}

/** The median run by throughput, with the median p50/p99 of all runs (the counts are summed). */
function median(runs: Run[]): Run {
  const mid = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[xs.length >> 1]!;
  return {
    rps: mid(runs, (r) => r.rps).rps,
    p50: mid(runs, (r) => r.p50).p50,
    p99: mid(runs, (r) => r.p99).p99,
    answered: runs.reduce((s, r) => s + r.answered, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    wrong: runs.reduce((s, r) => s + r.wrong, 0),
  };
}

const fmt = (r: Run) =>
  `${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99
    .toFixed(1)
    .padStart(6)} ms  (302s ${r.answered}, errors ${r.errors}, 4xx/5xx ${r.wrong})`;

async function main(): Promise<void> {
  const dbName = `hopflow_bench_redirect_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 2, pgliteDir: '' } });
  let real: Child | null = null;
  let bare: Child | null = null;
  try {
    await migrateLatest(db);
    const user = await insertUser(db, { email: 'bench@example.com', name: 'Bench', passwordHash: 'x' });
    const team = await insertTeam(db, { name: 'Bench team', personal: true, createdBy: user.id });
    const [campaign] = await db('campaigns')
      .insert({ team_id: team.id, name: 'Bench campaign', tid: 'benchcamp1', hoplink: HOPLINK })
      .returning<{ id: string }[]>('id');
    const { slug } = await db('tracking_links')
      .where({ campaign_id: campaign!.id })
      .first<{ slug: string }>('slug');

    real = await child('serve-real', url.toString());
    bare = await child('serve-bare');
    const target = (c: Child) => `${c.url}/r/${slug}?s1=bench&s2=ad7`;
    console.log(
      `redirect bench: ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}`,
    );
    const realRuns: Run[] = [];
    for (const connections of [100, 1000]) {
      // Warm both (JIT, link cache, sockets) before measuring.
      await load(target(bare), connections, 2);
      realRuns.push(await load(target(real), connections, 2));
      const bares: Run[] = [];
      const reals: Run[] = [];
      for (let i = 0; i < rounds; i++) {
        bares.push(await load(target(bare), connections, seconds));
        reals.push(await load(target(real), connections, seconds));
      }
      realRuns.push(...reals);
      const b = median(bares);
      const r = median(reals);
      console.log(`\n${connections} connections (median of ${rounds} alternating runs of ${seconds} s)`);
      console.log(`  bare node 302   ${fmt(b)}`);
      console.log(`  /r/{slug}       ${fmt(r)}`);
      console.log(`  ratio           ${(r.rps / b.rps).toFixed(2)}x the bare server's throughput`);
      if (connections === 100) {
        console.log(
          `  target          >= 0.5x: ${r.rps / b.rps >= 0.5 ? 'met' : 'MISSED'}; p99 < 20 ms: ${r.p99 < 20 ? 'met' : 'MISSED'}`,
        );
      }
    }
    const stats = (await stop(real)) as { written: number; dropped: number; pending: number };
    real = null;
    // autocannon stops counting at the deadline with requests still in flight: the server may have answered
    // (and recorded) a few more than it counted, never fewer.
    const answered = realRuns.reduce((s, r) => s + r.answered, 0);
    const stored = await db('analytics_events')
      .where({ type: 'click' })
      .count('* as count')
      .first<{ count: string }>();
    const rows = Number(stored.count);
    console.log(`\nclicks after a graceful stop of the real server:`);
    console.log(`  302s counted by autocannon ${answered}, written by the buffer ${stats.written},`);
    console.log(`  dropped ${stats.dropped}, click rows in PostgreSQL ${rows}`);
    const ok = rows === stats.written && stats.dropped === 0 && rows >= answered;
    console.log(`  ${ok ? 'none lost' : 'CLICKS LOST'}`);
  } finally {
    if (real) await stop(real);
    if (bare) await stop(bare);
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
}

const mode = process.argv[2];
if (mode === 'serve-real') {
  void serveReal(process.argv[3]!);
} else if (mode === 'serve-bare') {
  serveBare();
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
