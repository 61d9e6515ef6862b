/**
 * Noisy neighbour: a quiet tenant's latency alone, then beside a noisy tenant, in the same run.
 *   tsx bench/noisy-neighbour.ts [embedded|postgres|both=both] [contacts=100000] [quietRequests=600]
 *
 * The quiet tenant (its own account and team, 200 contacts) loops GET /api/v1/me and a page of its contacts.
 * The noisy tenant imports `contacts` rows through the synchronous import route in the largest pieces the API
 * accepts, several at once, and at the same time runs pathological contact searches ('%' and '_' repeated 200
 * times, one letter, a long miss) in parallel loops. Requests the API refuses (429 over the team's cap) are
 * counted and retried after their Retry-After, as a real client would.
 *
 * Prints, per database, the quiet tenant's p50 / p99 alone and beside the noise, and their ratios (target: p99
 * at most 3x), plus what the noisy tenant got done. "postgres" uses a fresh database on BENCH_POSTGRES_ADMIN_URL's
 * server (default postgres://postgres@127.0.0.1:5432/postgres) and drops it; "embedded" uses PGlite in a temp
 * folder, as `./hopflow start` does when nothing is configured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import knex, { type Knex } from 'knex';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig, type Config } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { hashPassword } from '../lib/passwords';
import { insertUser } from '../data/users';
import { insertTeam } from '../data/teams';
import { insertMember } from '../data/members';
import { startApiServer } from '../api/server';

const modeArg = process.argv[2] ?? 'both';
const contactCount = Number(process.argv[3] ?? 100_000);
const quietRequests = Number(process.argv[4] ?? 600);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'bench password 123';

interface Figures {
  p50: number;
  p99: number;
  count: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), count: samples.length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tenant {
  auth: Record<string, string>;
  teamId: string;
}

async function tenant(db: Knex, apiUrl: string, label: string): Promise<Tenant> {
  const email = `${label}-${Date.now()}@example.com`;
  const user = await insertUser(db, { email, name: label, passwordHash: await hashPassword(PASSWORD) });
  const team = await insertTeam(db, { name: `${label} team`, personal: false, createdBy: user.id });
  await insertMember(db, team.id, user.id, 'owner');
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { auth: { authorization: `Bearer ${accessToken}` }, teamId: team.id };
}

function csv(from: number, to: number, label: string): string {
  const lines = ['Email,First Name,Last Name,Tags'];
  for (let i = from; i < to; i++)
    lines.push(`${label}${i}@example.com,First${i},Last${i},${i % 3 ? 'a' : 'b'}`);
  return lines.join('\r\n');
}

interface Tally {
  refused: number;
  done: number;
  failed: number;
}

/** Sends one request; on 429 waits for Retry-After (at least 50 ms) and tries again. */
async function persistent(send: () => Promise<Response>, tally: Tally): Promise<void> {
  for (;;) {
    let res: Response;
    try {
      res = await send();
      await res.arrayBuffer();
    } catch {
      // A kept-alive connection the server closed while its loop was busy: count it and send again.
      tally.failed++;
      continue;
    }
    if (res.status === 429 || res.status === 503) {
      tally.refused++;
      await sleep(Math.max(50, Number(res.headers.get('retry-after') ?? '0') * 1000));
      continue;
    }
    if (res.ok) tally.done++;
    else tally.failed++;
    return;
  }
}

async function quietLoop(apiUrl: string, quiet: Tenant, n: number, until?: () => boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n || (until !== undefined && !until()); i++) {
    const url =
      i % 2 === 0 ? `${apiUrl}/api/v1/me` : `${apiUrl}/api/v1/teams/${quiet.teamId}/contacts?limit=20`;
    const start = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(url, { headers: quiet.auth });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`quiet request ${url} answered ${res.status}`);
        break;
      } catch (err) {
        // A kept-alive connection the server closed while its loop was stalled: the time still counts.
        if (attempt >= 3 || !(err instanceof TypeError)) throw err;
      }
    }
    samples.push(performance.now() - start);
    // A person clicking, not a flood: the quiet tenant leaves the loop a breath between requests.
    await sleep(2);
  }
  return samples;
}

