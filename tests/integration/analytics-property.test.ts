import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Knex } from 'knex';
import {
  analyticsBreakdown,
  analyticsTimeSeries,
  writeClicks,
  DIMENSIONS,
  type Basis,
  type BreakdownBy,
  type ClickRecord,
  type Dimension,
  type Figures,
} from '../../data/analytics';
import type { AnalyticsEventType } from '../../lib/clickbank/ins';
import { createDb } from '../../db/connection';
import { loadConfig } from '../../lib/config';
import { clickTid, encodeClickId } from '../../lib/analytics/tid';
import { click, recordSale } from '../support/analytics';
import { given } from '../support/fixtures';

/**
 * Rollup figures equal raw-event figures: random clicks (people, bots, repeat visitors, every dimension, some
 * unknown values) written in random batches through writeClicks, and random sales, rebills, refunds and
 * chargebacks (tids of stored clicks read back upper-cased, of a campaign, unknown, none; refunds found by
 * receipt) through recordClickbankEvent, in a random team time zone. Then every figure the read side gives
 * (time series per team, campaign, link and each dimension value; breakdowns by campaign, product and each
 * dimension; both bases) must equal the same figure by GROUP BY over the raw analytics_events, and unique
 * clicks must equal the distinct visitors per campaign and day.
 */

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati', 'America/St_Johns'];
const WINDOW_START = Date.parse('2026-10-01T00:00:00Z');
const RANGE = { from: '2026-09-29', to: '2026-12-20' };
const MINUTE = 60_000;

const clickArb = fc.record({
  campaign: fc.integer({ min: 0, max: 1 }),
  extraLink: fc.boolean(),
  minute: fc.integer({ min: 0, max: 10 * 24 * 60 }),
  source: fc.constantFrom(null, 'direct', 'youtube'),
  sub1: fc.constantFrom(null, 'a', 'b'),
  sub2: fc.constantFrom(null, 'x'),
  sub3: fc.constantFrom(null, '=cmd', 'z'),
  device: fc.constantFrom(null, 'desktop', 'mobile', 'tablet', 'other'),
  browser: fc.constantFrom(null, 'Chrome', 'Safari'),
  country: fc.constantFrom(null, 'US', 'DE'),
  referrerHost: fc.constantFrom(null, 'youtube.com', 't.co'),
  visitor: fc.constantFrom(null, 'v1', 'v2', 'v3'),
  botReason: fc.constantFrom(null, null, null, 'head', 'bot'),
  hasClickId: fc.boolean(),
});

const saleArb = fc.record({
  type: fc.constantFrom<AnalyticsEventType>('sale', 'rebill', 'refund', 'chargeback'),
  tid: fc.constantFrom('click', 'campaign', 'unknown', 'none'),
  pick: fc.nat(),
  campaign: fc.integer({ min: 0, max: 1 }),
  delayMinutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
  amountCents: fc.integer({ min: 1, max: 20_000 }),
  upper: fc.boolean(),
});

const scenarioArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  clicks: fc.array(clickArb, { maxLength: 50 }),
  batch: fc.integer({ min: 1, max: 20 }),
  sales: fc.array(saleArb, { maxLength: 25 }),
});

interface Sums {
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  grossCents: number;
  refundedCents: number;
}

const zero = (): Sums => ({
  clicks: 0,
  uniqueClicks: 0,
  botClicks: 0,
  sales: 0,
  rebills: 0,
  refunds: 0,
  chargebacks: 0,
  grossCents: 0,
  refundedCents: 0,
});

/** What the API must say for these sums, computed here on its own (not with the module's figuresOf). */
function expected(s: Sums) {
  const net = (s.grossCents - s.refundedCents) / 100;
  return {
    clicks: s.clicks,
    uniqueClicks: s.uniqueClicks,
    botClicks: s.botClicks,
    sales: s.sales,
    rebills: s.rebills,
    refunds: s.refunds,
    chargebacks: s.chargebacks,
    gross: s.grossCents / 100,
    net,
    epc: s.clicks ? net / s.clicks : null,
    conversionRate: s.clicks ? s.sales / s.clicks : null,
    refundRate: s.sales + s.rebills ? (s.refunds + s.chargebacks) / (s.sales + s.rebills) : null,
  };
}

/** Equal up to floating point in the rates. */
function expectFigures(actual: Figures, s: Sums, what: string): void {
  const want = expected(s);
  for (const [k, v] of Object.entries(want)) {
    const got = actual[k as keyof Figures];
    if (typeof v === 'number' && typeof got === 'number' && Math.abs(got - v) < 1e-9) continue;
    if (got !== v) throw new Error(`${what}: ${k} is ${String(got)}, raw events say ${String(v)}`);
  }
}

const dimensionColumn: Record<Dimension, string> = {
  link: 'e.link_id::text',
  source: 'e.source',
  sub1: 'e.sub1',
  sub2: 'e.sub2',
  sub3: 'e.sub3',
  device: 'e.device',
  browser: 'e.browser',
  country: 'e.country',
  referrer: 'e.referrer_host',
};

