import type { Knex } from 'knex';
import type { TeamIntegrationProvider } from '../lib/integrations/providers';
import type { TeamIntegrationRow, TeamIntegrationStore } from '../lib/integrations/store';

export type { TeamIntegrationRow } from '../lib/integrations/store';

type Db = Knex | Knex.Transaction;

const teamIntegrationColumns = [
  'id',
  'team_id as teamId',
  'provider',
  'secret',
  'settings',
  'ins_token as insToken',
  'last_test_ok as lastTestOk',
  'last_test_message as lastTestMessage',
  'last_tested_at as lastTestedAt',
  'created_at as createdAt',
  'updated_at as updatedAt',
];

export function findTeamIntegration(
  db: Db,
  teamId: string,
  provider: TeamIntegrationProvider,
): Promise<TeamIntegrationRow | undefined> {
  return db('team_integrations')
    .where({ team_id: teamId, provider })
    .first<TeamIntegrationRow | undefined>(teamIntegrationColumns);
}

function findClickbankByInsToken(db: Db, insToken: string): Promise<TeamIntegrationRow | undefined> {
  return db('team_integrations')
    .where({ ins_token: insToken, provider: 'clickbank' })
    .first<TeamIntegrationRow | undefined>(teamIntegrationColumns);
}

/** The reads the integration resolver (lib/integrations/resolve.ts) needs, bound to this database. */
export function teamIntegrationStore(db: Db): TeamIntegrationStore {
  return {
    find: (teamId, provider) => findTeamIntegration(db, teamId, provider),
    findClickbankByInsToken: (insToken) => findClickbankByInsToken(db, insToken),
  };
}

export function listTeamIntegrations(db: Db, teamId: string): Promise<TeamIntegrationRow[]> {
  return db('team_integrations')
    .where({ team_id: teamId })
    .select<TeamIntegrationRow[]>(teamIntegrationColumns);
}

/** Locks the team's row for this provider (if any) so concurrent saves merge secrets one after the other. */
export function lockTeamIntegration(
  trx: Knex.Transaction,
  teamId: string,
  provider: TeamIntegrationProvider,
): Promise<TeamIntegrationRow | undefined> {
  return trx('team_integrations')
    .where({ team_id: teamId, provider })
    .forUpdate()
    .first<TeamIntegrationRow | undefined>(teamIntegrationColumns);
}

export interface SaveIntegration {
  teamId: string;
  provider: TeamIntegrationProvider;
  secret: string;
  settings: Record<string, unknown>;
  /** Only used when the row is created; an existing row keeps its token. */
  insToken: string | null;
  userId: string;
}

/**
 * Inserts or updates the team's row. On a concurrent first save the later one updates the earlier row and
 * keeps its ins_token (the URL may already be pasted into ClickBank). Saving new credentials clears the
 * last test result: it described the old ones.
 */
export async function saveTeamIntegration(db: Db, save: SaveIntegration): Promise<TeamIntegrationRow> {
  const rows = await db('team_integrations')
    .insert({
      team_id: save.teamId,
      provider: save.provider,
      secret: save.secret,
      settings: JSON.stringify(save.settings),
      ins_token: save.insToken,
      created_by: save.userId,
      updated_by: save.userId,
    })
    .onConflict(['team_id', 'provider'])
    .merge({
      secret: save.secret,
      settings: JSON.stringify(save.settings),
      updated_by: save.userId,
      updated_at: db.fn.now(),
      last_test_ok: null,
      last_test_message: null,
      last_tested_at: null,
    })
    .returning<TeamIntegrationRow[]>(teamIntegrationColumns);
  const row = rows[0];
  if (!row) throw new Error('team_integrations upsert returned no row');
  return row;
}

export async function deleteTeamIntegration(
  db: Db,
  teamId: string,
  provider: TeamIntegrationProvider,
): Promise<boolean> {
  const deleted = await db('team_integrations').where({ team_id: teamId, provider }).delete();
  return deleted > 0;
}

export async function recordConnectionTest(
  db: Db,
  teamId: string,
  provider: TeamIntegrationProvider,
  result: { ok: boolean; message: string; testedAt: Date },
  /**
   * The sealed secret of the row that was tested: every save re-seals with a fresh IV, so a match means the
   * credentials were not replaced while the test ran (updated_at would not do: JS dates drop microseconds).
   */
  testedSecret: string,
): Promise<void> {
  await db('team_integrations')
    .where({ team_id: teamId, provider, secret: testedSecret })
    .update({ last_test_ok: result.ok, last_test_message: result.message, last_tested_at: result.testedAt });
}
