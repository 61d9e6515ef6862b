import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { encryptIns } from '../../lib/clickbank/ins';
import { createClickbankInsService } from '../../api/services/clickbank-ins';
import { clickbankNotificationWorkflowId } from '../../workflows/contracts/clickbank-notification';
import { buildInsNotification, sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { bearer, createTestApi, expectErrorShape, registerUser, type TestApi } from '../support/api';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

interface InsVector {
  name: string;
  secretKey: string;
  body: { notification: string; iv: string };
  decrypted: Record<string, unknown>;
}

const vectorsFile = path.resolve(__dirname, '../../../shared/vectors/clickbank-ins.json');

interface TeamInsUrl {
  teamId: string;
  secret: string;
  url: string;
}

interface WebhookRow {
  id: string;
  external_id: string;
  status: string;
  payload: Record<string, unknown>;
  error: string | null;
}

/**
 * The ClickBank INS webhook end to end: the sandbox sender encrypts like ClickBank and POSTs to the team's
 * insUrl on the real app (listening on a free port), a real worker runs clickbankNotificationWorkflow against
 * the test database and the Temporal dev server.
 */
describe('ClickBank INS webhook', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    server = await new Promise<Server>((resolve) => {
      const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await workers?.stop();
    await api?.close();
  });

  /** A new team that saved its ClickBank settings through the API; its insUrl pointed at this test's server. */
  async function teamWithClickbank(secret = 'MYSECRETKEY2024', label = 'ins'): Promise<TeamInsUrl> {
    const owner = await registerUser(api.app, label);
    const res = await request(api.app)
      .put(`/api/v1/teams/${owner.personalTeamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'testaff1', insSecretKey: secret });
    expect(res.status).toBe(200);
    const insUrl = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl);
    expect(insUrl.pathname).toMatch(/^\/webhooks\/clickbank\/ins\/[^/]+$/);
    return { teamId: owner.personalTeamId, secret, url: `${baseUrl}${insUrl.pathname}` };
  }

  const eventsOf = (teamId: string) =>
    api
      .db('webhook_events')
      .where({ source: 'clickbank', team_id: teamId })
      .select<WebhookRow[]>('id', 'external_id', 'status', 'payload', 'error');

  const analyticsOf = (teamId: string) =>
    api.db('analytics_events').where({ team_id: teamId }).select<
      {
        id: string;
        type: string;
        amount: string;
        currency: string;
        tid: string;
        receipt: string;
        campaign_id: string | null;
      }[]
    >('id', 'type', 'amount', 'currency', 'tid', 'receipt', 'campaign_id');

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until every event of the team has left 'received'/'processing'. */
  const settledEvents = (teamId: string) =>
    waitFor('webhook events to be processed', async () => {
      const rows = await eventsOf(teamId);
      return rows.length > 0 && rows.every((r) => r.status !== 'received' && r.status !== 'processing')
        ? rows
        : undefined;
    });

  async function notificationRuns(teamId: string): Promise<string[]> {
    const ids: string[] = [];
    const query = `TeamId = "${teamId}" AND WorkflowType = "clickbankNotificationWorkflow"`;
    for await (const wf of api.deps.temporal!.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  }

  it('stores a SALE sent five times once, runs one workflow and records one analytics event', async () => {
    const team = await teamWithClickbank();
    const { id: campaignId } = await given.campaignRow(api.db, { teamId: team.teamId, tid: 'spring_sale' });

    const sent = await sendInsNotification({
      url: team.url,
      secret: team.secret,
      type: 'SALE',
      tid: 'spring_sale',
      times: 5,
    });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    const answers = sent.deliveries.map((d) => JSON.parse(d.body) as { duplicate: boolean; eventId: string });
    expect(answers.map((a) => a.duplicate)).toEqual([false, true, true, true, true]);
    expect(new Set(answers.map((a) => a.eventId)).size).toBe(1);

    const [event] = await settledEvents(team.teamId);
    const receipt = String(sent.notification.receipt);
    expect(event).toMatchObject({ status: 'processed', external_id: `${team.teamId}:${receipt}:SALE:1` });
    expect(event!.payload).toMatchObject({
      receipt,
      transactionType: 'SALE',
      trackingCodes: ['spring_sale'],
    });
    expect(await eventsOf(team.teamId)).toHaveLength(1);

    const analytics = await analyticsOf(team.teamId);
    expect(analytics).toEqual([
      {
        id: event!.id,
        type: 'sale',
        amount: Number(sent.notification.totalAccountAmount).toFixed(2),
        currency: 'USD',
        tid: 'spring_sale',
        receipt,
        campaign_id: campaignId,
      },
    ]);

    const workflowId = clickbankNotificationWorkflowId(team.teamId, `${receipt}:SALE:1`);
    const runs = await waitFor('the run in visibility', async () => {
      const ids = await notificationRuns(team.teamId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(runs).toEqual([workflowId]);
    const handle = api.deps.temporal!.client.workflow.getHandle(workflowId);
    await expect(handle.result()).resolves.toMatchObject({
      outcome: 'recorded',
      analyticsType: 'sale',
      campaignId,
      inserted: true,
    });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(team.teamId);
    expect(description.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('clickbank-ins');
    expect(description.typedSearchAttributes.get(SearchAttr.CampaignId)).toBe(campaignId);
    await expect(description.staticSummary()).resolves.toBe(
      `ClickBank SALE ${receipt} for team ${team.teamId}`,
    );

    // A redelivery after the run finished still answers 200 and changes nothing.
    const late = await fetch(team.url, { method: 'POST', body: sent.rawBody });
    expect(late.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await eventsOf(team.teamId)).toHaveLength(1);
    expect(await analyticsOf(team.teamId)).toHaveLength(1);
    expect(await notificationRuns(team.teamId)).toHaveLength(1);
  });

  it('attributes a tid sent with blanks or capitals to its campaign, and keeps the tid as ClickBank sent it', async () => {
    const team = await teamWithClickbank('PADDEDTID2024', 'padded');
    const { id: campaignId } = await given.campaignRow(api.db, { teamId: team.teamId, tid: 'fall_push' });

    const sent = await sendInsNotification({
      url: team.url,
      secret: team.secret,
      type: 'SALE',
      tid: ' Fall_Push ',
    });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200]);
    await settledEvents(team.teamId);

    const receipt = String(sent.notification.receipt);
    expect(await analyticsOf(team.teamId)).toEqual([
      expect.objectContaining({ type: 'sale', receipt, tid: ' Fall_Push ', campaign_id: campaignId }),
    ]);
    const handle = api.deps.temporal!.client.workflow.getHandle(
      clickbankNotificationWorkflowId(team.teamId, `${receipt}:SALE:1`),
    );
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'recorded', campaignId });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttr.CampaignId)).toBe(campaignId);
  });

  it('stores five concurrent deliveries of one SALE once', async () => {
    const team = await teamWithClickbank('CONCURRENT2024');
    const notification = buildInsNotification({ type: 'SALE', receipt: 'CONC1234', amount: 97 });
    // ClickBank's retries repeat the body; a concurrent burst may also carry freshly encrypted copies.
    const repeated = JSON.stringify(encryptIns(notification, team.secret));
    const fresh = () => JSON.stringify(encryptIns(notification, team.secret));
    const bodies = [repeated, repeated, repeated, fresh(), fresh()];
    const statuses = await Promise.all(
      bodies.map(async (body) => {
        const res = await fetch(team.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return res.status;
      }),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const events = await settledEvents(team.teamId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'processed', external_id: `${team.teamId}:CONC1234:SALE:1` });
    const analytics = await analyticsOf(team.teamId);
    expect(analytics).toHaveLength(1);
    expect(analytics[0]).toMatchObject({ type: 'sale', receipt: 'CONC1234', campaign_id: null, tid: null });
    const runs = await waitFor('the run in visibility', async () => {
      const ids = await notificationRuns(team.teamId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(runs).toEqual([clickbankNotificationWorkflowId(team.teamId, 'CONC1234:SALE:1')]);
  });

  it('answers 400 ins_invalid for a wrong key, bad base64, malformed JSON or a wrong shape, storing nothing', async () => {
    const team = await teamWithClickbank('RIGHTKEY2024');
    const notification = buildInsNotification({ type: 'SALE' });
    const post = (body: string) =>
      fetch(team.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const cases: { name: string; body: string; message: RegExp }[] = [
      {
        name: 'wrong key',
        body: JSON.stringify(encryptIns(notification, 'WRONGKEY2024')),
        message: /secret key is wrong/,
      },
      {
        name: 'bad base64',
        body: JSON.stringify({ notification: '%%%not base64%%%', iv: 'AAAA' }),
        message: /base64/,
      },
      { name: 'malformed JSON body', body: '{"notification": "abc", ', message: /not JSON/ },
      {
        name: 'decrypted text is not JSON',
        body: JSON.stringify(encryptIns('this is not json', team.secret)),
        message: /not valid JSON/,
      },
      { name: 'wrong body shape', body: JSON.stringify({ hello: 'world' }), message: /notification/ },
      {
        name: 'decrypted JSON of the wrong shape',
        body: JSON.stringify(encryptIns({ receipt: 'X' }, team.secret)),
        message: /not a ClickBank INS message/,
      },
    ];
    for (const c of cases) {
      const res = await post(c.body);
      expect({ case: c.name, status: res.status }).toEqual({ case: c.name, status: 400 });
      const body = (await res.json()) as { error: { code: string; message: string } };
      expectErrorShape(body, 'ins_invalid');
      expect(body.error.message).toMatch(c.message);
    }
    expect(await eventsOf(team.teamId)).toHaveLength(0);
  });

  it('refuses a body over 256 kB with 413', async () => {
    const team = await teamWithClickbank('BIGBODY2024');
    const res = await fetch(team.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notification: 'A'.repeat(300 * 1024), iv: 'AAAA' }),
    });
    expect(res.status).toBe(413);
    expectErrorShape(await res.json(), 'payload_too_large');
    expect(await eventsOf(team.teamId)).toHaveLength(0);
  });

  it('answers 404 unknown_ins_url for a token no team has', async () => {
    const res = await fetch(`${baseUrl}/webhooks/clickbank/ins/not-a-real-token`, {
      method: 'POST',
      body: JSON.stringify(encryptIns(buildInsNotification(), 'ANYKEY')),
    });
    expect(res.status).toBe(404);
    expectErrorShape(await res.json(), 'unknown_ins_url');
  });

  it('stores a TEST notification with a masked receipt on the hash of the body, and ignores it for analytics', async () => {
    const team = await teamWithClickbank('TESTKEY2024');
    const sent = await sendInsNotification({
      url: team.url,
      secret: team.secret,
      type: 'TEST',
      receipt: '********',
      times: 2,
    });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200, 200]);
    const events = await settledEvents(team.teamId);
    const hash = createHash('sha256').update(sent.rawBody).digest('hex');
    expect(events).toEqual([
      expect.objectContaining({ external_id: `${team.teamId}:test:${hash}`, status: 'ignored' }),
    ]);
    expect(await analyticsOf(team.teamId)).toHaveLength(0);

    // Another TEST message (a different body) is a different event, though its receipt is masked the same way.
    await sendInsNotification({ url: team.url, secret: team.secret, type: 'TEST', receipt: '********' });
    await waitFor('the second TEST event', async () =>
      (await eventsOf(team.teamId)).length === 2 ? true : undefined,
    );
  });

  it('stores and acknowledges an unknown transaction type without recording analytics', async () => {
    const team = await teamWithClickbank('UNKNOWNTYPE1');
    const sent = await sendInsNotification({ url: team.url, secret: team.secret, type: 'BRAND_NEW_TYPE' });
    expect(sent.deliveries[0]!.status).toBe(200);
    const [event] = await settledEvents(team.teamId);
    expect(event).toMatchObject({ status: 'ignored', error: 'BRAND_NEW_TYPE is not counted in analytics' });
    expect(await analyticsOf(team.teamId)).toHaveLength(0);
  });

  it('accepts both published ClickBank vectors (INS 6.0 and 7.0, both time formats)', async () => {
    const { vectors } = JSON.parse(fs.readFileSync(vectorsFile, 'utf8')) as { vectors: InsVector[] };
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      const team = await teamWithClickbank(vector.secretKey, vector.name);
      const res = await fetch(team.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(vector.body),
      });
      expect({ vector: vector.name, status: res.status }).toEqual({ vector: vector.name, status: 200 });
      const [event] = await settledEvents(team.teamId);
      expect(event!.payload).toEqual(vector.decrypted);
      // Masked receipts (ClickBank's test sends): keyed on the body hash, and kept out of analytics.
      expect(event!.external_id).toMatch(new RegExp(`^${team.teamId}:test:[0-9a-f]{64}$`));
      expect(event!.status).toBe('ignored');
    }
  });

  it('keeps an event whose workflow could not start, and starts it on the reconcile', async () => {
    // The same database, but no Temporal: the webhook still answers 200 and stores the event.
    const offline = await createTestApi();
    try {
      const team = await teamWithClickbank('OFFLINE2024');
      const rawBody = JSON.stringify(
        encryptIns(buildInsNotification({ type: 'BILL', receipt: 'OFFL1234' }), team.secret),
      );
      const res = await request(offline.app)
        .post(new URL(team.url).pathname)
        .set('Content-Type', 'application/json')
        .send(rawBody);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(await eventsOf(team.teamId)).toEqual([expect.objectContaining({ status: 'received' })]);

      const ins = createClickbankInsService(api.deps);
      const result = await ins.startPendingNotifications({ minAgeMs: 0 });
      expect(result.failed).toBe(0);
      expect(result.started).toBeGreaterThanOrEqual(1);
      const [event] = await settledEvents(team.teamId);
      expect(event).toMatchObject({ status: 'processed' });
      expect(await analyticsOf(team.teamId)).toEqual([
        expect.objectContaining({ type: 'rebill', receipt: 'OFFL1234' }),
      ]);
    } finally {
      await offline.close();
    }
  });
});
