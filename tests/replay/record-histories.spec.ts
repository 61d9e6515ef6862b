import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { startAnthropicSandbox } from '../../sandbox/anthropic/server';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import { startClickbankSandbox } from '../../sandbox/clickbank/server';
import type { SandboxServer } from '../../sandbox/listen';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { getWorkflowBundle } from '../../temporal/bundle';
import { createTemporalClient } from '../../temporal/client';
import { upsertContact } from '../../data/contacts';
import { bearer, registerUser, type RegisteredUser } from '../support/api';
import { givenAutomation } from '../support/automations';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';
import { exportedWorkflowNames, HISTORIES_DIR, historyToJson } from '../support/histories';

/**
 * Records the history of one real, completed run of every workflow in workflows/index.ts into
 * tests/replay/histories/<workflowType>.json, which tests/integration/replay.test.ts replays on every test run.
 * Run it through `npx tsx scripts/record-histories.ts` (fresh database, Temporal dev server, sandboxes, real
 * workers) after a deliberate, compatible workflow change or when a new workflow is added.
 */

interface World {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  baseUrl: string;
  user: RegisteredUser;
}

/** The team's INS URL on the recording app (the same settings every recorder saves). */
async function insUrl({ app, baseUrl, user }: World): Promise<string> {
  const saved = await request(app)
    .put(`/api/v1/teams/${user.personalTeamId}/integrations/clickbank`)
    .set(bearer(user.accessToken))
    .send({ affiliateNickname: 'recordaff', insSecretKey: 'RECORDSECRET1' })
    .expect(200);
  return `${baseUrl}${new URL((saved.body as { integration: { insUrl: string } }).integration.insUrl).pathname}`;
}

/** A campaign with tid `tid` offering one link bonus (sales find it by the tid). */
async function campaignWithBonus({ app, deps, user }: World, tid: string): Promise<void> {
  const campaign = await given.campaignRow(deps.db, {
    teamId: user.personalTeamId,
    tid,
    name: `Recorded ${tid}`,
    hoplink: 'https://hop.clickbank.net/',
  });
  await request(app)
    .post(`/api/v1/teams/${user.personalTeamId}/bonuses`)
    .set(bearer(user.accessToken))
    .send({ name: 'Recorded bonus', url: 'https://example.com/bonus.pdf', campaignIds: [campaign.id] })
    .expect(201);
}

