import type { Knex } from 'knex';
import type { InsightFigures } from '../activities/insights';

type Db = Knex | Knex.Transaction;

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
