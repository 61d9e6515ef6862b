import { randomUUID } from 'node:crypto';
import type { Application } from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';

export interface TestApi {
  app: Application;
  deps: ApiDeps;
  config: Config;
  db: Knex;
  close(): Promise<void>;
}

export interface TestApiOptions {
  auth?: Partial<Config['auth']>;
  api?: Partial<Config['api']>;
  limits?: Partial<Config['limits']>;
  /** Where the platform's account emails go (default: the Postmark sandbox of global setup). */
  platformMail?: Partial<Config['platformMail']>;
  /** Connect to the Temporal dev server from global setup (default: no Temporal, platform checks answer 503). */
  temporal?: boolean;
  /** The API pool's statement timeout (default: DB_STATEMENT_TIMEOUT_MS, as api/server.ts applies it). */
  statementTimeoutMs?: number;
}

/** A real app on the test database, real Redis (db 9) and optionally real Temporal; close() releases them. */
export async function createTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  const base = loadConfig();
  const config: Config = {
    ...base,
    auth: { ...base.auth, ...opts.auth },
    api: { ...base.api, ...opts.api },
    limits: { ...base.limits, ...opts.limits },
    platformMail: { ...base.platformMail, ...opts.platformMail },
  };
  const db = createDb(config, {
    statementTimeoutMs: opts.statementTimeoutMs ?? config.database.statementTimeoutMs,
  });
  const kv = await createKeyValue(config);
  let temporal: TemporalClient | null = null;
  if (opts.temporal) temporal = await createTemporalClient(config);
  const deps: ApiDeps = { config, db, logger: createLogger(config, 'api-test'), kv, temporal };
  return {
    app: createApp(deps),
    deps,
    config,
    db,
    async close() {
      await Promise.allSettled([db.destroy(), kv.close(), temporal?.close()]);
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** What supertest can call: an Express app or a listening server. */
export type AppUnderTest = Parameters<typeof request>[0];

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

export interface RegisteredUser {
  id: string;
  email: string;
  name: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  personalTeamId: string;
}

/** The Postmark sandbox the platform's account emails go to (global setup starts it; see loadConfig). */
let platformMailbox: string | undefined;
export function platformMailboxUrl(): string {
  platformMailbox ??= `http://${loadConfig().platformMail.requestHost}`;
  return platformMailbox;
}

/**
 * The newest platform email to `to` with the given tag (account-confirmation, account-exists), waiting for it:
 * the API sends in the background after answering. Read through the sandbox's /sandbox/messages listing.
 */
export async function waitForPlatformEmail(
  to: string,
  tag: string,
  opts: { timeoutMs?: number; count?: number } = {},
): Promise<RecordedMessage[]> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const wanted = opts.count ?? 1;
  for (;;) {
    const url = `${platformMailboxUrl()}/sandbox/messages?to=${encodeURIComponent(to)}&tag=${encodeURIComponent(tag)}`;
    const { messages } = (await (await fetch(url)).json()) as { messages: RecordedMessage[] };
    const exact = messages.filter((m) => m.Recipients.includes(to.toLowerCase()));
    if (exact.length >= wanted) return exact;
    if (Date.now() > deadline) {
      throw new Error(
        `no ${tag} email to ${to} within ${opts.timeoutMs ?? 10_000} ms (found ${exact.length})`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The token of the confirmation link in an account-confirmation email. */
export function confirmationTokenOf(message: RecordedMessage): string {
  const token = /\/register\/confirm\?token=([\w-]+)/.exec(message.TextBody ?? '')?.[1];
  if (!token) throw new Error(`no confirmation link in: ${message.TextBody ?? '(no text body)'}`);
  return token;
}

/**
 * Registers as a person does: POST /auth/register (202), the confirmation link from the email in the Postmark
 * sandbox, POST /auth/register/confirm (201, signed in).
 */
export async function registerUser(app: AppUnderTest, label = 'user'): Promise<RegisteredUser> {
  const email = uniqueEmail(label);
  const password = 'correct horse battery staple';
  const res = await request(app).post('/api/v1/auth/register').send({ email, password, name: label });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const [message] = await waitForPlatformEmail(email, 'account-confirmation');
  const confirmed = await request(app)
    .post('/api/v1/auth/register/confirm')
    .send({ token: confirmationTokenOf(message!), password });
  if (confirmed.status !== 201) {
    throw new Error(`register confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  const body = confirmed.body as {
    user: { id: string };
    team: { id: string };
    accessToken: string;
    refreshToken: string;
  };
  return {
    id: body.user.id,
    email,
    name: label,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    personalTeamId: body.team.id,
  };
}

/** A non-personal team owned by `owner`, with the given users added at the given roles. */
export async function createTeamWith(
  app: Application,
  owner: RegisteredUser,
  members: { user: RegisteredUser; role: 'owner' | 'admin' | 'editor' | 'viewer' }[] = [],
  name = 'Test team',
): Promise<string> {
  const res = await request(app).post('/api/v1/teams').set(bearer(owner.accessToken)).send({ name });
  if (res.status !== 201) throw new Error(`create team failed: ${res.status} ${JSON.stringify(res.body)}`);
  const teamId = (res.body as { team: { id: string } }).team.id;
  for (const { user, role } of members) {
    const added = await request(app)
      .post(`/api/v1/teams/${teamId}/members`)
      .set(bearer(owner.accessToken))
      .send({ email: user.email, role });
    if (added.status !== 201)
      throw new Error(`add member failed: ${added.status} ${JSON.stringify(added.body)}`);
  }
  return teamId;
}

// Jest's asymmetric matchers are typed `any`; typed as unknown they can sit in expected objects without lint noise.
export const anyString: unknown = expect.any(String);
export const anyNumber: unknown = expect.any(Number);
export const anyArray: unknown = expect.any(Array);

/** The shape every error response has. */
export function expectErrorShape(body: unknown, code: string): void {
  expect(body).toEqual({
    error: { code, message: anyString, details: anyArray, requestId: anyString },
  });
}