const ONLY = process.env.RECORD_ONLY?.split(',').filter(Boolean);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** One driver per workflow type: makes one real run happen through the API and returns its workflow id. */
const recorders: Record<string, (w: World) => Promise<string>> = {
  async platformCheckWorkflow({ app, user }) {
    const res = await request(app)
      .post(`/api/v1/teams/${user.personalTeamId}/platform-checks`)
      .set(bearer(user.accessToken))
      .expect(202);
    return (res.body as { check: { workflowId: string } }).check.workflowId;
  },

  async clickbankNotificationWorkflow({ app, baseUrl, user }) {
    const saved = await request(app)
      .put(`/api/v1/teams/${user.personalTeamId}/integrations/clickbank`)
      .set(bearer(user.accessToken))
      .send({ affiliateNickname: 'recordaff', insSecretKey: 'RECORDSECRET1' })
      .expect(200);
    const insPath = new URL((saved.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    const sent = await sendInsNotification({
      url: `${baseUrl}${insPath}`,
      secret: 'RECORDSECRET1',
      type: 'SALE',
    });
    return `clickbank-ins:${user.personalTeamId}:${String(sent.notification.receipt)}:SALE:1`;
  },

  /** A SALE carrying a campaign's tid: one bonus delivered and emailed (Postmark sandbox). */
  async bonusDeliveryWorkflow(world) {
    await campaignWithBonus(world, 'record_bonus');
    const sent = await sendInsNotification({
      url: await insUrl(world),
      secret: 'RECORDSECRET1',
      type: 'SALE',
      tid: 'record_bonus',
    });
    return `bonus:${String(sent.notification.receipt)}:1`;
  },

  /** A delivered SALE, then its refund: links revoked, the owner notified. */
  async bonusRevocationWorkflow(world) {
    await campaignWithBonus(world, 'record_refund');
    const url = await insUrl(world);
    const sale = await sendInsNotification({
      url,
      secret: 'RECORDSECRET1',
      type: 'SALE',
      tid: 'record_refund',
    });
    const receipt = String(sale.notification.receipt);
    await waitFor('the bonus delivery', async () => {
      const rows = await world.deps.db('bonus_deliveries').where({ receipt }).select('id');
      return rows.length > 0 ? true : undefined;
    });
    await sendInsNotification({ url, secret: 'RECORDSECRET1', type: 'RFND', receipt, tid: 'record_refund' });
    return `bonus-revoke:${receipt}:RFND`;
  },

  /** A link bonus's test email to the person who asks, started through the API. */
  async bonusTestDeliveryWorkflow({ app, user }) {
    const team = `/api/v1/teams/${user.personalTeamId}`;
    const created = await request(app)
      .post(`${team}/bonuses`)
      .set(bearer(user.accessToken))
      .send({ name: 'Recorded test bonus', url: 'https://example.com/recorded.pdf', campaignIds: [] })
      .expect(201);
    const bonusId = (created.body as { bonus: { id: string } }).bonus.id;
    const res = await request(app)
      .post(`${team}/bonuses/${bonusId}/test-delivery`)
      .set(bearer(user.accessToken))
      .expect(202);
    return (res.body as { workflowId: string }).workflowId;
  },

  /** A manual sync of a small sandbox feed, started through the API. */
  async catalogSyncWorkflow({ app, user }) {
    const res = await request(app).post('/api/v1/products/sync').set(bearer(user.accessToken)).expect(202);
    return (res.body as { workflowId: string }).workflowId;
  },

  /** The full review journey: draft, revise with notes, redraft, approve, publish to WordPress. */
  async contentPipelineWorkflow({ app, deps, user }) {
    const teamId = user.personalTeamId;
    const campaign = await given.campaign({ app, db: deps.db }, user, {
      name: 'Recorded campaign',
      product: { clickbank_id: 'recordvnd', title: 'Record Product', description: 'For the saved history.' },
    });
    const content = `/api/v1/teams/${teamId}/content`;
    const created = await request(app)
      .post(content)
      .set(bearer(user.accessToken))
      .send({
        campaignId: campaign.id,
        type: 'email',
        tone: 'friendly',
        keywords: ['record'],
        length: 'short',
      })
      .expect(202);
    const { content: item, workflowId } = created.body as { content: { id: string }; workflowId: string };
    const statusIs = (status: string) =>
      waitFor(`content ${status}`, async () => {
        const res = await request(app).get(`${content}/${item.id}`).set(bearer(user.accessToken));
        return (res.body as { content: { status: string } }).content.status === status ? true : undefined;
      });
    const review = (body: object) =>
      request(app).post(`${content}/${item.id}/review`).set(bearer(user.accessToken)).send(body).expect(200);
    await statusIs('awaiting_review');
    await review({ decision: 'revise', notes: 'Shorter, and mention the guarantee.' });
    await sleep(300);
    await statusIs('awaiting_review');
    await review({ decision: 'approve' });
    await statusIs('published');
    return workflowId;
  },

  /** A two-step sequence (the second a second later) for one contact, enrolled through the API. */
  async emailSequenceWorkflow({ app, deps, user }) {
    const teamId = user.personalTeamId;
    const campaign = await given.campaignRow(deps.db, {
      teamId,
      tid: 'record_seq',
      name: 'Recorded drip',
      hoplink: 'https://hop.clickbank.net/',
    });
    const created = await request(app)
      .post(`/api/v1/teams/${teamId}/sequences`)
      .set(bearer(user.accessToken))
      .send({
        campaignId: campaign.id,
        name: 'Recorded drip',
        steps: [
          { subject: 'Welcome {{ first_name }}', body: 'Day one: {{ hoplink }}', delaySeconds: 0 },
          { subject: 'Day two', body: 'Still there, {{ first_name | "friend" }}?', delaySeconds: 1 },
        ],
      })
      .expect(201);
    const sequenceId = (created.body as { sequence: { id: string } }).sequence.id;
    const contact = await upsertContact(deps.db, {
      teamId,
      email: 'record-seq@example.com',
      firstName: 'Rae',
      source: 'manual',
    });
    await request(app)
      .post(`/api/v1/teams/${teamId}/sequences/${sequenceId}/enroll`)
      .set(bearer(user.accessToken))
      .send({ contactIds: [contact.id] })
      .expect(200);
    return `seq:${sequenceId}:${contact.id}`;
  },

  /** A broadcast to a tag of two contacts, a second after it was scheduled. */
  async broadcastWorkflow({ app, deps, user }) {
    const teamId = user.personalTeamId;
    for (const email of ['record-news-1@example.com', 'record-news-2@example.com']) {
      await upsertContact(deps.db, { teamId, email, tags: ['record-news'], source: 'manual' });
    }
    const res = await request(app)
      .post(`/api/v1/teams/${teamId}/broadcasts`)
      .set(bearer(user.accessToken))
      .send({
        name: 'Recorded news',
        subject: 'News for {{ first_name | "you" }}',
        body: 'Hello!',
        tag: 'record-news',
        sendAt: new Date(Date.now() + 1000).toISOString(),
      })
      .expect(201);
    return (res.body as { broadcast: { workflowId: string } }).broadcast.workflowId;
  },

  /** A small CSV through the import job: read into one piece (a bad row skipped, a repeat merged), imported. */
  async contactImportWorkflow({ app, user }) {
    const teamId = user.personalTeamId;
    const res = await request(app)
      .post(`/api/v1/teams/${teamId}/contacts/imports`)
      .query({ tags: 'recorded' })
      .set(bearer(user.accessToken))
      .set('Content-Type', 'text/csv')
      .send(
        'email,first_name\nrecord-import-1@example.com,Ida\nnot-an-address,x\nrecord-import-2@example.com,\nrecord-import-1@example.com,\n',
      )
      .expect(202);
    return (res.body as { import: { workflowId: string } }).import.workflowId;
  },

  /** A member opted in, a day with clicks and a sale: Claude's note stored and emailed (sandboxes). */
  async teamInsightsWorkflow({ app, deps, user }) {
    const teamId = user.personalTeamId;
    await request(app)
      .put(`/api/v1/teams/${teamId}/members/me/insights-email`)
      .set(bearer(user.accessToken))
      .send({ enabled: true })
      .expect(200);
    const day = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await deps.db('analytics_events').insert([
      { team_id: teamId, type: 'click', occurred_at: `${day}T10:00:00Z` },
      { team_id: teamId, type: 'sale', occurred_at: `${day}T11:00:00Z`, amount: 42, currency: 'USD' },
    ]);
    const res = await request(app)
      .post(`/api/v1/teams/${teamId}/insights/run`)
      .set(bearer(user.accessToken))
      .send({ day })
      .expect(202);
    return (res.body as { workflowId: string }).workflowId;
  },

  /** The hourly dispatcher at 03:00 UTC: starts the (UTC) recorder team's insight for the day before. */
  async insightsDispatchWorkflow({ deps }) {
    const workflowId = 'insights-dispatch-recorded';
    await deps.temporal!.client.workflow.start('insightsDispatchWorkflow', {
      taskQueue: 'main',
      workflowId,
      args: [{ triggerSource: 'schedule', now: '2026-11-20T03:00:00.000Z' }],
    });
    return workflowId;
  },

  /**
   * contact.created raised by the contacts API, with one active automation triggered by it: the fan-out looks
   * for waiting runs (none) and starts the automation.
   */
  async automationEventWorkflow({ app, deps, user }) {
    const teamId = user.personalTeamId;
    await givenAutomation(deps.db, { teamId, trigger: { type: 'event', event: 'contact.created' } });
    const res = await request(app)
      .post(`/api/v1/teams/${teamId}/contacts`)
      .set(bearer(user.accessToken))
      .send({ email: 'record-event@example.com', firstName: 'Eve' })
      .expect(201);
    const contactId = (res.body as { contact: { id: string } }).contact.id;
    return `auto-event:${teamId}:contact.created:${contactId}`;
  },

  /** A manual run of an automation made through the API: a variable, a short wait and a branch on it. */
  async automationRunWorkflow({ app, user }) {
    const url = `/api/v1/teams/${user.personalTeamId}/automations`;
    const created = await request(app)
      .post(url)
      .set(bearer(user.accessToken))
      .send({
        name: 'Recorded automation',
        definition: {
          version: 1,
          trigger: { type: 'manual' },
          steps: [
            {
              id: 'greet',
              name: 'Greet',
              type: 'set_variable',
              config: { name: 'who', value: '{{ trigger.who }}' },
            },
            { id: 'pause', name: 'Pause', type: 'wait', config: { duration: '1s' } },
            {
              id: 'decide',
              name: 'Decide',
              type: 'branch',
              config: {
                branches: [
                  {
                    when: 'vars.who == "world"',
                    steps: [
                      { id: 'yes', name: 'Yes', type: 'set_variable', config: { name: 'seen', value: true } },
                    ],
                  },
                ],
                otherwise: [],
              },
            },
          ],
        },
      })
      .expect(201);
    const id = (created.body as { automation: { id: string } }).automation.id;
    await request(app).post(`${url}/${id}/activate`).set(bearer(user.accessToken)).expect(200);
    const run = await request(app)
      .post(`${url}/${id}/runs`)
      .set(bearer(user.accessToken))
      .send({ payload: { who: 'world' } })
      .expect(202);
    return (run.body as { workflow_id: string }).workflow_id;
  },

  /** The daily analytics upkeep: partitions ahead, retention, old visitor salts. */
  async analyticsMaintenanceWorkflow({ deps }) {
    const workflowId = 'analytics-maintenance-recorded';
    await deps.temporal!.client.workflow.start('analyticsMaintenanceWorkflow', {
      taskQueue: 'main',
      workflowId,
      args: [{ triggerSource: 'manual' }],
    });
    return workflowId;
  },

  /** pg_dump of the recording database into the configured backup folder, then retention. */
  async backupWorkflow({ deps }) {
    const workflowId = 'backup-recorded';
    await deps.temporal!.client.workflow.start('backupWorkflow', {
      taskQueue: 'main',
      workflowId,
      args: [{ triggerSource: 'manual' }],
    });
    return workflowId;
  },
};

describe('record workflow histories', () => {
  jest.setTimeout(300_000);
  let world: World;
  let workers: TestWorkers;
  let server: Server;
  const sandboxes: SandboxServer[] = [];

  beforeAll(async () => {
    const claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 5 });
    const wordpress = await startWordpressSandbox({ port: 0 });
    const postmark = await startPostmarkSandbox({ port: 0 });
    // A small feed keeps the recorded catalog sync short; the feed URL is built from this port.
    const clickbank = await startClickbankSandbox({ port: 0, feedSiteCount: 300 });
    sandboxes.push(claude, wordpress, clickbank, postmark);
    process.env.CLICKBANK_SANDBOX_PORT = String(clickbank.port);
    const base = loadConfig();
    const config: Config = {
      ...base,
      integrations: {
        ...base.integrations,
        anthropic: { ...base.integrations.anthropic, mode: 'sandbox', baseUrl: claude.url },
        wordpress: { ...base.integrations.wordpress, mode: 'sandbox', sandboxUrl: wordpress.url },
        postmark: {
          ...base.integrations.postmark,
          mode: 'sandbox',
          requestHost: new URL(postmark.url).host,
          useHttps: false,
        },
      },
    };
    const db = createDb(config);
    const kv = await createKeyValue(config);
    const temporal = await createTemporalClient(config);
    const deps: ApiDeps = { config, db, logger: createLogger(config, 'record-histories'), kv, temporal };
    const app = createApp(deps);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    workers = await startTestWorkers({ db, config, kv });
    const user = await registerUser(app, 'history-recorder');
    world = { app, deps, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, user };
  });

  afterAll(async () => {
    await workers?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await Promise.allSettled([
      world?.deps.db.destroy(),
      world?.deps.kv.close(),
      world?.deps.temporal?.client.connection.close(),
    ]);
    await Promise.allSettled(sandboxes.map((s) => s.close()));
  });

  const names = exportedWorkflowNames().filter((name) => !ONLY || ONLY.includes(name));

  it.each(names)('records a completed %s run', async (workflowType) => {
    const record = recorders[workflowType];
    if (!record)
      throw new Error(`no recorder for ${workflowType}: add one to tests/replay/record-histories.spec.ts`);
    const workflowId = await record(world);
    const client = world.deps.temporal!.client;
    // Some runs are started right after the HTTP answer: wait until the run exists, then until it completes.
    await waitFor(`${workflowId} to complete`, async () => {
      try {
        await client.workflow.getHandle(workflowId).result();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    // Never save a history the current code cannot replay.
    await Worker.runReplayHistory({ workflowBundle: await getWorkflowBundle() }, history, workflowId);
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    fs.writeFileSync(path.join(HISTORIES_DIR, `${workflowType}.json`), historyToJson(history));
  });
});
