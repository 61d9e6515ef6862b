import type { Knex } from 'knex';
import type { AnalyticsEventType } from '../../lib/clickbank/ins';
import { normalizeTid, splitClickTid } from '../../lib/analytics/tid';
import { localDay, usableZone } from '../../lib/time-zones';
import { setWebhookEventStatus } from '../webhook-events';
import type { ClickDimensions, Device } from './dimensions';
import { applyRollupDeltas, RollupAccumulator } from './rollups';

type Db = Knex | Knex.Transaction;

/** The click a sale came from, as far as its tid (or its receipt's sale) tells. */
export interface Attribution {
  campaignId: string | null;
  /** The click id read from the tid, even when that click is not (or no longer) stored. */
  clickId: string | null;
  click: (ClickDimensions & { occurredAt: Date }) | null;
}

interface ClickRow {
  campaign_id: string | null;
  click_id: string | null;
  click_at: Date | null;
  occurred_at: Date;
  link_id: string | null;
  source: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  referrer_host: string | null;
  device: Device | null;
  browser: string | null;
  country: string | null;
}

const clickColumns = [
  'campaign_id',
  'click_id',
  'click_at',
  'occurred_at',
  'link_id',
  'source',
  'sub1',
  'sub2',
  'sub3',
  'referrer_host',
  'device',
  'browser',
  'country',
];

const dimensionsOf = (r: ClickRow): ClickDimensions & { occurredAt: Date } => ({
  linkId: r.link_id,
  source: r.source,
  sub1: r.sub1,
  sub2: r.sub2,
  sub3: r.sub3,
  device: r.device,
  browser: r.browser,
  country: r.country,
  referrerHost: r.referrer_host,
  occurredAt: r.click_at ?? r.occurred_at,
});

/**
 * Reads a sale's tid: a tracked click's tid (campaign click prefix + 8-character click id) gives the campaign and,
 * when the click is stored, its sub-ids, source, device, country and referrer; a campaign's own tid (a sale
 * through the plain HopLink) gives the campaign alone. A click that is found wins over a campaign whose plain tid
 * happens to read the same.
 */
export async function attributeTid(db: Db, teamId: string, tid: string | null): Promise<Attribution> {
  const none: Attribution = { campaignId: null, clickId: null, click: null };
  if (!tid) return none;
  const t = normalizeTid(tid);
  const split = splitClickTid(t);
  let byPrefix: string | undefined;
  if (split) {
    byPrefix = (
      await db('campaigns')
        .where({ team_id: teamId, click_prefix: split.prefix })
        .first<{ id: string } | undefined>('id')
    )?.id;
    if (byPrefix) {
      const click = await db('analytics_events')
        .where({ team_id: teamId, click_id: split.clickId, type: 'click', campaign_id: byPrefix })
        .first<ClickRow | undefined>(clickColumns);
      if (click) return { campaignId: byPrefix, clickId: split.clickId, click: dimensionsOf(click) };
    }
  }
  const exact = (
    await db('campaigns').where({ team_id: teamId, tid: t }).first<{ id: string } | undefined>('id')
  )?.id;
  if (exact) return { campaignId: exact, clickId: null, click: null };
  if (byPrefix) return { campaignId: byPrefix, clickId: split!.clickId, click: null };
  return none;
}

/** The attribution of the team's sale with this receipt (for a rebill, refund or chargeback without its click). */
async function attributionOfReceipt(db: Db, teamId: string, receipt: string): Promise<Attribution | null> {
  const sale = await db('analytics_events')
    .where({ team_id: teamId, receipt })
    .whereIn('type', ['sale', 'rebill'])
    .orderBy('occurred_at')
    .first<ClickRow | undefined>(clickColumns);
  if (!sale) return null;
  return {
    campaignId: sale.campaign_id,
    clickId: sale.click_id,
    click: sale.click_id ? dimensionsOf(sale) : null,
  };
}

export interface ClickbankEvent {
  /** The webhook event's id: a retried attempt finds its own row instead of adding another. */
  webhookEventId: string;
  teamId: string;
  type: AnalyticsEventType;
  occurredAt: Date;
  amount: number | null;
  currency: string | null;
  /** The tracking code as ClickBank sent it. */
  tid: string | null;
  receipt: string;
  metadata: Record<string, unknown>;
}