/** GROUP BY over the raw events of the team: sums per (key, day) for a key expression and basis. */
async function rawGroups(
  db: Knex,
  teamId: string,
  zone: string,
  basis: Basis,
  keyExpr: string,
): Promise<Map<string, Map<string, Sums>>> {
  const dayExpr =
    basis === 'sale'
      ? 'e.occurred_at'
      : "CASE WHEN e.type = 'click' THEN e.occurred_at ELSE coalesce(e.click_at, e.occurred_at) END";
  const { rows } = await db.raw<{ rows: (Record<string, string> & { key: string; day: string })[] }>(
    `SELECT coalesce(${keyExpr}, '') AS key, to_char((${dayExpr}) AT TIME ZONE ?, 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NULL) AS clicks,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NULL AND e.is_unique) AS unique_clicks,
       count(*) FILTER (WHERE e.type = 'click' AND e.bot_reason IS NOT NULL) AS bot_clicks,
       count(*) FILTER (WHERE e.type = 'sale') AS sales,
       count(*) FILTER (WHERE e.type = 'rebill') AS rebills,
       count(*) FILTER (WHERE e.type = 'refund') AS refunds,
       count(*) FILTER (WHERE e.type = 'chargeback') AS chargebacks,
       coalesce(sum(abs(e.amount) * 100) FILTER (WHERE e.type IN ('sale', 'rebill')), 0)::bigint AS gross,
       coalesce(sum(abs(e.amount) * 100) FILTER (WHERE e.type IN ('refund', 'chargeback')), 0)::bigint AS refunded
     FROM analytics_events e LEFT JOIN campaigns c ON c.id = e.campaign_id
     WHERE e.team_id = ?
     GROUP BY 1, 2`,
    [zone, teamId],
  );
  const out = new Map<string, Map<string, Sums>>();
  for (const r of rows) {
    if (!out.has(r.key)) out.set(r.key, new Map());
    out.get(r.key)!.set(r.day, {
      clicks: Number(r.clicks),
      uniqueClicks: Number(r.unique_clicks),
      botClicks: Number(r.bot_clicks),
      sales: Number(r.sales),
      rebills: Number(r.rebills),
      refunds: Number(r.refunds),
      chargebacks: Number(r.chargebacks),
      grossCents: Number(r.gross),
      refundedCents: Number(r.refunded),
    });
  }
  return out;
}

const total = (days: Map<string, Sums> | undefined): Sums => {
  const t = zero();
  for (const s of days?.values() ?? []) for (const k of Object.keys(t) as (keyof Sums)[]) t[k] += s[k];
  return t;
};

