import { openJson } from '../crypto/secret-box';
import {
  secretAad,
  type ProviderSecrets,
  type ProviderSettings,
  type TeamIntegrationProvider,
} from './providers';

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

/**
 * How the resolver reads a team's stored credentials; data/integrations.ts binds the queries to a database
 * (teamIntegrationStore), so this ground floor stays free of SQL.
 */
export interface TeamIntegrationStore {
  find(teamId: string, provider: TeamIntegrationProvider): Promise<TeamIntegrationRow | undefined>;
  /** The ClickBank row whose INS URL carries this token. */
  findClickbankByInsToken(insToken: string): Promise<TeamIntegrationRow | undefined>;
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
