import { randomBytes } from 'node:crypto';
/**
 * Demo figures for a team: extra tracking links on its demo campaigns, 90 days of clicks through the same batch
 * writer the redirect uses, and sales, rebills and refunds through the same path ClickBank's notifications take,
 * with tids made from the clicks' own ids. Seeded, so a given seed and day give the same data.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { clickTid, encodeClickId } from '../../lib/analytics/tid';
import { localDay, usableZone } from '../../lib/time-zones';
import { leaseClickIds, recordClickbankEvent, writeClicks, type ClickRecord } from '../analytics';
import { recordWebhookEvent } from '../webhook-events';
import { DemoRandom } from './random';
import {
  BOT_REASONS,
  clickDimensions,
  clicksOnDay,
  clickTime,
  DEMO_PROFILES,
  DEMO_SOURCES,
  saleDelayMinutes,
  type DemoProfile,
  type DemoSource,
} from './shape';

export { DEMO_PROFILES } from './shape';

export interface DemoCampaign {
  id: string;
  name: string;
  trackingId: string;
}

export interface DemoSummary {
  campaigns: number;
  links: number;
  clicks: number;
  botClicks: number;
  uniqueClicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  net: number;
}

/** Whether the team already has clicks: demo data goes only into a team without any (real or demo). */
export async function teamHasClicks(db: Knex, teamId: string): Promise<boolean> {
  const row = await db('analytics_events')
    .where({ team_id: teamId, type: 'click' })
    .first<{ id: string } | undefined>('id');
  return row !== undefined;
}

