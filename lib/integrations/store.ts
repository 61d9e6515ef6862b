import type { Knex } from 'knex';
import { openJson } from '../crypto/secret-box';
import {
  secretAad,
  type ProviderSecrets,
  type ProviderSettings,
  type TeamIntegrationProvider,
} from './providers';

type Db = Knex | Knex.Transaction;

/** A team_integrations row as stored (secret still sealed). */
export interface TeamIntegrationRow {
  id: string;
  teamId: string;
  provider: TeamIntegrationProvider;
  secret: string;
  settings: Record<string, unknown>;
  insToken: string | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  lastTestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const teamIntegrationColumns = [
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

export function findClickbankByInsToken(db: Db, insToken: string): Promise<TeamIntegrationRow | undefined> {
  return db('team_integrations')
    .where({ ins_token: insToken, provider: 'clickbank' })
    .first<TeamIntegrationRow | undefined>(teamIntegrationColumns);
}

/** The decrypted credentials of one row: secret fields and plain settings together. */
export interface OpenedCredentials<P extends TeamIntegrationProvider> {
  secrets: ProviderSecrets[P];
  settings: ProviderSettings[P];
}

export function openCredentials<P extends TeamIntegrationProvider>(
  key: Buffer,
  row: TeamIntegrationRow & { provider: P },
): OpenedCredentials<P> {
  return {
    secrets: openJson<ProviderSecrets[P]>(key, row.secret, secretAad(row.teamId, row.provider)),
    settings: row.settings as ProviderSettings[P],
  };
}
