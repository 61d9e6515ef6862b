/**
 * The dashboard's 90-day time series over many events: from the daily rollups (what the API reads) against the
 * same answer by GROUP BY over the raw analytics_events, measured in the same run on the same database.
 *   tsx bench/analytics-dashboard.ts [events=10000000] [rollupRuns=50] [rawRuns=7]
 * Needs PostgreSQL (BENCH_POSTGRES_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres): it creates a
 * scratch database, migrates it, fills it with SQL generate_series (three teams over 120 days, the measured team
 * holding 80% of the events: clicks with 5% bots, sales, rebills, refunds, chargebacks, every dimension) and builds
 * the rollups of all of it with one GROUP BY (for the bench only: the platform keeps them incrementally), then
 * drops the database at the end (KEEP_BENCH_DB=1 keeps it; BENCH_DB=<name> measures a kept one again).
 * Prints p50/p95 of both queries, the ratio, and whether the targets hold (p95 < 100 ms, at least 50x faster).
 */
import { performance } from 'node:perf_hooks';
import knex, { type Knex } from 'knex';
import { analyticsTimeSeries, daysBetween, figuresOf } from '../data/analytics';
import { createDb, migrateLatest } from '../db/connection';

const events = Number(process.argv[2] ?? 10_000_000);
const rollupRuns = Number(process.argv[3] ?? 50);
const rawRuns = Number(process.argv[4] ?? 7);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ZONE = 'America/New_York';
const DAYS = 120;
const CAMPAIGNS_PER_TEAM = 20;

const percentile = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await f();
  console.log(`  ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

/** Teams and campaigns (each campaign gets its primary link from the migration's trigger). */
async function seedTeams(
  db: Knex,
): Promise<{ teamIds: string[]; campaigns: { id: string; link: string }[][] }> {
  const teamIds: string[] = [];
  const campaigns: { id: string; link: string }[][] = [];
  for (let t = 0; t < 3; t++) {
    const [team] = await db('teams')
      .insert({ name: `Bench team ${t}`, time_zone: t === 0 ? ZONE : 'UTC' })
      .returning<{ id: string }[]>('id');
    teamIds.push(team!.id);
    const rows = await db('campaigns')
      .insert(
        Array.from({ length: CAMPAIGNS_PER_TEAM }, (_, i) => ({
          team_id: team!.id,
          name: `Campaign ${i}`,
          tid: `bench${t}c${i}`,
          hoplink: `https://hop.clickbank.net/?tid=bench${t}c${i}`,
          status: 'active',
        })),
      )
      .returning<{ id: string }[]>('id');
    const links = await db('tracking_links')
      .whereIn(
        'campaign_id',
        rows.map((r) => r.id),
      )
      .select<{ id: string; campaign_id: string }[]>('id', 'campaign_id');
    campaigns.push(rows.map((r) => ({ id: r.id, link: links.find((l) => l.campaign_id === r.id)!.id })));
  }
  return { teamIds, campaigns };
}

const sqlArray = (values: string[], type: string) =>
  `(ARRAY[${values.map((v) => `'${v}'`).join(',')}]::${type}[])`;

/** Ten million rows in one INSERT ... SELECT over generate_series: which team, campaign, day and dimensions by hash. */
async function generateEvents(db: Knex, teamIds: string[], campaigns: { id: string; link: string }[][]) {
  const teamOf = `CASE WHEN g % 10 < 8 THEN 1 WHEN g % 10 = 8 THEN 2 ELSE 3 END`;
  const campaignIds = campaigns.flat().map((c) => c.id);
  const linkIds = campaigns.flat().map((c) => c.link);
  await db.raw(`
    INSERT INTO analytics_events (team_id, campaign_id, type, occurred_at, click_at, amount, currency, link_id,
                                  source, sub1, sub2, device, browser, country, referrer_host, is_unique, bot_reason)
    SELECT ${sqlArray(teamIds, 'uuid')}[t], ${sqlArray(campaignIds, 'uuid')}[c], type, at,
           CASE WHEN type = 'click' THEN at ELSE at - (r3 * interval '30 days') END,
           CASE WHEN type = 'click' THEN NULL ELSE round((20 + r2 * 180)::numeric, 2) END,
           CASE WHEN type = 'click' THEN NULL ELSE 'USD' END,
           ${sqlArray(linkIds, 'uuid')}[c],
           (ARRAY['direct','youtube','newsletter','facebook','content'])[1 + g % 5],
           CASE WHEN g % 3 = 0 THEN NULL ELSE 'sub' || (g % 20) END,
           CASE WHEN g % 4 = 0 THEN 'v' || (g % 7) END,
           (ARRAY['desktop','mobile','tablet','other'])[1 + (g / 7) % 4],
           (ARRAY['Chrome','Safari','Firefox','Edge','Samsung Internet'])[1 + (g / 11) % 5],
           (ARRAY['US','GB','DE','FR','IN','BR','CA','AU','ES','IT'])[1 + (g / 13) % 10],
           (ARRAY['youtube.com','t.co','facebook.com','google.com','bing.com','reddit.com','', ''])[1 + (g / 17) % 8],
           type = 'click' AND g % 3 <> 0,
           CASE WHEN type = 'click' AND g % 20 = 0 THEN 'bot' END
    FROM (
      SELECT g, t, ((t - 1) * ${CAMPAIGNS_PER_TEAM}) + 1 + (g / 3) % ${CAMPAIGNS_PER_TEAM} AS c,
             now() - (random() * interval '${DAYS} days') AS at, random() AS r2, random() AS r3,
             CASE WHEN g % 1000 < 950 THEN 'click' WHEN g % 1000 < 980 THEN 'sale' WHEN g % 1000 < 990 THEN 'rebill'
                  WHEN g % 1000 < 995 THEN 'refund' ELSE 'chargeback' END AS type
      FROM (SELECT g, ${teamOf} AS t FROM generate_series(1, ${events}) AS g) s
    ) x
  `);
}

