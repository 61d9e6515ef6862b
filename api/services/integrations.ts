import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { isIntegrationError } from '../../lib/integrations/adapters/errors';
import { badRequest } from '../../lib/errors';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/logger';
import { sealJson, SecretBoxError } from '../../lib/crypto/secret-box';
import { connectionTesters, type ConnectionTesters } from '../../lib/integrations/connection-test';
import {
  credentialSource,
  integrationDisplayNames,
  secretAad,
  secretFields,
  teamIntegrationProviders,
  type TeamIntegrationProvider,
} from '../../lib/integrations/providers';
import { createIntegrationResolver, type AdapterSettings } from '../../lib/integrations/resolve';
import { openCredentials } from '../../lib/integrations/store';
import {
  deleteTeamIntegration,
  findTeamIntegration,
  listTeamIntegrations,
  lockTeamIntegration,
  recordConnectionTest,
  saveTeamIntegration,
  teamIntegrationStore,
  type TeamIntegrationRow,
} from '../../data/integrations';
import type { TeamMembership } from '../http/locals';
import type { IntegrationBody } from '../schemas/integrations';
import { inTransaction } from '../../data/transaction';

/** A team's integration as the service sees it (dates as Date; the response shape is IntegrationView). */
export interface IntegrationState {
  provider: TeamIntegrationProvider;
  mode: 'sandbox' | 'live';
  connected: boolean;
  source: 'team' | 'sandbox' | 'none';
  settings: Record<string, string>;
  secrets: Record<string, string>;
  insUrl: string | null;
  lastTest: { ok: boolean; message: string; at: Date } | null;
  updatedAt: Date | null;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  testedAt: Date;
}

/** Shows at most the last four characters, and none of a short secret (four would be most of it). */
function maskSecret(secret: string): string {
  return '••••••••' + (secret.length >= 12 ? secret.slice(-4) : '');
}

export interface IntegrationServiceDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'api'>;
  logger: Logger;
  /** Defaults to the adapters' testConnection(); the API process waits at most testTimeoutMs for one. */
  testers?: ConnectionTesters;
  testTimeoutMs?: number;
}

