import type { Knex } from 'knex';

import type { InsightFigures } from '../lib/insights/prompt';

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