describe('analytics rollups equal the raw events (property)', () => {
  let db: Knex;
  let productId: string;
  let clickNumber = Math.floor(Math.random() * 1e9);

  beforeAll(async () => {
    db = createDb(loadConfig());
    productId = (await given.product(db, { title: 'Property product' })).id;
  });
  afterAll(async () => {
    await db?.destroy();
  });

  async function checkSeries(
    teamId: string,
    basis: Basis,
    filter: { campaignId?: string; linkId?: string; dimension?: Dimension; value?: string },
    raw: Map<string, Sums> | undefined,
    what: string,
  ) {
    const s = await analyticsTimeSeries(db, { teamId, basis, ...RANGE, ...filter });
    for (const d of s.days) expectFigures(d, raw?.get(d.day) ?? zero(), `${what} ${basis} ${d.day}`);
    expectFigures(s.totals, total(raw), `${what} ${basis} totals`);
  }

  async function checkBreakdown(
    teamId: string,
    basis: Basis,
    by: BreakdownBy,
    raw: Map<string, Map<string, Sums>>,
  ) {
    const rows = await analyticsBreakdown(db, { teamId, basis, ...RANGE }, by, 500);
    expect(rows.map((r) => r.key).sort()).toEqual([...raw.keys()].sort());
    for (const r of rows) expectFigures(r, total(raw.get(r.key)), `breakdown ${by} ${basis} ${r.key}`);
    // Best net revenue first.
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.net).toBeGreaterThanOrEqual(rows[i]!.net);
  }

  it('every figure of the time series and breakdowns equals GROUP BY over raw events', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const [team] = await db('teams')
          .insert({ name: `Property ${randomUUID().slice(0, 6)}`, time_zone: sc.zone })
          .returning<{ id: string }[]>('id');
        const teamId = team!.id;
        const campaigns = await Promise.all(
          [0, 1].map(async (i) => {
            const row = await given.campaignRow(db, {
              teamId,
              tid: `prop${i}${randomUUID().slice(0, 6)}`,
              ...(i === 0 ? { productId } : {}),
            });
            const c = await db('campaigns')
              .where({ id: row.id })
              .first<{ click_prefix: string }>('click_prefix');
            const primary = await db('tracking_links')
              .where({ campaign_id: row.id })
              .first<{ id: string }>('id');
            const [extra] = await db('tracking_links')
              .insert({
                team_id: teamId,
                campaign_id: row.id,
                slug: `p-${randomUUID().slice(0, 12)}`,
                name: 'Extra',
                source: 'newsletter',
              })
              .returning<{ id: string }[]>('id');
            return { id: row.id, tid: row.tid, prefix: c.click_prefix, links: [primary.id, extra!.id] };
          }),
        );

        const clicks: ClickRecord[] = sc.clicks.map((c) => {
          const campaign = campaigns[c.campaign]!;
          return click(sc.zone, {
            teamId,
            campaignId: campaign.id,
            linkId: campaign.links[c.extraLink ? 1 : 0]!,
            occurredAt: new Date(WINDOW_START + c.minute * MINUTE),
            clickId: c.hasClickId ? encodeClickId(clickNumber++) : null,
            source: c.source,
            sub1: c.sub1,
            sub2: c.sub2,
            sub3: c.sub3,
            device: c.device,
            browser: c.browser,
            country: c.country,
            referrerHost: c.referrerHost,
            visitorKey: c.visitor && `${teamId}:${c.visitor}`,
            botReason: c.botReason,
          });
        });
        for (let i = 0; i < clicks.length; i += sc.batch)
          await writeClicks(db, clicks.slice(i, i + sc.batch));

        const tracked = clicks.filter((c) => c.clickId);
        const receipts: string[] = [];
        for (const [i, s] of sc.sales.entries()) {
          const campaign = campaigns[s.campaign]!;
          const clicked = tracked.length ? tracked[s.pick % tracked.length]! : undefined;
          let tid: string | null =
            s.tid === 'click' && clicked
              ? clickTid(campaigns.find((c) => c.id === clicked.campaignId)!.prefix, clicked.clickId!)
              : s.tid === 'campaign'
                ? campaign.tid
                : s.tid === 'unknown'
                  ? 'nosuchcampaign1'
                  : null;
          if (tid && s.upper) tid = tid.toUpperCase();
          const start = s.tid === 'click' && clicked ? clicked.occurredAt.getTime() : WINDOW_START;
          const refund = s.type === 'refund' || s.type === 'chargeback';
          // A refund without a tid is found by its sale's receipt.
          const receipt =
            refund && receipts.length
              ? receipts[s.pick % receipts.length]!
              : `R${i}${randomUUID().slice(0, 8)}`;
          if (!refund) receipts.push(receipt);
          await recordSale(db, {
            teamId,
            type: s.type,
            occurredAt: new Date(start + s.delayMinutes * MINUTE),
            amount: (refund ? -s.amountCents : s.amountCents) / 100,
            tid,
            receipt,
          });
        }

        for (const basis of ['sale', 'click'] as const) {
          const all = await rawGroups(db, teamId, sc.zone, basis, "''");
          await checkSeries(teamId, basis, {}, all.get(''), 'team');
          const byCampaign = await rawGroups(db, teamId, sc.zone, basis, 'e.campaign_id::text');
          for (const c of campaigns)
            await checkSeries(teamId, basis, { campaignId: c.id }, byCampaign.get(c.id), 'campaign');
          await checkBreakdown(teamId, basis, 'campaign', byCampaign);
          await checkBreakdown(
            teamId,
            basis,
            'product',
            await rawGroups(db, teamId, sc.zone, basis, 'c.product_id::text'),
          );
          for (const dimension of DIMENSIONS) {
            const byValue = await rawGroups(db, teamId, sc.zone, basis, dimensionColumn[dimension]);
            await checkBreakdown(teamId, basis, dimension, byValue);
            for (const [value, days] of byValue) {
              await checkSeries(teamId, basis, { dimension, value }, days, `${dimension}=${value}`);
            }
          }
          for (const c of campaigns) {
            for (const linkId of c.links) {
              const byLink = await rawGroups(db, teamId, sc.zone, basis, 'e.link_id::text');
              await checkSeries(teamId, basis, { linkId }, byLink.get(linkId), `link ${linkId}`);
            }
          }
        }

        // Unique clicks: one per visitor, campaign and local day (bots and clicks without a key never count).
        const { rows } = await db.raw<{ rows: { distinct_visitors: string; unique_clicks: string }[] }>(
          `SELECT count(DISTINCT (campaign_id, to_char(occurred_at AT TIME ZONE ?, 'YYYY-MM-DD'), visitor_key))
                    FILTER (WHERE bot_reason IS NULL AND visitor_key IS NOT NULL) AS distinct_visitors,
                  count(*) FILTER (WHERE is_unique) AS unique_clicks
           FROM analytics_events WHERE team_id = ? AND type = 'click'`,
          [sc.zone, teamId],
        );
        expect(Number(rows[0]!.unique_clicks)).toBe(Number(rows[0]!.distinct_visitors));
      }),
      { numRuns: 25 },
    );
  });
});
