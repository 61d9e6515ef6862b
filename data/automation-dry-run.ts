import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** The automation's latest version (draft or published), team-scoped: another team's automation is not found. */
export async function latestAutomationVersion(
  db: Db,
  teamId: string,
  automationId: string,
): Promise<{ version: number; definition: unknown } | undefined> {
  return db('workflow_versions')
    .where({ workflow_id: automationId, team_id: teamId })
    .orderBy('version', 'desc')
    .first<{ version: number; definition: unknown } | undefined>('version', 'definition');
}
