import type { Knex } from 'knex';

import type { CampaignFigures, InsightFigures } from '../lib/insights/prompt';

type Db = Knex | Knex.Transaction;

export interface InsightRecipient {
  userId: string;
  email: string;
  name: string;
}

export interface InsightRow {
  id: string;
  day: string;
  summary: string;
  model: string | null;
  figures: InsightFigures;
  createdAt: Date;
  updatedAt: Date;
}

const columns = (db: Db) => [
  'id',
  // A date column would come back as a local-midnight Date; the calendar day is what the team means.
  db.raw("to_char(day, 'YYYY-MM-DD') as day"),
  'summary',
  'model',
  'figures',
  'created_at as createdAt',
  'updated_at as updatedAt',
];

/** The team's newest insights first (by day). */
export function listInsights(db: Db, teamId: string, limit: number): Promise<InsightRow[]> {
  return db('team_insights')
    .where({ team_id: teamId })
    .orderBy('day', 'desc')
    .limit(limit)
    .select<InsightRow[]>(columns(db));
}

export function findInsightsEmailSetting(
  db: Db,
  teamId: string,
  userId: string,
): Promise<boolean | undefined> {
  return db('team_members')
    .where({ team_id: teamId, user_id: userId })
    .first<{ insights_email: boolean } | undefined>('insights_email')
    .then((row) => row?.insights_email);
}

/** Sets the member's own opt-in; false when they are not (or no longer) a member. */
export async function setInsightsEmailSetting(
  db: Db,
  teamId: string,
  userId: string,
  enabled: boolean,
): Promise<boolean> {
  const updated = await db('team_members')
    .where({ team_id: teamId, user_id: userId })
    .update({ insights_email: enabled, updated_at: db.fn.now() });
  return updated > 0;
}

/**
 * Rolls the team's analytics_events of one local day (`start` to `end`) up into analytics_daily, in one
 * transaction. It replaces the team's rows for that day, so a rerun after late events gives the right numbers.
 */
export async function rollUpAnalyticsDay(
  db: Knex,
  teamId: string,
  day: string,
  start: Date,
  end: Date,
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('analytics_daily').where({ team_id: teamId, day }).delete();
    await trx.raw(
      `INSERT INTO analytics_daily (team_id, campaign_id, day, clicks, sales, refunds, revenue)
       SELECT team_id, campaign_id, ?::date,
              count(*) FILTER (WHERE type = 'click'),
              count(*) FILTER (WHERE type IN ('sale','rebill')),
              count(*) FILTER (WHERE type IN ('refund','chargeback')),
              coalesce(sum(CASE WHEN type IN ('sale','rebill') THEN coalesce(amount, 0)
                                WHEN type IN ('refund','chargeback') THEN -abs(coalesce(amount, 0))
                                ELSE 0 END), 0)
       FROM analytics_events
       WHERE team_id = ? AND occurred_at >= ? AND occurred_at < ?
       GROUP BY team_id, campaign_id`,
      [day, teamId, start, end],
    );
  });
}

/** The day's rolled-up figures per campaign (name null: events without a campaign), best revenue first. */
export async function listDailyCampaignFigures(
  db: Db,
  teamId: string,
  day: string,
): Promise<(Omit<CampaignFigures, 'name'> & { name: string | null })[]> {
  const rows = await db('analytics_daily as d')
    .leftJoin('campaigns as c', 'c.id', 'd.campaign_id')
    .where({ 'd.team_id': teamId, 'd.day': day })
    .orderBy([
      { column: 'd.revenue', order: 'desc' },
      { column: 'd.clicks', order: 'desc' },
    ])
    .select<
      {
        campaign_id: string | null;
        name: string | null;
        clicks: number;
        sales: number;
        refunds: number;
        revenue: string;
      }[]
    >('d.campaign_id', 'c.name', 'd.clicks', 'd.sales', 'd.refunds', 'd.revenue');
  // count and numeric columns come back as strings.
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    name: r.name,
    clicks: Number(r.clicks),
    sales: Number(r.sales),
    refunds: Number(r.refunds),
    revenue: Number(r.revenue),
  }));
}

/** Upserts the team's insight for the day (a rerun replaces it); returns its id. */
export async function upsertInsight(
  db: Db,
  insight: { teamId: string; day: string; figures: InsightFigures; summary: string; model: string | null },
): Promise<string> {
  const [row] = await db('team_insights')
    .insert({
      team_id: insight.teamId,
      day: insight.day,
      figures: JSON.stringify(insight.figures),
      summary: insight.summary,
      model: insight.model,
    })
    .onConflict(['team_id', 'day'])
    .merge(['figures', 'summary', 'model', 'updated_at'])
    .returning<{ id: string }[]>('id');
  return row!.id;
}

/** The day's insight with the team's name (what its email says), or undefined when none was stored. */
export async function findInsightForEmail(
  db: Db,
  teamId: string,
  day: string,
): Promise<{ summary: string; figures: InsightFigures; teamName: string } | undefined> {
  const row = await db('team_insights as i')
    .join('teams as t', 't.id', 'i.team_id')
    .where({ 'i.team_id': teamId, 'i.day': day })
    .first<{ summary: string; figures: InsightFigures; team_name: string } | undefined>(
      'i.summary',
      'i.figures',
      't.name as team_name',
    );
  return row && { summary: row.summary, figures: row.figures, teamName: row.team_name };
}

/** The members who turned the nightly insight email on, by address. */
export function listInsightEmailRecipients(db: Db, teamId: string): Promise<InsightRecipient[]> {
  return db('team_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'm.team_id': teamId, 'm.insights_email': true })
    .orderBy('u.email')
    .select<InsightRecipient[]>('u.id as userId', 'u.email as email', 'u.name as name');
}
