/**
 * Click ingest: one million clicks through the redirect's click buffer (api/redirect/click-buffer.ts) into a fresh
 * PostgreSQL database by writeClicks, as the redirect writes them (batches of CLICK_BATCH_SIZE, one writer):
 *   tsx bench/click-ingest.ts [clicks=1000000] [batchSize=1000]
 * The clicks are spread over 3 teams and 12 campaigns with varied sources, sub-ids, devices, countries and
 * referrers; a third of them repeat an earlier visitor, one in twenty is a bot. They are pushed as fast as the
 * buffer takes them (the pusher waits while more than half the buffer's cap is held, so none is dropped).
 * Prints rows per second, then checks that the raw rows and the rollups both hold exactly what went in.
 * BENCH_POSTGRES_ADMIN_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) gets the scratch
 * database, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import knex from 'knex';
import pino from 'pino';
import { createClickBuffer } from '../api/redirect/click-buffer';
import { DEVICES, writeClicks, type ClickRecord } from '../data/analytics';
import { insertTeam } from '../data/teams';
import { insertUser } from '../data/users';
import { createDb, migrateLatest } from '../db/connection';
import { encodeClickId } from '../lib/analytics/tid';

const total = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 1000);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BUFFER_MAX = 200_000;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const sources = ['direct', 'youtube', 'newsletter', 'facebook', 'email', 'content'];
const countries = ['US', 'GB', 'DE', 'CA', 'AU', 'IN', null];
const referrers = ['youtube.com', 'facebook.com', 'google.com', 't.co', null, null];
const browsers = ['Chrome', 'Safari', 'Firefox', 'Microsoft Edge', 'Samsung Internet for Android'];

interface Link {
  teamId: string;
  campaignId: string;
  linkId: string;
}

async function main(): Promise<void> {
  const dbName = `hopflow_bench_ingest_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  try {
    await migrateLatest(db);
    const links: Link[] = [];
    for (let t = 0; t < 3; t++) {
      const user = await insertUser(db, {
        email: `ingest${t}@example.com`,
        name: 'Ingest',
        passwordHash: 'x',
      });
      const team = await insertTeam(db, { name: `Ingest ${t}`, personal: true, createdBy: user.id });
      for (let c = 0; c < 4; c++) {
        const [campaign] = await db('campaigns')
          .insert({
            team_id: team.id,
            name: `Campaign ${c}`,
            tid: `ingest${t}c${c}`,
            hoplink: `https://hop.clickbank.net/?affiliate=a&vendor=v&tid=ingest${t}c${c}`,
          })
          .returning<{ id: string }[]>('id');
        const link = await db('tracking_links')
          .where({ campaign_id: campaign!.id })
          .first<{ id: string }>('id');
        links.push({ teamId: team.id, campaignId: campaign!.id, linkId: link.id });
      }
    }

    const visitors: string[] = [];
    const day = new Date().toISOString().slice(0, 10);
    let n = 0;
    function click(): ClickRecord {
      const link = pick(links);
      const bot = Math.random() < 0.05;
      let visitorKey: string | null = null;
      if (!bot) {
        visitorKey =
          visitors.length > 0 && Math.random() < 0.33
            ? pick(visitors)
            : randomBytes(16).toString('base64url');
        if (visitors.length < 100_000) visitors.push(visitorKey);
      }
      return {
        ...link,
        clickId: encodeClickId(1000 + n++),
        occurredAt: new Date(),
        day,
        visitorKey,
        botReason: bot ? 'bot' : null,
        source: pick(sources),
        sub1: Math.random() < 0.5 ? `ad${Math.floor(Math.random() * 50)}` : null,
        sub2: Math.random() < 0.2 ? `kw${Math.floor(Math.random() * 200)}` : null,
        sub3: null,
        device: pick(DEVICES),
        browser: pick(browsers),
        country: pick(countries),
        referrerHost: pick(referrers),
      };
    }

    const buffer = createClickBuffer({
      write: (clicks) => writeClicks(db, clicks),
      logger: pino({ level: 'warn' }),
      intervalMs: 1000,
      batchSize,
      max: BUFFER_MAX,
    });
    console.log(
      `click ingest: ${total.toLocaleString('en')} clicks, batches of ${batchSize}, ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const started = performance.now();
    let lastReport = started;
    for (let pushed = 0; pushed < total; pushed++) {
      while (buffer.stats().pending >= BUFFER_MAX / 2) await new Promise((r) => setTimeout(r, 5));
      buffer.push(click());
      if (pushed % 1000 === 999) {
        // Let the writer's callbacks run between chunks, as the event loop does between requests.
        await new Promise((r) => setImmediate(r));
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          const s = buffer.stats();
          console.log(`  ${s.written.toLocaleString('en')} written, ${s.pending.toLocaleString('en')} held`);
        }
      }
    }
    await buffer.close();
    const seconds = (performance.now() - started) / 1000;
    const stats = buffer.stats();
    const rows = await db('analytics_events')
      .where({ type: 'click' })
      .count('* as count')
      .first<{ count: string }>();
    const rollup = await db('analytics_rollups')
      .where({ basis: 'click', dimension: 'all' })
      .sum({ clicks: 'clicks', bots: 'bot_clicks' })
      .first<{ clicks: string; bots: string }>();
    const counted = Number(rollup.clicks) + Number(rollup.bots);
    console.log(`\n${stats.written.toLocaleString('en')} clicks in ${seconds.toFixed(1)} s`);
    console.log(`  ${Math.round(stats.written / seconds).toLocaleString('en')} rows/s`);
    console.log(
      `  dropped ${stats.dropped}, raw click rows ${rows.count}, rollup clicks + bot clicks ${counted}`,
    );
    const ok = Number(rows.count) === total && counted === total && stats.dropped === 0;
    console.log(`  ${ok ? 'every click went in, none lost' : 'MISMATCH'}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