const countsFor = (type: AnalyticsEventType, amount: number | null) => {
  const cents = Math.round(Math.abs(amount ?? 0) * 100);
  switch (type) {
    case 'sale':
      return { sales: 1, grossCents: cents };
    case 'rebill':
      return { rebills: 1, grossCents: cents };
    case 'refund':
      return { refunds: 1, refundedCents: cents };
    case 'chargeback':
      return { chargebacks: 1, refundedCents: cents };
  }
};

/**
 * One analytics_events row for a ClickBank notification, attributed to its click and campaign, its rollups, and
 * the webhook event marked processed, all in one transaction. `inserted` is false when an earlier attempt wrote
 * the row (then nothing is counted again). Refunds and chargebacks subtract: they add to `refunded`, and net
 * revenue is gross minus refunded, on the refund's own day and on the day of the click the sale came from.
 */
export async function recordClickbankEvent(
  db: Knex,
  e: ClickbankEvent,
): Promise<{
  inserted: boolean;
  campaignId: string | null;
  clickId: string | null;
  /** What the sale was tied to: its stored click, only its campaign, or nothing. */
  attributedTo: 'click' | 'campaign' | 'none';
  /** The source of the click it came from (null without one). */
  source: string | null;
}> {
  return db.transaction(async (trx) => {
    let attribution = await attributeTid(trx, e.teamId, e.tid);
    // A rebill, refund or chargeback belongs to the order's first sale: without a stored click of its own (no tid,
    // or the click gone), it takes that sale's attribution, so it lands on the same campaign, source and click day.
    if (!attribution.click && e.type !== 'sale') {
      const ofSale = await attributionOfReceipt(trx, e.teamId, e.receipt);
      if (ofSale && (attribution.campaignId === null || attribution.campaignId === ofSale.campaignId)) {
        attribution = ofSale;
      }
    }
    const click = attribution.click;
    const rows = await trx('analytics_events')
      .insert({
        id: e.webhookEventId,
        team_id: e.teamId,
        campaign_id: attribution.campaignId,
        type: e.type,
        occurred_at: e.occurredAt,
        amount: e.amount,
        currency: e.currency,
        tid: e.tid,
        receipt: e.receipt,
        metadata: JSON.stringify(e.metadata),
        click_id: attribution.clickId,
        click_at: click?.occurredAt ?? null,
        link_id: click?.linkId ?? null,
        source: click?.source ?? null,
        sub1: click?.sub1 ?? null,
        sub2: click?.sub2 ?? null,
        sub3: click?.sub3 ?? null,
        referrer_host: click?.referrerHost ?? null,
        device: click?.device ?? null,
        browser: click?.browser ?? null,
        country: click?.country ?? null,
      })
      .onConflict(['id', 'occurred_at'])
      .ignore()
      .returning<{ id: string }[]>('id');
    const inserted = rows.length > 0;
    if (inserted) {
      const team = await trx('teams')
        .where({ id: e.teamId })
        .first<{ time_zone: string } | undefined>('time_zone');
      const zone = usableZone(team?.time_zone);
      const saleDay = localDay(e.occurredAt, zone);
      const rollups = new RollupAccumulator();
      rollups.add(
        {
          teamId: e.teamId,
          campaignId: attribution.campaignId,
          days: { sale: saleDay, click: click ? localDay(click.occurredAt, zone) : saleDay },
        },
        click ?? noDimensions,
        countsFor(e.type, e.amount),
      );
      await applyRollupDeltas(trx, rollups.rows());
    }
    await setWebhookEventStatus(trx, e.webhookEventId, 'processed');
    return {
      inserted,
      campaignId: attribution.campaignId,
      clickId: attribution.clickId,
      attributedTo: click ? 'click' : attribution.campaignId ? 'campaign' : 'none',
      source: click?.source ?? null,
    };
  });
}

const noDimensions: ClickDimensions = {
  linkId: null,
  source: null,
  sub1: null,
  sub2: null,
  sub3: null,
  device: null,
  browser: null,
  country: null,
  referrerHost: null,
};