async function run(label: string, config: Config, db: Knex): Promise<void> {
  await migrateLatest(db);
  const kv = await createKeyValue(config);
  const api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal: null });
  try {
    const quiet = await tenant(db, api.url, 'quiet');
    const noisy = await tenant(db, api.url, 'noisy');
    const json = { 'content-type': 'text/csv' };
    const seed = await fetch(`${api.url}/api/v1/teams/${quiet.teamId}/contacts/import`, {
      method: 'POST',
      headers: { ...quiet.auth, ...json },
      body: csv(0, 200, 'quiet'),
    });
    if (!seed.ok) throw new Error(`seeding the quiet team answered ${seed.status}`);

    // Warm up, then the quiet tenant alone.
    await quietLoop(api.url, quiet, 50);
    const alone = figures(await quietLoop(api.url, quiet, quietRequests));

    // The noise: imports in the biggest pieces the API takes, two at once, and three search loops.
    const piece = Number(process.env.BENCH_IMPORT_PIECE ?? 10_000);
    const imports: Tally = { refused: 0, done: 0, failed: 0 };
    const searches: Tally = { refused: 0, done: 0, failed: 0 };
    let importing = true;
    const starts: number[] = [];
    for (let from = 0; from < contactCount; from += piece) starts.push(from);
    const importer = async () => {
      for (let from = starts.shift(); from !== undefined; from = starts.shift()) {
        const body = csv(from, Math.min(contactCount, from + piece), 'noisy');
        await persistent(
          () =>
            fetch(`${api.url}/api/v1/teams/${noisy.teamId}/contacts/import`, {
              method: 'POST',
              headers: { ...noisy.auth, ...json },
              body,
            }),
          imports,
        );
      }
    };
    const patterns = ['%'.repeat(200), '_'.repeat(200), 'a', 'noisy9', 'zzzz-not-there-'.repeat(10)];
    const searcher = async (offset: number) => {
      for (let i = offset; importing; i++) {
        const q = encodeURIComponent(patterns[i % patterns.length]!);
        await persistent(
          () => fetch(`${api.url}/api/v1/teams/${noisy.teamId}/contacts?q=${q}`, { headers: noisy.auth }),
          searches,
        );
      }
    };
    const noiseStarted = performance.now();
    const importing2 = Promise.all([importer(), importer()]).finally(() => (importing = false));
    const searching = Promise.all([searcher(0), searcher(1), searcher(2)]);
    const beside = figures(await quietLoop(api.url, quiet, quietRequests, () => !importing));
    await Promise.all([importing2, searching]);
    const noiseSeconds = (performance.now() - noiseStarted) / 1000;
    // Then searches alone over the full noisy team, still beside the quiet tenant.
    importing = true;
    const afterSearching = Promise.all([searcher(0), searcher(1), searcher(2)]);
    const besideSearches = figures(await quietLoop(api.url, quiet, quietRequests));
    importing = false;
    await afterSearching;

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(`\n== ${label}`);
    console.log(
      `quiet alone:                  p50 ${ms(alone.p50)}  p99 ${ms(alone.p99)}  (${alone.count} requests)`,
    );
    for (const [name, f] of [
      ['beside import + searches', beside],
      ['beside searches (100k team)', besideSearches],
    ] as const) {
      console.log(
        `quiet ${name.padEnd(24)} p50 ${ms(f.p50)}  p99 ${ms(f.p99)}  (${f.count} requests)  ` +
          `ratio p50 ${ratio(f.p50, alone.p50)}  p99 ${ratio(f.p99, alone.p99)}  ` +
          `${f.p99 <= alone.p99 * 3 ? 'meets' : 'misses'} the 3x p99 target`,
      );
    }
    console.log(
      `noisy tenant: ${imports.done} import requests of ${piece} rows in ${noiseSeconds.toFixed(1)} s ` +
        `(${imports.refused} refused and retried, ${imports.failed} failed); ${searches.done} searches ` +
        `(${searches.refused} refused and retried, ${searches.failed} failed)`,
    );
  } finally {
    await api.close();
    await kv.close();
  }
}

async function embedded(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-noisy-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOPFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const config = benchConfig(loadConfig(env));
  const db = createDb(config);
  try {
    await run('embedded (PGlite, in-process kv)', config, db);
  } finally {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const dbName = `hopflow_bench_noisy_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-noisy-'));
  const config = benchConfig(
    loadConfig({
      ...process.env,
      DATABASE_URL: url.toString(),
      HOPFLOW_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    }),
  );
  const db = createDb(config);
  try {
    await run('PostgreSQL', config, db);
  } finally {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function benchConfig(config: Config): Config {
  config.api.port = 0;
  // The noise can run for minutes on a slow machine: the quiet tenant's one login must outlast it.
  config.auth.accessTokenTtlSeconds = 24 * 60 * 60;
  return config;
}

async function main(): Promise<void> {
  if (modeArg === 'embedded' || modeArg === 'both') await embedded();
  if (modeArg === 'postgres' || modeArg === 'both') await postgres();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