const DIMENSION_COLUMNS: [string, string][] = [
  ['link', 'e.link_id::text'],
  ['source', 'e.source'],
  ['sub1', 'e.sub1'],
  ['sub2', 'e.sub2'],
  ['sub3', 'e.sub3'],
  ['device', 'e.device'],
  ['browser', 'e.browser'],
  ['country', 'e.country'],
  ['referrer', 'e.referrer_host'],
];

/**
 * The rollups of every event (all dimensions) for one basis, in one scan: GROUP BY GROUPING SETS, one set per
 * dimension, so PostgreSQL keeps a hash table per set instead of sorting ten copies of every row.
 */
async function buildRollups(db: Knex) {
  const dims = DIMENSION_COLUMNS.map(([name]) => name);
  for (const basis of ['sale', 'click'] as const) {
    const at =
      basis === 'sale'
        ? 'e.occurred_at'
        : "CASE WHEN e.type = 'click' THEN e.occurred_at ELSE coalesce(e.click_at, e.occurred_at) END";
    await db.transaction(async (trx) => {
      await trx.raw("SET LOCAL work_mem = '1GB'");
      await trx.raw(`
        INSERT INTO analytics_rollups (team_id, campaign_id, basis, day, dimension, value, clicks, unique_clicks,
                                       bot_clicks, sales, rebills, refunds, chargebacks, gross, refunded)
        SELECT team_id, campaign_id, '${basis}', day,
               CASE ${dims.map((d) => `WHEN GROUPING(${d}) = 0 THEN '${d}'`).join(' ')} ELSE 'all' END,
               coalesce(${dims.join(', ')}, ''),
               count(*) FILTER (WHERE type = 'click' AND bot_reason IS NULL),
               count(*) FILTER (WHERE type = 'click' AND bot_reason IS NULL AND is_unique),
               count(*) FILTER (WHERE type = 'click' AND bot_reason IS NOT NULL),
               count(*) FILTER (WHERE type = 'sale'), count(*) FILTER (WHERE type = 'rebill'),
               count(*) FILTER (WHERE type = 'refund'), count(*) FILTER (WHERE type = 'chargeback'),
               coalesce(sum(abs(amount)) FILTER (WHERE type IN ('sale', 'rebill')), 0),
               coalesce(sum(abs(amount)) FILTER (WHERE type IN ('refund', 'chargeback')), 0)
        FROM (
          SELECT e.team_id, e.campaign_id, ((${at}) AT TIME ZONE t.time_zone)::date AS day, e.type, e.bot_reason,
                 e.is_unique, e.amount,
                 ${DIMENSION_COLUMNS.map(([name, col]) => `coalesce(${col}, '') AS ${name}`).join(', ')}
          FROM analytics_events e JOIN teams t ON t.id = e.team_id
        ) x
        GROUP BY GROUPING SETS ((team_id, campaign_id, day),
          ${dims.map((d) => `(team_id, campaign_id, day, ${d})`).join(', ')})`);
    });
  }
}

/** The same answer as analyticsTimeSeries (team-wide, sale basis), by GROUP BY over the raw events. */
async function rawTimeSeries(db: Knex, teamId: string, from: string, to: string) {
  const { rows } = await db.raw<{ rows: Record<string, string>[] }>(
    `SELECT to_char(e.occurred_at AT TIME ZONE ?, 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NULL) AS clicks,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NULL AND e.is_unique) AS unique_clicks,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NOT NULL) AS bot_clicks,
       count(*) FILTER (WHERE e.type = 'sale') AS sales, count(*) FILTER (WHERE e.type = 'rebill') AS rebills,
       count(*) FILTER (WHERE e.type = 'refund') AS refunds,
       count(*) FILTER (WHERE e.type = 'chargeback') AS chargebacks,
       coalesce(sum(abs(e.amount) * 100) FILTER (WHERE e.type IN ('sale', 'rebill')), 0)::bigint AS gross,
       coalesce(sum(abs(e.amount) * 100) FILTER (WHERE e.type IN ('refund', 'chargeback')), 0)::bigint AS refunded
     FROM analytics_events e
     WHERE e.team_id = ? AND e.occurred_at >= (?::date)::timestamp AT TIME ZONE ?
       AND e.occurred_at < ((?::date + 1)::timestamp AT TIME ZONE ?)
     GROUP BY 1`,
    [ZONE, teamId, from, ZONE, to, ZONE],
  );
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(from, to).map((day) => {
    const r = byDay.get(day);
    return {
      day,
      ...figuresOf({
        clicks: Number(r?.clicks ?? 0),
        uniqueClicks: Number(r?.unique_clicks ?? 0),
        botClicks: Number(r?.bot_clicks ?? 0),
        sales: Number(r?.sales ?? 0),
        rebills: Number(r?.rebills ?? 0),
        refunds: Number(r?.refunds ?? 0),
        chargebacks: Number(r?.chargebacks ?? 0),
        grossCents: Number(r?.gross ?? 0),
        refundedCents: Number(r?.refunded ?? 0),
      }),
    };
  });
}

