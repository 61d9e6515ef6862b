import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { createApp } from '../../api/app';
import { upsertContact } from '../../data/contacts';
import { createDb } from '../../db/connection';
import { encryptIns } from '../../lib/clickbank/ins';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { buildInsNotification } from '../../sandbox/clickbank/ins-sender';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox, type SandboxServer } from '../../sandbox/postmark/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { findFreePorts } from '../../temporal/free-port';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { bearer, registerUser, type RegisteredUser } from '../support/api';
import { given } from '../support/fixtures';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { seedAutomation, startSeededRun } from '../support/automations';
import {
  decideUpdate,
  runStateQuery,
  type AutomationRunWorkflow,
} from '../../workflows/contracts/automation-run';

const repoRoot = path.resolve(__dirname, '../..');

/**
 * The promises of issue 5 under failure: a worker process killed with SIGKILL mid-send, the Temporal dev server
 * restarted under waiting timers, ten concurrent copies of one ClickBank notification, a refund before its sale.
 * This file runs its own dev server (so it can restart it) and the real worker entry point as a child process
 * (so it can kill it); the API runs in the test process. Outside services: the Postmark sandbox.
 */
describe('durable email and bonus delivery under faults', () => {
  jest.setTimeout(300_000);

  let temporalDir: string;
  let temporalBinary: string;
  let temporalPorts: number[];
  let devServer: DevServer;
  let postmark: SandboxServer;
  let config: Config;
  let db: Knex;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let server: Server;
  let baseUrl: string;
  let worker: WorkerProcess | undefined;
  let owner: RegisteredUser;
  let teamId: string;
  let insUrl: string;
  const insSecret = 'FAULTSECRET2026';

  const startTemporal = () =>
    startDevServer({
      binary: temporalBinary,
      dataDir: temporalDir,
      port: temporalPorts[0],
      uiPort: temporalPorts[1],
      httpPort: temporalPorts[2],
      metricsPort: temporalPorts[3],
      headless: true,
    });

  const workerEnv = (): NodeJS.ProcessEnv => ({
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_NAMESPACE: 'default',
    POSTMARK_SANDBOX_PORT: String(postmark.port),
    SANDBOX_HOST: '127.0.0.1',
    PUBLIC_API_URL: baseUrl,
  });

  beforeAll(async () => {
    temporalBinary = execFileSync('bash', [path.join(repoRoot, 'temporal/install-cli.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-faults-temporal-'));
    temporalPorts = await findFreePorts(4);
    devServer = await startTemporal();
    postmark = await startPostmarkSandbox({ port: 0 });

    const base = loadConfig();
    config = {
      ...base,
      temporal: { ...base.temporal, address: devServer.address },
      integrations: {
        ...base.integrations,
        postmark: {
          ...base.integrations.postmark,
          mode: 'sandbox',
          requestHost: `127.0.0.1:${postmark.port}`,
          sandboxPort: postmark.port,
        },
      },
    };
    db = createDb(config);
    kv = await createKeyValue(config);
    temporal = await createTemporalClient(config);
    const app = createApp({ config, db, kv, logger: createLogger(config, 'faults-api'), temporal });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    owner = await registerUser(app, 'faults');
    teamId = owner.personalTeamId;
    const res = await request(app)
      .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'faultaff', insSecretKey: insSecret });
    expect(res.status).toBe(200);
    insUrl = `${baseUrl}${new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname}`;

    worker = await startWorkerProcess(workerEnv());
  });

  afterAll(async () => {
    await worker?.kill();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await temporal?.close();
    await Promise.allSettled([db?.destroy(), kv?.close()]);
    await devServer?.stop();
    await postmark?.close();
    if (temporalDir) fs.rmSync(temporalDir, { recursive: true, force: true });
  });

  // ---- helpers -------------------------------------------------------------------------------------------

  const api = () => request(server);
  const auth = () => bearer(owner.accessToken);

  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }
  async function setLatency(ms: number): Promise<void> {
    const res = await fetch(`${postmark.url}/sandbox/latency`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms }),
    });
    expect(res.status).toBe(200);
  }
  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000) {
    const started = Date.now();
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const result = (workflowId: string) => temporal.client.workflow.getHandle(workflowId).result();
  /** What ops filter on in Temporal Web. */
  const teamIdOf = async (workflowId: string) =>
    (await temporal.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes.get(
      SearchAttr.TeamId,
    );

  const campaign = (label: string) =>
    given.campaign({ app: server, db }, owner, { teamId, name: `Faults ${label}`, vendor: 'faultvend' });

  async function sequence(campaignId: string, steps: { delaySeconds: number }[]): Promise<string> {
    const res = await api()
      .post(`/api/v1/teams/${teamId}/sequences`)
      .set(auth())
      .send({
        campaignId,
        name: `Faults ${randomUUID().slice(0, 6)}`,
        steps: steps.map((s, i) => ({
          subject: `Step ${i + 1} for {{ first_name | "you" }}`,
          body: `Hello {{ first_name }}, this is email ${i + 1}.`,
          delaySeconds: s.delaySeconds,
        })),
      });
    expect(res.status).toBe(201);
    return (res.body as { sequence: { id: string } }).sequence.id;
  }

  async function enroll(sequenceId: string, contactIds: string[]): Promise<void> {
    const res = await api()
      .post(`/api/v1/teams/${teamId}/sequences/${sequenceId}/enroll`)
      .set(auth())
      .send({ contactIds });
    expect(res.status).toBeLessThan(300);
  }

  async function bonusFor(campaignId: string, name: string): Promise<string> {
    const res = await api()
      .post(`/api/v1/teams/${teamId}/bonuses`)
      .set(auth())
      .send({
        name,
        url: `https://files.example.test/${encodeURIComponent(name)}.pdf`,
        campaignIds: [campaignId],
      });
    expect(res.status).toBe(201);
    return (res.body as { bonus: { id: string } }).bonus.id;
  }

  /** One ClickBank notification, freshly encrypted (new IV) on every call, as ClickBank's retries are. */
  async function postIns(opts: Parameters<typeof buildInsNotification>[0]): Promise<number> {
    const body = JSON.stringify(encryptIns(buildInsNotification(opts), insSecret));
    const res = await fetch(insUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return res.status;
  }

  const contact = async (label: string) =>
    upsertContact(db, {
      teamId,
      email: `${label}-${randomUUID().slice(0, 8)}@example.test`,
      firstName: label,
      source: 'manual',
    });

  const emailRows = (key: string) =>
    db('email_messages').where('idempotency_key', 'like', `${key}%`).select<{ status: string }[]>('status');

  // ---- tests ---------------------------------------------------------------------------------------------

  it('a worker killed with SIGKILL in the middle of a sequence send comes back and the reader gets each email once', async () => {
    const { id: campaignId } = await campaign('seq-kill');
    const sequenceId = await sequence(campaignId, [{ delaySeconds: 0 }, { delaySeconds: 1 }]);
    const reader = await contact('Killseq');
    // Postmark takes the first email at once but answers 8 s later: the worker dies in between.
    await setLatency(8000);
    await enroll(sequenceId, [reader.id]);
    await waitFor(
      'the first email to reach Postmark',
      async () => (await mailbox(reader.email)).length === 1,
    );
    await worker!.kill();
    await setLatency(0);
    worker = await startWorkerProcess(workerEnv());

    await result(`seq:${sequenceId}:${reader.id}`);
    expect(await teamIdOf(`seq:${sequenceId}:${reader.id}`)).toBe(teamId);
    const messages = await mailbox(reader.email);
    expect(messages.map((m) => m.Subject).sort()).toEqual(['Step 1 for Killseq', 'Step 2 for Killseq']);
    const rows = await emailRows(`seq:${sequenceId}:${reader.id}:`);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a worker killed with SIGKILL in the middle of a bonus delivery comes back and the buyer gets one email', async () => {
    const { id: campaignId, trackingId } = await campaign('bonus-kill');
    await bonusFor(campaignId, 'Kill switch checklist');
    const buyer = `buyer-${randomUUID().slice(0, 8)}@example.test`;
    const receipt = `KILL${randomUUID().slice(0, 6).toUpperCase()}`;
    await setLatency(8000);
    expect(await postIns({ type: 'SALE', receipt, itemNo: '1', tid: trackingId, email: buyer })).toBe(200);
    await waitFor('the bonus email to reach Postmark', async () => (await mailbox(buyer)).length === 1);
    await worker!.kill();
    await setLatency(0);
    worker = await startWorkerProcess(workerEnv());

    await result(`bonus:${receipt}:1`);
    expect(await teamIdOf(`bonus:${receipt}:1`)).toBe(teamId);
    expect(await mailbox(buyer)).toHaveLength(1);
    const deliveries = await db('bonus_deliveries').where({ receipt }).select('id');
    expect(deliveries).toHaveLength(1);
  });

  it('sequences waiting on timers resume after the Temporal dev server restarts on the same SQLite file', async () => {
    const { id: campaignId } = await campaign('restart');
    const sequenceId = await sequence(campaignId, [{ delaySeconds: 0 }, { delaySeconds: 12 }]);
    const readers = await Promise.all(['Ada', 'Bo', 'Cy'].map((name) => contact(name)));
    await enroll(
      sequenceId,
      readers.map((r) => r.id),
    );
    await waitFor('every first email', async () => {
      const counts = await Promise.all(readers.map(async (r) => (await mailbox(r.email)).length));
      return counts.every((n) => n === 1);
    });

    await devServer.stop();
    await new Promise((r) => setTimeout(r, 2000));
    devServer = await startTemporal();

    await Promise.all(readers.map((r) => result(`seq:${sequenceId}:${r.id}`)));
    for (const reader of readers) {
      const subjects = (await mailbox(reader.email)).map((m) => m.Subject).sort();
      expect(subjects).toEqual([`Step 1 for ${reader.firstName}`, `Step 2 for ${reader.firstName}`]);
    }
  });

  it('ten concurrent copies of one SALE notification make one delivery and one email', async () => {
    const { id: campaignId, trackingId } = await campaign('tenfold');
    await bonusFor(campaignId, 'Tenfold guide');
    const buyer = `tenfold-${randomUUID().slice(0, 8)}@example.test`;
    const receipt = `TEN${randomUUID().slice(0, 6).toUpperCase()}`;
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postIns({ type: 'SALE', receipt, itemNo: '1', tid: trackingId, email: buyer }),
      ),
    );
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    await waitFor('the bonus delivery run', async () => {
      try {
        await result(`bonus:${receipt}:1`);
        return true;
      } catch {
        return false;
      }
    });
    expect(await db('bonus_deliveries').where({ receipt }).select('id')).toHaveLength(1);
    expect(await mailbox(buyer)).toHaveLength(1);
    expect(
      await db('webhook_events').where('external_id', 'like', `${teamId}:%${receipt}%`).select('id'),
    ).toHaveLength(1);
  });

  it('a refund that arrives before its sale: the sale, when it comes, is not delivered', async () => {
    const { id: campaignId, trackingId } = await campaign('refund-first');
    await bonusFor(campaignId, 'Never delivered');
    const buyer = `early-refund-${randomUUID().slice(0, 8)}@example.test`;
    const receipt = `RF${randomUUID().slice(0, 6).toUpperCase()}`;
    expect(await postIns({ type: 'RFND', receipt, itemNo: '1', tid: trackingId, email: buyer })).toBe(200);
    await waitFor('the refund to be recorded', async () =>
      db('clickbank_revocations').where({ receipt }).first('receipt'),
    );
    expect(await postIns({ type: 'SALE', receipt, itemNo: '1', tid: trackingId, email: buyer })).toBe(200);
    await waitFor('the bonus run for the sale', async () => {
      try {
        await result(`bonus:${receipt}:1`);
        return true;
      } catch {
        return false;
      }
    });
    expect(await mailbox(buyer)).toHaveLength(0);
    const delivered = await db('bonus_deliveries').where({ receipt }).whereNull('revoked_at').select('id');
    expect(delivered).toHaveLength(0);
  });

  it('an automation run waiting for an approval survives a worker SIGKILL and a dev server restart, then goes on when approved', async () => {
    const automation = await seedAutomation(db, {
      teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'approve',
            name: 'Approve the refund',
            type: 'wait_for_approval',
            config: { approvers: { user_ids: [owner.id] }, timeout: '1h' },
          },
          { id: 'after', name: 'Then wait a second', type: 'wait', config: { duration: '1s' } },
        ],
      },
    });
    const run = await startSeededRun(temporal.client, db, automation);
    const handle = temporal.client.workflow.getHandle<AutomationRunWorkflow>(run.workflowId);
    await waitFor('the approval step to wait', async () => {
      const state = await handle.query(runStateQuery);
      return state.steps.approve?.status === 'waiting';
    });

    await worker!.kill();
    await devServer.stop();
    await new Promise((r) => setTimeout(r, 2000));
    devServer = await startTemporal();
    worker = await startWorkerProcess(workerEnv());

    const decided = await handle.executeUpdate(decideUpdate, {
      args: [{ step: 'approve', decision: 'approve', userId: owner.id, role: 'owner' }],
    });
    expect(decided.steps.approve?.status).toBe('succeeded');
    const result = await handle.result();
    expect(result.status).toBe('succeeded');
    expect(result.outputs.approve).toMatchObject({ decision: 'approve', decided_by: owner.id });
    expect(result.outputs.after).toMatchObject({ waited_ms: 1000 });
  });
});