/** The catalog's best sellers to build the demo campaigns on (none when the catalog is still empty). */
export async function demoProducts(
  db: Knex,
  count: number,
): Promise<{ id: string; title: string; clickbankId: string }[]> {
  return db('products')
    .whereNull('left_feed_at')
    .orderBy([
      { column: 'gravity', order: 'desc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(count)
    .select<{ id: string; title: string; clickbankId: string }[]>(
      'id',
      'title',
      'clickbank_id as clickbankId',
    );
}

const LINK_NAMES: Record<Exclude<DemoSource, 'direct'>, string> = {
  youtube: 'YouTube description',
  newsletter: 'Newsletter',
  facebook: 'Facebook ads',
};

/** The campaign's links by source: its primary link (made with the campaign) and one each for the others. */
async function demoLinks(
  db: Knex,
  r: DemoRandom,
  c: DemoCampaign,
  teamId: string,
  userId: string | null,
): Promise<Record<DemoSource, string>> {
  const primary = await db('tracking_links')
    .where({ campaign_id: c.id, is_primary: true })
    .first<{ id: string }>('id');
  const links = { direct: primary.id } as Record<DemoSource, string>;
  for (const source of ['youtube', 'newsletter', 'facebook'] as const) {
    const [row] = await db('tracking_links')
      .insert({
        team_id: teamId,
        campaign_id: c.id,
        // Not from the seeded random: the same seed in another team would make the same (globally unique) slug.
        slug: `${source.slice(0, 2)}-${randomBytes(5).toString('hex')}`,
        name: LINK_NAMES[source],
        source,
        created_by: userId,
      })
      .returning<{ id: string }[]>('id');
    links[source] = row!.id;
  }
  return links;
}

interface PendingSale {
  at: Date;
  campaign: DemoCampaign;
  profile: DemoProfile;
  /** The tid ClickBank sends back: the click's own, upper-cased as ClickBank does, or the campaign's plain one. */
  tid: string;
}

interface Context {
  db: Knex;
  r: DemoRandom;
  teamId: string;
  zone: string;
  now: Date;
  say: (line: string) => void;
  summary: DemoSummary;
}

/** Click numbers from leased blocks, as the redirect takes them. */
function clickIdSource(db: Knex): () => Promise<string> {
  let next = 0;
  let end = 0;
  return async () => {
    if (next >= end) {
      const block = await leaseClickIds(db);
      next = block.first;
      end = block.first + block.count;
    }
    return encodeClickId(next++);
  };
}

async function writeDemoClicks(
  ctx: Context,
  campaigns: {
    campaign: DemoCampaign;
    profile: DemoProfile;
    prefix: string;
    links: Record<DemoSource, string>;
  }[],
  days: number,
): Promise<PendingSale[]> {
  const { r, zone, now } = ctx;
  const nextClickId = clickIdSource(ctx.db);
  const sales: PendingSale[] = [];
  let batch: ClickRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { written, unique } = await writeClicks(ctx.db, batch);
    ctx.summary.uniqueClicks += unique;
    ctx.summary.clicks += written;
    batch = [];
  };
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  for (let i = 0; i < days; i++) {
    const day = today.minus({ days: days - 1 - i });
    const dayText = day.toISODate()!;
    for (const { campaign, profile, prefix, links } of campaigns) {
      const people = clicksOnDay(r, profile, day, i, days);
      const bots = r.count(people * 0.06 + 0.5);
      const visitors: string[] = [];
      for (let n = 0; n < people + bots; n++) {
        const isBot = n >= people;
        const at = clickTime(r, day).toJSDate();
        if (at > now) continue;
        const source = r.pick(DEMO_SOURCES.map((s) => [s, profile.sources[s]] as const));
        // Some people click twice the same day (their second click is not unique).
        const repeat = !isBot && visitors.length > 0 && r.chance(0.14);
        const visitorKey = repeat ? visitors[r.int(0, visitors.length - 1)]! : r.hex(32);
        if (!isBot && !repeat) visitors.push(visitorKey);
        const clickId = await nextClickId();
        const dims = clickDimensions(r, source, links[source], day);
        batch.push({
          teamId: ctx.teamId,
          campaignId: campaign.id,
          clickId,
          occurredAt: at,
          day: localDay(at, zone),
          visitorKey,
          botReason: isBot ? r.pick(BOT_REASONS) : null,
          ...dims,
          linkId: links[source],
        });
        if (isBot) {
          ctx.summary.botClicks++;
          continue;
        }
        const sourceFactor = source === 'newsletter' ? 1.5 : source === 'facebook' ? 0.7 : 1;
        const deviceFactor = dims.device === 'desktop' ? 1.25 : 0.85;
        if (r.chance(profile.conversion * sourceFactor * deviceFactor)) {
          const saleAt = new Date(at.getTime() + saleDelayMinutes(r) * 60_000);
          if (saleAt <= now) {
            sales.push({ at: saleAt, campaign, profile, tid: clickTid(prefix, clickId).toUpperCase() });
          }
        }
      }
      // A few buyers come through the plain HopLink (an old post, a bookmark): the campaign still gets the sale.
      if (r.chance(0.04)) {
        const at = clickTime(r, day).toJSDate();
        if (at <= now) sales.push({ at, campaign, profile, tid: campaign.trackingId });
      }
      if (batch.length >= 1000) await flush();
    }
    if ((i + 1) % 15 === 0 || i === days - 1) {
      await flush();
      ctx.say(`clicks: ${dayText} done (${ctx.summary.clicks.toLocaleString('en-GB')} written)`);
    }
  }
  await flush();
  ctx.summary.clicks -= ctx.summary.botClicks;
  return sales;
}

interface DemoNotification {
  type: 'sale' | 'rebill' | 'refund' | 'chargeback';
  at: Date;
  amount: number;
  tid: string;
  receipt: string;
}

/** Each sale with what follows it: monthly rebills of subscriptions, some refunds and a rare chargeback. */
function notificationsFor(ctx: Context, sales: PendingSale[]): DemoNotification[] {
  const { r, now } = ctx;
  const out: DemoNotification[] = [];
  const cents = (n: number) => Math.round(n * 100) / 100;
  for (const s of sales) {
    const receipt = `DEMO${r.hex(8).toUpperCase()}`;
    const amount = cents(s.profile.payout * (0.9 + r.next() * 0.2));
    out.push({ type: 'sale', at: s.at, amount, tid: s.tid, receipt });
    if (r.chance(s.profile.refundRate)) {
      const type = r.chance(0.12) ? 'chargeback' : 'refund';
      const at = new Date(s.at.getTime() + r.int(1, 40) * 86_400_000 + r.int(0, 86_399) * 1000);
      if (at <= now) out.push({ type, at, amount: -amount, tid: s.tid, receipt });
      continue;
    }
    if (s.profile.rebillPayout > 0 && r.chance(0.55)) {
      for (let month = 1; month <= 3 && r.chance(0.8); month++) {
        const at = new Date(s.at.getTime() + month * 30 * 86_400_000);
        if (at > now) break;
        out.push({ type: 'rebill', at, amount: s.profile.rebillPayout, tid: s.tid, receipt });
      }
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Records the notifications as ClickBank's would be: a webhook event each, then the analytics event. */
async function recordDemoSales(ctx: Context, notifications: DemoNotification[]): Promise<void> {
  let n = 0;
  for (const e of notifications) {
    const { event } = await recordWebhookEvent(ctx.db, {
      source: 'clickbank',
      externalId: `${ctx.teamId}:demo:${e.receipt}:${e.type}:${e.at.getTime()}`,
      teamId: ctx.teamId,
      payload: { demo: true, receipt: e.receipt, transactionType: e.type, tid: e.tid },
    });
    await recordClickbankEvent(ctx.db, {
      webhookEventId: event.id,
      teamId: ctx.teamId,
      type: e.type,
      occurredAt: e.at,
      amount: e.amount,
      currency: 'USD',
      tid: e.tid,
      receipt: e.receipt,
      metadata: { demo: true },
    });
    const key =
      e.type === 'sale'
        ? 'sales'
        : e.type === 'rebill'
          ? 'rebills'
          : e.type === 'refund'
            ? 'refunds'
            : 'chargebacks';
    ctx.summary[key]++;
    ctx.summary.net += e.amount;
    if (++n % 200 === 0) ctx.say(`sales: ${n} of ${notifications.length} recorded`);
  }
  ctx.summary.net = Math.round(ctx.summary.net * 100) / 100;
}

export interface DemoDataOptions {
  teamId: string;
  userId: string | null;
  /** Up to four campaigns to fill, made beforehand (they get the profiles in order). */
  campaigns: DemoCampaign[];
  days?: number;
  now?: Date;
  seed?: number;
  say?: (line: string) => void;
}

/** Links, clicks and sales for the demo campaigns (see the file comment). */
export async function fillDemoAnalytics(db: Knex, o: DemoDataOptions): Promise<DemoSummary> {
  const r = new DemoRandom(o.seed ?? 14);
  const team = await db('teams')
    .where({ id: o.teamId })
    .first<{ time_zone: string } | undefined>('time_zone');
  const ctx: Context = {
    db,
    r,
    teamId: o.teamId,
    zone: usableZone(team?.time_zone),
    now: o.now ?? new Date(),
    say: o.say ?? (() => {}),
    summary: {
      campaigns: o.campaigns.length,
      links: 0,
      clicks: 0,
      botClicks: 0,
      uniqueClicks: 0,
      sales: 0,
      rebills: 0,
      refunds: 0,
      chargebacks: 0,
      net: 0,
    },
  };
  const filled = [];
  for (const [i, campaign] of o.campaigns.slice(0, DEMO_PROFILES.length).entries()) {
    const links = await demoLinks(db, r, campaign, o.teamId, o.userId);
    const { click_prefix: prefix } = await db('campaigns')
      .where({ id: campaign.id })
      .first<{ click_prefix: string }>('click_prefix');
    filled.push({ campaign, profile: DEMO_PROFILES[i]!, prefix, links });
    ctx.summary.links += DEMO_SOURCES.length;
  }
  const sales = await writeDemoClicks(ctx, filled, o.days ?? 90);
  await recordDemoSales(ctx, notificationsFor(ctx, sales));
  return ctx.summary;
}
