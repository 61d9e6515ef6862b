/**
 * Products API latency on a 10,000-product catalog, against a /healthz baseline on the same server:
 *   tsx bench/products-search.ts [requests=200] [sites=10000]
 * Syncs the catalog from the ClickBank sandbox with the real sync code into a fresh PostgreSQL database
 * (BENCH_POSTGRES_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres; dropped afterwards), starts
 * the API and times typical searches over HTTP. Prints p50 / p95 in ms. Target: p95 under 50 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import { runCatalogSync } from '../activities/catalog';
import { startApiServer } from '../api/server';
import { createDb, migrateLatest } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { startClickbankSandbox } from '../sandbox/clickbank/server';
import { registerConfirmed, startMailSandbox } from './registration';

const count = Number(process.argv[2] ?? 200);
const sites = Number(process.argv[3] ?? 10_000);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_P95_MS = 50;

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

async function measure(n: number, url: (i: number) => string, headers: Record<string, string> = {}) {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await fetch(url(i), { headers });
    const body = (await res.json()) as { products?: unknown[] };
    if (!res.ok) throw new Error(`${url(i)} answered ${res.status}: ${JSON.stringify(body)}`);
    samples.push(performance.now() - start);
    rows += body.products?.length ?? 0;
  }
  return { ...summarize(samples), avgRows: rows / n };
}

async function main(): Promise<void> {
  const dbName = `hopflow_bench_products_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    HOPFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  config.api.port = 0;
  const db = createDb(config);
  const sandbox = await startClickbankSandbox({ feedSiteCount: sites });
  const mail = await startMailSandbox(config);
  const kv = await createKeyValue(config);
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  try {
    await migrateLatest(db);
    const synced = await runCatalogSync(db, {
      feedUrl: `${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`,
      workflowId: 'bench',
      runId: String(Date.now()),
      triggerSource: 'manual',
    });
    await db.raw('ANALYZE products');
    api = await startApiServer({ config, db, logger: createLogger(config, 'bench'), kv, temporal: null });
    const base = `${api.url}/api/v1`;
    const session = await registerConfirmed(base, mail.url, {
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password 123',
      name: 'B',
    });
    const auth = { authorization: `Bearer ${session.accessToken}` };

    // Real words and categories from the synced catalog, so every search finds something.
    const words = (
      await db.raw<{ rows: { word: string }[] }>(
        `SELECT word FROM ts_stat('SELECT search_vector FROM products') WHERE length(word) > 4
         ORDER BY ndoc DESC OFFSET 20 LIMIT 10`,
      )
    ).rows.map((r) => r.word);
    const categories = (
      await db.raw<{ rows: { name: string }[] }>(
        'SELECT DISTINCT category_path[1] AS name FROM products ORDER BY 1',
      )
    ).rows.map((r) => r.name);
    const pick = <T>(list: T[], i: number): T => list[i % list.length]!;
    const firstPage = (await (await fetch(`${base}/products?limit=24`, { headers: auth })).json()) as {
      nextCursor: string;
    };

    const cases: [string, (i: number) => string][] = [
      ['GET /products (default: gravity desc)', () => `${base}/products`],
      ['GET /products?q=<word>', (i) => `${base}/products?q=${encodeURIComponent(pick(words, i))}`],
      [
        'GET /products?q=<two words>',
        (i) => `${base}/products?q=${encodeURIComponent(`${pick(words, i)} ${pick(words, i + 3)}`)}`,
      ],
      [
        'GET /products?category=<top>',
        (i) => `${base}/products?category=${encodeURIComponent(pick(categories, i))}`,
      ],
      [
        'GET /products?q=&category=&sort=avg_earnings',
        (i) =>
          `${base}/products?q=${encodeURIComponent(pick(words, i))}&category=${encodeURIComponent(pick(categories, i))}&sort=avg_earnings`,
      ],
      ['GET /products?sort=avg_earnings', () => `${base}/products?sort=avg_earnings`],
      ['GET /products?sort=commission', () => `${base}/products?sort=commission`],
      ['GET /products?sort=title&order=asc', () => `${base}/products?sort=title&order=asc`],
      ['GET /products page 2 (cursor)', () => `${base}/products?limit=24&cursor=${firstPage.nextCursor}`],
      ['GET /products/categories', () => `${base}/products/categories`],
    ];

    console.log(`catalog: ${synced.upserted} products synced; ${count} requests per line`);
    console.log('');
    console.log('request                                          p50 ms   p95 ms   rows/page');
    // Warm up (JIT, connection pool, PostgreSQL caches) so the first lines are not penalised.
    await measure(50, () => `${api!.url}/healthz`);
    for (const [, url] of cases) await measure(20, url, auth);
    const baseline = await measure(count, () => `${api!.url}/healthz`);
    const line = (label: string, r: { p50: number; p95: number; avgRows: number }, rows = true) =>
      console.log(
        `${label.padEnd(46)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${rows ? r.avgRows.toFixed(1).padStart(11) : ''}`,
      );
    line('GET /healthz (baseline)', baseline, false);
    let worst = 0;
    for (const [label, url] of cases) {
      const r = await measure(count, url, auth);
      worst = Math.max(worst, r.p95);
      line(label, r, !label.includes('categories'));
    }
    console.log('');
    console.log(
      `worst p95: ${worst.toFixed(2)} ms (target < ${TARGET_P95_MS} ms: ${worst < TARGET_P95_MS ? 'met' : 'NOT met'})`,
    );
  } finally {
    await api?.close();
    await Promise.allSettled([kv.close(), sandbox.close(), mail.close()]);
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
