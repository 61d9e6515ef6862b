/**
 * Catalog sync throughput on PostgreSQL: the real sync code (runCatalogSync, what the syncCatalog activity
 * runs) against the ClickBank sandbox serving a large feed, versus a baseline that only downloads and parses it.
 *   tsx bench/catalog-sync.ts [sites=20000]
 * Uses a fresh database on BENCH_POSTGRES_ADMIN_URL's server (default postgres://postgres@127.0.0.1:5432/postgres)
 * and drops it afterwards. Prints products/minute for a first sync (inserts) and a second one (updates).
 * Target: at least 5,000 products a minute.
 */
import knex from 'knex';
import { runCatalogSync } from '../activities/catalog';
import { streamMarketplaceFeed } from '../lib/integrations/adapters/clickbank';
import { createDb, migrateLatest } from '../db/connection';
import { startClickbankSandbox } from '../sandbox/clickbank/server';
import { getMarketplaceFeed } from '../sandbox/clickbank/feed-generator';

const sites = Number(process.argv[2] ?? 20_000);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_PER_MINUTE = 5_000;

const perMinute = (count: number, ms: number) => Math.round((count / ms) * 60_000);

async function main(): Promise<void> {
  const dbName = `hopflow_bench_catalog_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  const sandbox = await startClickbankSandbox({ feedSiteCount: sites });
  try {
    await migrateLatest(db);
    // Generate the feed before timing anything (the real feed is a static file).
    const feed = await getMarketplaceFeed(sites);
    const feedUrl = `${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`;
    console.log(
      `feed: ${feed.siteCount} sites, ${(feed.zip.length / 1024 / 1024).toFixed(1)} MB zip, ` +
        `${(feed.xmlBytes / 1024 / 1024).toFixed(1)} MB XML`,
    );

    let started = performance.now();
    const parsed = await streamMarketplaceFeed(feedUrl, () => Promise.resolve(), { batchSize: 500 });
    const parseMs = performance.now() - started;

    const rows: [string, number, number][] = [['baseline: download + parse only', parsed.sites, parseMs]];
    for (const label of ['sync 1 (empty table: inserts)', 'sync 2 (same feed: updates)']) {
      started = performance.now();
      const summary = await runCatalogSync(db, {
        feedUrl,
        workflowId: 'bench',
        runId: `${label}-${Date.now()}`,
        triggerSource: 'manual',
      });
      rows.push([label, summary.upserted, performance.now() - started]);
    }
    const history = await db('product_gravity_daily').count<{ n: string }[]>('* as n');

    console.log('');
    console.log('what                               products      seconds   products/minute');
    for (const [label, count, ms] of rows) {
      console.log(
        `${label.padEnd(34)} ${String(count).padStart(8)} ${(ms / 1000).toFixed(2).padStart(12)} ${perMinute(count, ms).toLocaleString('en-US').padStart(17)}`,
      );
    }
    const slowest = Math.min(...rows.slice(1).map(([, count, ms]) => perMinute(count, ms)));
    console.log('');
    console.log(`gravity history rows: ${history[0]?.n}`);
    console.log(
      `slowest sync: ${slowest.toLocaleString('en-US')} products/minute ` +
        `(target >= ${TARGET_PER_MINUTE.toLocaleString('en-US')}: ${slowest >= TARGET_PER_MINUTE ? 'met' : 'NOT met'})`,
    );
  } finally {
    await sandbox.close();
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
