/**
 * Contact search over one team's big list, on PostgreSQL and on PGlite (the embedded default):
 *   tsx bench/contacts-search.ts [rows=100000] [repeats=5]
 * Fills a fresh database (BENCH_POSTGRES_ADMIN_URL's server, default postgres://postgres@127.0.0.1:5432/postgres,
 * dropped afterwards; PGlite in a temporary folder) with `rows` contacts of one team, then times one search page
 * (the page and the total, as GET /teams/{teamId}/contacts?q= runs them) for a few typical terms:
 *   before  the filter as it was: ILIKE on email, first name, last name and concat_ws(first, last), no index;
 *   after   data/contact-list.ts now: one LIKE on the search text, served by the pg_trgm index.
 * Prints the median of `repeats` runs in ms, the ratio before / after, and the longest the Node event loop was
 * blocked meanwhile (PGlite runs on that thread: the API's other requests, /healthz included, wait that long).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import knex, { type Knex } from 'knex';
import { countContacts, listContacts } from '../data/contact-list';
import { containsPattern } from '../data/like';
import { createDb, migrateLatest } from '../db/connection';

const rowCount = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 5);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const terms: [string, string][] = [
  ['a full name', 'ana lopez'],
  ['part of an email', 'reader4242'],
  ['a word nobody has', 'zzyzx'],
  ['"%" typed 200 times', '%'.repeat(200)],
  ['a domain every contact has', 'example'],
];

const firstNames = ['Ana', 'John', 'Maria', 'Wei', 'Fatima', 'Lars', 'Priya', 'Kofi', 'Olga', 'Diego'];
const lastNames = ['Lopez', 'Smith', 'Garcia', 'Chen', 'Khan', 'Berg', 'Patel', 'Mensah', 'Ivanova', 'Rossi'];

/** The search as it was before the index: four ILIKEs, one of them on a non-immutable concat_ws. */
async function searchBefore(db: Knex, teamId: string, q: string): Promise<number> {
  const filter = (query: Knex.QueryBuilder) =>
    query.where('team_id', teamId).andWhere((w) =>
      w
        .whereILike('email', containsPattern(q))
        .orWhereILike('first_name', containsPattern(q))
        .orWhereILike('last_name', containsPattern(q))
        .orWhereRaw("concat_ws(' ', first_name, last_name) ilike ?", [containsPattern(q)]),
    );
  const [, [count]] = await Promise.all([
    filter(db('contacts')).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(51).select('id'),
    filter(db('contacts')).count<{ n: string }[]>('* as n'),
  ]);
  return Number(count?.n ?? 0);
}

async function searchAfter(db: Knex, teamId: string, q: string): Promise<number> {
  const [, count] = await Promise.all([
    listContacts(db, teamId, { q, limit: 50 }),
    countContacts(db, teamId, { q }),
  ]);
  return count.total;
}

/** The median time of `repeats` runs (ms) and the longest event-loop stall seen during them (ms). */
async function measure(run: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
    // Back to the event loop (a PGlite query resolves without ever yielding), so the monitor's timer fires and
    // records how late it is: how long the loop was blocked.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  loop.disable();
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] ?? 0, stallMs: loop.max / 1e6 };
}

/** The EXPLAIN of each statement the search runs (captured as knex sends them): its scan nodes. */
async function searchPlan(db: Knex, teamId: string, q: string): Promise<string[]> {
  const statements: { sql: string; bindings: Knex.RawBinding[] }[] = [];
  const record = (s: { sql: string; bindings?: Knex.RawBinding[] }) =>
    statements.push({ sql: s.sql, bindings: s.bindings ?? [] });
  db.on('query', record);
  try {
    await searchAfter(db, teamId, q);
  } finally {
    db.removeListener('query', record);
  }
  const plans: string[] = [];
  for (const { sql, bindings } of statements) {
    const { rows } = await db.raw<{ rows: { 'QUERY PLAN': string }[] }>(
      `EXPLAIN ${sql.replace(/\$\d+/g, '?')}`,
      bindings,
    );
    const scans = rows.map((r) => r['QUERY PLAN'].trim()).filter((line) => /Scan/.test(line));
    plans.push(scans.map((line) => line.replace(/^->\s*/, '').replace(/\s+\(cost.*$/, '')).join(' > '));
  }
  return plans;
}

async function benchmark(label: string, db: Knex): Promise<void> {
  const started = performance.now();
  await migrateLatest(db);
  const [team] = await db('teams').insert({ name: 'bench' }).returning<{ id: string }[]>('id');
  const [neighbour] = await db('teams').insert({ name: 'neighbour' }).returning<{ id: string }[]>('id');
  const teamId = team!.id;
  const fill = (id: string, rows: number) =>
    db.raw(
      `INSERT INTO contacts (team_id, email, first_name, last_name)
       SELECT ?::uuid, 'reader' || g || '@example.com', (?::text[])[1 + g % 10], (?::text[])[1 + (g / 10) % 10]
         FROM generate_series(1, ?::int) g`,
      [id, firstNames, lastNames, rows],
    );
  await fill(teamId, rowCount);
  await fill(neighbour!.id, Math.ceil(rowCount / 10));
  await db.raw('ANALYZE contacts');
  const { rows: indexes } = await db.raw<{ rows: { indexname: string }[] }>(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts' AND indexname LIKE 'contacts_search%'",
  );
  console.log('');
  console.log(
    `${label}: ${rowCount.toLocaleString('en-US')} contacts in one team (+${Math.ceil(rowCount / 10).toLocaleString('en-US')} in another), ` +
      `filled in ${((performance.now() - started) / 1000).toFixed(1)} s; search index: ${indexes.map((i) => i.indexname).join(', ') || 'none'}`,
  );
  console.log(
    'search                            matches   before ms    after ms   before/after   loop stall before / after ms',
  );
  console.log(
    `plan of the search for "ana lopez": ${(await searchPlan(db, teamId, 'ana lopez')).join('; ')}`,
  );
  for (const [what, q] of terms) {
    const matches = await searchAfter(db, teamId, q);
    const expected = await searchBefore(db, teamId, q);
    if (matches !== expected) {
      throw new Error(`${what}: ${matches} matches now, ${expected} before`);
    }
    const before = await measure(() => searchBefore(db, teamId, q));
    const after = await measure(() => searchAfter(db, teamId, q));
    console.log(
      `${what.padEnd(30)} ${String(matches).padStart(10)} ${before.ms.toFixed(1).padStart(11)} ${after.ms.toFixed(1).padStart(11)} ${`${(before.ms / after.ms).toFixed(1)}x`.padStart(14)} ${before.stallMs.toFixed(0).padStart(20)} / ${after.stallMs.toFixed(0)}`,
    );
  }
}

async function onPostgres(): Promise<void> {
  const dbName = `hopflow_bench_search_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  try {
    await benchmark('PostgreSQL', db);
  } finally {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.destroy();
  }
}

async function onPglite(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-search-'));
  const db = createDb({ database: { pgliteDir: path.join(dataDir, 'pglite'), poolMax: 1 } });
  try {
    await benchmark('PGlite (embedded)', db);
  } finally {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_DATABASE; // postgres | pglite; default both
  if (only !== 'pglite') await onPostgres();
  if (only !== 'postgres') await onPglite();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