export function createIntegrationService(deps: IntegrationServiceDeps) {
  const { db, config, logger } = deps;
  const testers = deps.testers ?? connectionTesters;
  const testTimeoutMs = deps.testTimeoutMs ?? 10_000;
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config });
  const key = () => config.integrations.encryptionKey;

  /** Stored secrets, or undefined when they cannot be opened (encryption key changed, row tampered). */
  function openSecrets(row: TeamIntegrationRow): Record<string, string> | undefined {
    try {
      return openCredentials(key(), row).secrets;
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      logger.warn(
        { teamId: row.teamId, provider: row.provider },
        'stored integration secret cannot be opened',
      );
      return undefined;
    }
  }

  function view(provider: TeamIntegrationProvider, row: TeamIntegrationRow | undefined): IntegrationState {
    const mode = config.integrations[provider].mode;
    const secrets: Record<string, string> = {};
    if (row) {
      const opened = openSecrets(row);
      for (const { name } of secretFields[provider]) {
        const value = opened?.[name];
        if (opened === undefined) secrets[name] = 'unreadable: enter it again';
        else if (typeof value === 'string') secrets[name] = maskSecret(value);
      }
    }
    const settings: Record<string, string> = {};
    for (const [name, value] of Object.entries(row?.settings ?? {})) {
      if (typeof value === 'string') settings[name] = value;
    }
    return {
      provider,
      mode,
      connected: row !== undefined,
      source: credentialSource(mode, row !== undefined),
      settings,
      secrets,
      insUrl: row?.insToken ? `${config.api.publicUrl}/webhooks/clickbank/ins/${row.insToken}` : null,
      lastTest:
        row && row.lastTestOk !== null && row.lastTestedAt
          ? { ok: row.lastTestOk, message: row.lastTestMessage ?? '', at: row.lastTestedAt }
          : null,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  async function runTester<P extends TeamIntegrationProvider>(
    provider: P,
    settings: AdapterSettings[P],
  ): Promise<{ ok: boolean; message: string }> {
    const name = integrationDisplayNames[provider];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} did not answer within ${Math.round(testTimeoutMs / 1000)} seconds`)),
        testTimeoutMs,
      );
    });
    try {
      const tester = testers[provider] as (s: AdapterSettings[P]) => Promise<{ ok: true; detail: string }>;
      const result = await Promise.race([tester(settings), timeout]);
      return { ok: true, message: result.detail };
    } catch (err) {
      if (isIntegrationError(err)) return { ok: false, message: err.plainMessage };
      logger.warn({ err, provider }, 'integration connection test failed unexpectedly');
      return {
        ok: false,
        message: `Could not test ${name}: ${err instanceof Error ? err.message : String(err)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    resolver,

    async list(m: TeamMembership): Promise<IntegrationState[]> {
      const rows = await listTeamIntegrations(db, m.teamId);
      return teamIntegrationProviders.map((p) =>
        view(
          p,
          rows.find((r) => r.provider === p),
        ),
      );
    },

    async get(m: TeamMembership, provider: TeamIntegrationProvider): Promise<IntegrationState> {
      return view(provider, await findTeamIntegration(db, m.teamId, provider));
    },

    /**
     * Saves the team's credentials. Secret fields left out keep their stored value; null removes an optional
     * one; a required secret that is neither sent nor stored is a 400 naming the field.
     */
    async save<P extends TeamIntegrationProvider>(
      m: TeamMembership,
      userId: string,
      provider: P,
      body: IntegrationBody[P],
    ): Promise<IntegrationState> {
      const row = await inTransaction(db, async (trx) => {
        const existing = await lockTeamIntegration(trx, m.teamId, provider);
        const stored = existing ? (openSecrets(existing) ?? {}) : {};
        const sent = body as Record<string, unknown>;
        const secrets: Record<string, string> = {};
        const settings: Record<string, unknown> = {};
        const missing: { path: string; message: string }[] = [];
        const secretNames = new Set<string>(secretFields[provider].map((f) => f.name));
        for (const { name, required } of secretFields[provider]) {
          const value = sent[name] === undefined ? stored[name] : sent[name];
          if (typeof value === 'string') secrets[name] = value;
          else if (required) missing.push({ path: name, message: 'Required: nothing is stored for it yet' });
        }
        if (missing.length > 0) {
          throw badRequest(
            `Enter the ${integrationDisplayNames[provider]} credentials to connect it`,
            missing,
          );
        }
        for (const [name, value] of Object.entries(sent)) {
          if (!secretNames.has(name) && value !== undefined) settings[name] = value;
        }
        return saveTeamIntegration(trx, {
          teamId: m.teamId,
          provider,
          secret: sealJson(key(), secrets, secretAad(m.teamId, provider)),
          settings,
          // 32 random bytes: the token alone authorizes posting INS notifications for this team.
          insToken:
            provider === 'clickbank' ? (existing?.insToken ?? randomBytes(32).toString('base64url')) : null,
          userId,
        });
      });
      return view(provider, row);
    },

    /** Disconnects: the team falls back to the sandbox (sandbox mode) or to nothing (live mode). */
    async remove(m: TeamMembership, provider: TeamIntegrationProvider): Promise<void> {
      await deleteTeamIntegration(db, m.teamId, provider);
    },

    /**
     * Tests the credentials calls would use now (the team's, or the sandbox defaults) with one real call.
     * Never throws for a refusal: the answer carries the provider's error in plain words.
     */
    async test(m: TeamMembership, provider: TeamIntegrationProvider): Promise<ConnectionTestResult> {
      const row = await findTeamIntegration(db, m.teamId, provider);
      let outcome: { ok: boolean; message: string };
      try {
        const settings = await resolver[provider](m.teamId);
        outcome = await runTester(provider, settings);
      } catch (err) {
        if (!isIntegrationError(err)) throw err;
        outcome = { ok: false, message: err.plainMessage }; // not connected, or unreadable credentials
      }
      const result = { ...outcome, testedAt: new Date() };
      if (row) await recordConnectionTest(db, m.teamId, provider, result, row.secret);
      return result;
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;