async function measure(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  await f(); // warm the cache and the plan once
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  // BENCH_DB names a database a previous run kept (KEEP_BENCH_DB=1): its events are measured again as they are.
  const reuse = process.env.BENCH_DB;
  const dbName = reuse ?? `hopflow_bench_analytics_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  if (!reuse) await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  try {
    let teamIds: string[];
    if (reuse) {
      console.log(`analytics dashboard bench: the events already in ${dbName}`);
      teamIds = await db('teams').where('name', 'like', 'Bench team %').orderBy('name').pluck<string[]>('id');
    } else {
      console.log(`analytics dashboard bench: ${events.toLocaleString('en-US')} events in ${dbName}`);
      await timed('migrate', () => migrateLatest(db));
      // Monthly partitions for the whole window (the migration made them from this month on).
      await db.raw(`SELECT ensure_analytics_partitions((now() - interval '${DAYS + 31} days')::date, 7)`);
      const seeded = await seedTeams(db);
      teamIds = seeded.teamIds;
      await timed('generate events (generate_series)', () => generateEvents(db, teamIds, seeded.campaigns));
    }
    const built = await db('analytics_rollups').first<{ id: unknown } | undefined>(db.raw('1 AS id'));
    if (!built) {
      await timed('build rollups (GROUP BY GROUPING SETS per basis, bench only)', () => buildRollups(db));
      await timed('vacuum analyze', () => db.raw('VACUUM ANALYZE'));
    }
    const counts = await db.raw<{ rows: { events: string; team: string; rollups: string }[] }>(
      `SELECT (SELECT count(*) FROM analytics_events) AS events,
              (SELECT count(*) FROM analytics_events WHERE team_id = ?) AS team,
              (SELECT count(*) FROM analytics_rollups) AS rollups`,
      [teamIds[0]!],
    );
    const c = counts.rows[0]!;
    console.log(
      `  ${Number(c.events).toLocaleString('en-US')} events (${Number(c.team).toLocaleString('en-US')} of the measured team), ${Number(c.rollups).toLocaleString('en-US')} rollup rows`,
    );

    const to = new Date().toLocaleDateString('en-CA', { timeZone: ZONE });
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const teamId = teamIds[0]!;
    const viaRollups = () => analyticsTimeSeries(db, { teamId, from, to, basis: 'sale' });
    const viaRaw = () => rawTimeSeries(db, teamId, from, to);

    // Both must give the same answer, or the comparison means nothing.
    const a = await viaRollups();
    const b = await viaRaw();
    const same = JSON.stringify(a.days) === JSON.stringify(b);
    console.log(
      `  90 days ${from}..${to} (${ZONE}): ${a.totals.clicks.toLocaleString('en-US')} clicks, ${a.totals.sales.toLocaleString('en-US')} sales, net ${a.totals.net.toFixed(2)}; answers equal: ${same}`,
    );
    if (!same) throw new Error('the rollups and the raw events disagree');

    const rollup = await measure(rollupRuns, viaRollups);
    const raw = await measure(rawRuns, viaRaw);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const r50 = percentile(rollup, 0.5);
    const r95 = percentile(rollup, 0.95);
    const w50 = percentile(raw, 0.5);
    const w95 = percentile(raw, 0.95);
    console.log('\n| query (90-day time series, one team) | runs | p50 | p95 |');
    console.log('|---|---|---|---|');
    console.log(
      `| rollups (analytics_rollups, what the API reads) | ${rollupRuns} | ${fmt(r50)} | ${fmt(r95)} |`,
    );
    console.log(`| raw GROUP BY over analytics_events (baseline) | ${rawRuns} | ${fmt(w50)} | ${fmt(w95)} |`);
    console.log(`\nratio raw/rollups: p50 ${(w50 / r50).toFixed(0)}x, p95 ${(w95 / r95).toFixed(0)}x`);
    console.log(
      `targets: rollups p95 < 100 ms: ${r95 < 100 ? 'met' : 'MISSED'}; at least 50x faster (p50): ${w50 / r50 >= 50 ? 'met' : 'MISSED'}`,
    );
  } finally {
    await db.destroy();
    if (!reuse && process.env.KEEP_BENCH_DB !== '1') {
      await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    }
    await admin.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
