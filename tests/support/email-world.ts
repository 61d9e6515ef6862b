import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { createApp } from '../../api/app';
import { upsertContact, type ContactRow } from '../../data/contacts';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import {
  startPostmarkSandbox,
  type RecordedRequest,
  type SandboxServer,
} from '../../sandbox/postmark/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import type { RegisteredUser } from './api';
import { given } from './fixtures';
import { startTestWorkers, type TestWorkers } from './worker';

/**
 * What the sequence, broadcast and unsubscribe tests share: the real API listening on a port (email links point
 * at it), real workers, Temporal, and the Postmark sandbox the workers send to. Not a test file itself.
 */
export interface EmailWorld {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  config: Config;
  db: Knex;
  temporal: TemporalClient;
  postmark: SandboxServer;
  baseUrl: string;
  user: RegisteredUser;
  teamId: string;
  campaignId: string;
  productTitle: string;
  /** What `{{ hoplink }}` becomes in a sequence email: the campaign's tracking link, source `email`. */
  hoplink: string;
  close(): Promise<void>;
}

export async function startEmailWorld(label: string): Promise<EmailWorld> {
  const postmark = await startPostmarkSandbox({ port: 0 });
  const base = loadConfig();
  const config: Config = {
    ...base,
    integrations: {
      ...base.integrations,
      postmark: {
        ...base.integrations.postmark,
        mode: 'sandbox',
        requestHost: new URL(postmark.url).host,
        useHttps: false,
      },
    },
    // Filled in below once the server listens: links in emails must reach this app.
    links: { ...base.links },
  };
  const db = createDb(config);
  const kv: KeyValue = await createKeyValue(config);
  const temporal = await createTemporalClient(config);
  const deps: ApiDeps = { config, db, logger: createLogger(config, `${label}-test`), kv, temporal };
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.links.publicUrl = baseUrl;
  let workers: TestWorkers | undefined;
  try {
    workers = await startTestWorkers({ db, config, kv });
  } catch (err) {
    server.close();
    throw err;
  }

  const productTitle = `Keto Kickstart ${randomUUID().slice(0, 4)}`;
  const { user, teamId, campaign } = await given.userWithCampaign(
    { app, db },
    {
      label: `${label}-owner`,
      campaign: {
        name: 'Keto spring push',
        product: {
          clickbank_id: `k${randomUUID().slice(0, 8)}`,
          title: productTitle,
          category_path: ['Diets'],
        },
      },
    },
  );

  return {
    app,
    deps,
    config,
    db,
    temporal,
    postmark,
    baseUrl,
    user,
    teamId,
    campaignId: campaign.id,
    productTitle,
    hoplink: `${campaign.trackingUrl}?src=email`,
    async close() {
      await workers?.stop();
      await new Promise((resolve) => server.close(resolve));
      await Promise.allSettled([db.destroy(), kv.close(), temporal.close(), postmark.close()]);
    },
  };
}

export const uniqueAddress = (label: string, domain = 'example.test') =>
  `${label}-${randomUUID().slice(0, 8)}@${domain}`;

export function addContact(
  w: EmailWorld,
  c: { email?: string; firstName?: string; lastName?: string; tags?: string[] } = {},
): Promise<ContactRow> {
  return upsertContact(w.db, {
    teamId: w.teamId,
    email: c.email ?? uniqueAddress('reader'),
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    tags: c.tags,
    source: 'manual',
  });
}

/** The sandbox mailbox for one address, oldest first. */
export async function mailbox(w: EmailWorld, to: string): Promise<RecordedMessage[]> {
  const res = await fetch(`${w.postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: RecordedMessage[] }).messages.reverse();
}

export async function sandboxRequests(w: EmailWorld): Promise<RecordedRequest[]> {
  const res = await fetch(`${w.postmark.url}/sandbox/requests`);
  return ((await res.json()) as { requests: RecordedRequest[] }).requests;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

export const header = (message: RecordedMessage, name: string): string | undefined =>
  message.Headers.find((h) => h.Name.toLowerCase() === name.toLowerCase())?.Value;

/** The unsubscribe URL of a received message, from its List-Unsubscribe header (`<url>`). */
export function unsubscribeLink(message: RecordedMessage): string {
  const value = header(message, 'List-Unsubscribe');
  const url = /^<(.+)>$/.exec(value ?? '')?.[1];
  if (!url) throw new Error(`no List-Unsubscribe header in ${JSON.stringify(message.Headers)}`);
  return url;
}
