import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import { startAutomationRun } from '../../temporal/automation-starts';
import { emitPlatformEvent } from '../../temporal/automation-events';
import { getWorkflowBundle } from '../../temporal/bundle';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import {
  automationEventWorkflowId,
  type PlatformEventResult,
} from '../../workflows/contracts/automation-event';
import { EVENT_SIGNAL } from '../../workflows/contracts/automation-run';
import {
  clickbankNotificationWorkflowId,
  type ClickbankNotificationResult,
} from '../../workflows/contracts/clickbank-notification';
import { bearer, createTestApi, registerUser, type TestApi } from '../support/api';
import { givenAutomation } from '../support/automations';
import { readHistory } from '../support/histories';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

interface RunRow {
  workflow_id: string;
  automation_id: string;
  trigger_source: string;
  trigger_key: string;
  payload: unknown;
}

/**
 * Triggers from inside the platform, end to end on the Temporal dev server with real workers: a platform event
 * fans out to the team's active automations (once per event) and to the runs waiting for it; a ClickBank INS
 * sent through the real webhook starts the matching automations once per notification. The interpreter is not
 * needed: a started run is a Temporal execution (its workflow task waits for a worker that knows the type), and
 * signals reach its history all the same.
 */
describe('automation triggers: platform events and ClickBank', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let client: Client;
  let teamA: string;
  let teamB: string;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    client = api.deps.temporal!.client;
    teamA = (await registerUser(api.app, 'trig-a')).personalTeamId;
    teamB = (await registerUser(api.app, 'trig-b')).personalTeamId;
  });
  afterAll(async () => {
    await workers?.stop();
    await api?.close();
  });

  const runsOf = (automationId: string) =>
    api
      .db('automation_runs')
      .where({ automation_id: automationId })
      .select<RunRow[]>('workflow_id', 'automation_id', 'trigger_source', 'trigger_key', 'payload');

  async function exists(workflowId: string): Promise<boolean> {
    try {
      await client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Executions of the automation in Temporal's visibility (eventually consistent: waits until it settles). */
  async function executionsOf(automationId: string, expected: number): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `AutomationId = "${automationId}"` })) {
        ids.push(wf.workflowId);
      }
      if (ids.length >= expected || Date.now() > deadline) return ids;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function emitAndWait(event: Parameters<typeof emitPlatformEvent>[1]): Promise<PlatformEventResult> {
    await emitPlatformEvent(client, event);
    return client.workflow
      .getHandle(automationEventWorkflowId(event.teamId, event.type, event.id))
      .result() as Promise<PlatformEventResult>;
  }

  afterEach(async () => {
    // Nothing here needs to run on: end this file's automation runs so they do not wait on the shared server.
    const rows = await api.db('automation_runs').whereIn('team_id', [teamA, teamB]).select('workflow_id');
    for (const { workflow_id } of rows as { workflow_id: string }[]) {
      await client.workflow
        .getHandle(workflow_id)
        .terminate('test over')
        .catch(() => undefined);
    }
  });

  it('starts each matching active automation once for an event emitted twice, and nothing else', async () => {
    const tagged = { type: 'event', event: 'contact.tagged' };
    const vip = await givenAutomation(api.db, {
      teamId: teamA,
      trigger: { ...tagged, filter: '"vip" in trigger.tags_added' },
    });
    const any = await givenAutomation(api.db, { teamId: teamA, trigger: tagged });
    const otherTag = await givenAutomation(api.db, {
      teamId: teamA,
      trigger: { ...tagged, filter: '"refund" in trigger.tags_added' },
    });
    const broken = await givenAutomation(api.db, {
      teamId: teamA,
      trigger: { ...tagged, filter: 'trigger.no_such_field == 1' },
    });
    const paused = await givenAutomation(api.db, { teamId: teamA, trigger: tagged, status: 'paused' });
    const draft = await givenAutomation(api.db, { teamId: teamA, trigger: tagged, status: 'draft' });
    const otherEvent = await givenAutomation(api.db, {
      teamId: teamA,
      trigger: { type: 'event', event: 'contact.created' },
    });
    const otherTeam = await givenAutomation(api.db, { teamId: teamB, trigger: tagged });

    const eventId = `c-${randomUUID()}:vip`;
    const payload = {
      contact: {
        id: randomUUID(),
        email: 'ann@example.com',
        first_name: 'Ann',
        last_name: null,
        tags: ['vip'],
      },
      tags_added: ['vip'],
    };
    const event = { teamId: teamA, type: 'contact.tagged', id: eventId, payload };
    const [first, second] = await Promise.all([
      emitPlatformEvent(client, event),
      emitPlatformEvent(client, event),
    ]);
    expect([first.workflowId, second.workflowId]).toEqual([
      `auto-event:${teamA}:contact.tagged:${eventId}`,
      `auto-event:${teamA}:contact.tagged:${eventId}`,
    ]);
    const result = await emitAndWait(event);
    // After the fan-out ended, a further emit is refused by Temporal (REJECT_DUPLICATE): handled once.
    expect((await emitPlatformEvent(client, event)).started).toBe(false);

    expect(result.runs.map((r) => r.automationId).sort()).toEqual([vip.id, any.id].sort());
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { automationId: otherTag.id, reason: 'the trigger filter gave false' },
        { automationId: broken.id, reason: expect.stringContaining('no_such_field') as string },
      ]),
    );
    for (const a of [vip, any]) {
      const rows = await runsOf(a.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        workflow_id: `auto:${a.id}:event:contact.tagged:${eventId}`,
        trigger_source: 'event',
        trigger_key: `event:contact.tagged:${eventId}`,
        payload,
      });
      expect(await exists(rows[0]!.workflow_id)).toBe(true);
      expect(await executionsOf(a.id, 1)).toEqual([rows[0]!.workflow_id]);
    }
    for (const a of [otherTag, broken, paused, draft, otherEvent, otherTeam]) {
      expect(await runsOf(a.id)).toHaveLength(0);
      expect(await exists(`auto:${a.id}:event:contact.tagged:${eventId}`)).toBe(false);
    }

    // The same event raised in the other team is that team's own event.
    const inB = await emitAndWait({ ...event, teamId: teamB });
    expect(inB.runs.map((r) => r.automationId)).toEqual([otherTeam.id]);
    expect(await runsOf(vip.id)).toHaveLength(1);
  });

  it('signals the runs waiting for the event type, of the team only; a run that ended is no error', async () => {
    const waits = [
      {
        id: 'tagged',
        name: 'Wait for the tag',
        type: 'wait_for_event',
        config: { event: 'contact.tagged', timeout: '1d', on_timeout: [] },
      },
    ];
    const listener = await givenAutomation(api.db, {
      teamId: teamA,
      trigger: { type: 'manual' },
      steps: waits,
    });
    const foreign = await givenAutomation(api.db, {
      teamId: teamB,
      trigger: { type: 'manual' },
      steps: waits,
    });
    const start = (a: typeof listener, key: string) =>
      startAutomationRun(client, api.db, {
        automation: { id: a.id, teamId: a.teamId, name: a.name },
        version: { id: a.versionId, version: a.version, definition: a.definition },
        trigger: { source: 'manual', payload: {}, key },
      });
    const waiting = await start(listener, `m-${randomUUID()}`);
    const gone = await start(listener, `m-${randomUUID()}`);
    const other = await start(foreign, `m-${randomUUID()}`);
    await client.workflow.getHandle(gone.workflowId).terminate('ended before the event');
    const row = await api
      .db('automation_runs')
      .where({ workflow_id: waiting.workflowId })
      .first<{ listens_for: string[] }>('listens_for');
    expect(row.listens_for).toEqual(['contact.tagged']);

    const event = {
      teamId: teamA,
      type: 'contact.tagged',
      id: `c-${randomUUID()}:late`,
      payload: { contact: { id: 'c1', email: 'bo@example.com' }, tags_added: ['late'] },
    };
    const result = await emitAndWait(event);
    expect(result.signalled).toContain(waiting.workflowId);
    expect(result.signalled).not.toContain(other.workflowId);
    expect(result.ended).toContain(gone.workflowId);

    // A signal that arrives while a workflow task is in flight is written when that task ends: poll a little.
    const signalsOf = async (workflowId: string) => {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    };
    let signals = await signalsOf(waiting.workflowId);
    for (let i = 0; i < 50 && signals.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      signals = await signalsOf(waiting.workflowId);
    }
    expect(signals).toHaveLength(1);
    const attrs = signals[0]!.workflowExecutionSignaledEventAttributes!;
    expect(attrs.signalName).toBe(EVENT_SIGNAL);
    const sent = JSON.parse(Buffer.from(attrs.input!.payloads![0]!.data!).toString('utf8')) as unknown;
    expect(sent).toEqual({ type: event.type, id: event.id, payload: event.payload });

    expect(await signalsOf(other.workflowId)).toHaveLength(0);
  });

  it('the contacts API and a CSV import raise contact.created and contact.tagged (only for listened events)', async () => {
    const owner = await registerUser(api.app, 'trig-contacts');
    const teamId = owner.personalTeamId;
    const created = await givenAutomation(api.db, {
      teamId,
      trigger: { type: 'event', event: 'contact.created' },
    });
    const tagged = await givenAutomation(api.db, {
      teamId,
      trigger: { type: 'event', event: 'contact.tagged', filter: '"vip" in trigger.tags_added' },
    });
    const waitForRuns = async (automationId: string, count: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const rows = await runsOf(automationId);
        if (rows.length >= count || Date.now() > deadline) return rows;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    const res = await request(api.app)
      .post(`/api/v1/teams/${teamId}/contacts`)
      .set(bearer(owner.accessToken))
      .send({ email: 'eve@example.com', firstName: 'Eve', tags: ['vip'] })
      .expect(201);
    const contactId = (res.body as { contact: { id: string } }).contact.id;
    const [createdRun] = await waitForRuns(created.id, 1);
    expect(createdRun).toMatchObject({
      trigger_key: `event:contact.created:${contactId}`,
      payload: {
        contact: {
          id: contactId,
          email: 'eve@example.com',
          first_name: 'Eve',
          last_name: null,
          tags: ['vip'],
        },
        via: 'api',
      },
    });
    const [taggedRun] = await waitForRuns(tagged.id, 1);
    expect(taggedRun!.payload).toMatchObject({ contact: { id: contactId }, tags_added: ['vip'] });

    // A PATCH adding a tag raises contact.tagged with only the new tag; the filter wants vip: no run.
    await request(api.app)
      .patch(`/api/v1/teams/${teamId}/contacts/${contactId}`)
      .set(bearer(owner.accessToken))
      .send({ tags: ['vip', 'later'] })
      .expect(200);

    // An import: two new contacts (one tagged vip by the file), Eve tagged again with nothing new for vip.
    await request(api.app)
      .post(`/api/v1/teams/${teamId}/contacts/import`)
      .set(bearer(owner.accessToken))
      .set('Content-Type', 'text/csv')
      .send('email,first_name,tags\nimp1@example.com,Ida,vip\nimp2@example.com,Jo,\neve@example.com,,later\n')
      .expect(200);
    const createdRuns = await waitForRuns(created.id, 3);
    expect(createdRuns).toHaveLength(3);
    const importedEmails = createdRuns
      .map((r) => (r.payload as { contact: { email: string }; via: string }).contact.email)
      .sort();
    expect(importedEmails).toEqual(['eve@example.com', 'imp1@example.com', 'imp2@example.com']);
    const taggedRuns = await waitForRuns(tagged.id, 2);
    expect(taggedRuns.map((r) => (r.payload as { contact: { email: string } }).contact.email).sort()).toEqual(
      ['eve@example.com', 'imp1@example.com'],
    );
  });

  describe('ClickBank notifications', () => {
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      server = await new Promise<Server>((resolve) => {
        const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    it('starts the matching automation once for a SALE delivered twice, with the documented payload', async () => {
      const owner = await registerUser(api.app, 'trig-cb');
      const teamId = owner.personalTeamId;
      const secret = 'TRIGSECRET2026';
      const res = await request(api.app)
        .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
        .set(bearer(owner.accessToken))
        .send({ affiliateNickname: 'testaff1', insSecretKey: secret });
      expect(res.status).toBe(200);
      const insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
      const { id: campaignId } = await given.campaignRow(api.db, { teamId, tid: 'trig_spring' });

      const sale = await givenAutomation(api.db, {
        teamId,
        trigger: {
          type: 'clickbank',
          transaction_types: ['SALE'],
          vendor: 'KetoBoost1',
          item: '1',
          campaign_id: campaignId,
        },
      });
      const refunds = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'clickbank', transaction_types: ['RFND'] },
      });
      const otherVendor = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'clickbank', transaction_types: ['SALE'], vendor: 'someoneelse' },
      });
      const otherItem = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'clickbank', transaction_types: ['SALE'], item: '99' },
      });
      const paused = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'clickbank', transaction_types: ['SALE'] },
        status: 'paused',
      });
      const otherTeam = await givenAutomation(api.db, {
        teamId: teamB,
        trigger: { type: 'clickbank', transaction_types: ['SALE'] },
      });

      const receipt = `TRIG${randomUUID().slice(0, 8).toUpperCase()}`;
      const sent = await sendInsNotification({
        url: `${baseUrl}${insPath}`,
        secret,
        type: 'SALE',
        tid: 'trig_spring',
        receipt,
        email: 'Buyer@Example.com',
        times: 2,
      });
      expect(sent.deliveries.map((d) => d.status)).toEqual([200, 200]);
      const dedupeKey = `${receipt}:SALE:1`;
      // The answer may come before the notification's run is started (a slow Temporal is retried by the API).
      const notification = client.workflow.getHandle(clickbankNotificationWorkflowId(teamId, dedupeKey));
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await notification.describe();
          break;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      const result = (await notification.result()) as ClickbankNotificationResult;
      expect(result.automationRuns).toEqual([
        { automationId: sale.id, workflowId: `auto:${sale.id}:cb:${dedupeKey}`, started: true },
      ]);

      const rows = await runsOf(sale.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ trigger_source: 'clickbank', trigger_key: `cb:${dedupeKey}` });
      expect(rows[0]!.payload).toMatchObject({
        receipt,
        transaction_type: 'SALE',
        test: false,
        vendor: 'ketoboost1',
        currency: 'USD',
        tracking_id: 'trig_spring',
        campaign_id: campaignId,
        customer: { email: 'buyer@example.com' },
        line_items: [{ item_no: '1' }],
      });
      expect(typeof (rows[0]!.payload as { amount: unknown }).amount).toBe('number');
      expect(await executionsOf(sale.id, 1)).toEqual([`auto:${sale.id}:cb:${dedupeKey}`]);
      for (const a of [refunds, otherVendor, otherItem, paused, otherTeam]) {
        expect(await runsOf(a.id)).toHaveLength(0);
      }
    });

    it('a delivered bonus raises bonus.delivered; a refused bonus email raises email.refused', async () => {
      const owner = await registerUser(api.app, 'trig-bonus');
      const teamId = owner.personalTeamId;
      const secret = 'TRIGSECRET2027';
      const res = await request(api.app)
        .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
        .set(bearer(owner.accessToken))
        .send({ affiliateNickname: 'testaff1', insSecretKey: secret });
      expect(res.status).toBe(200);
      const insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
      const campaign = await given.campaignRow(api.db, {
        teamId,
        tid: 'trig_bonus',
        hoplink: 'https://hop.clickbank.net/',
      });
      await request(api.app)
        .post(`/api/v1/teams/${teamId}/bonuses`)
        .set(bearer(owner.accessToken))
        .send({ name: 'Meal plan', url: 'https://example.com/plan.pdf', campaignIds: [campaign.id] })
        .expect(201);
      const delivered = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'event', event: 'bonus.delivered' },
      });
      const refused = await givenAutomation(api.db, {
        teamId,
        trigger: { type: 'event', event: 'email.refused' },
      });
      const waitForRuns = async (automationId: string) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const rows = await runsOf(automationId);
          if (rows.length > 0 || Date.now() > deadline) return rows;
          await new Promise((r) => setTimeout(r, 250));
        }
      };

      const receipt = `TRIGB${randomUUID().slice(0, 6).toUpperCase()}`;
      await sendInsNotification({
        url: `${baseUrl}${insPath}`,
        secret,
        type: 'SALE',
        tid: 'trig_bonus',
        receipt,
        email: 'happy@example.com',
      });
      const [run] = await waitForRuns(delivered.id);
      expect(run).toMatchObject({ trigger_key: `event:bonus.delivered:${receipt}:1` });
      expect(run!.payload).toMatchObject({
        receipt,
        item_no: '1',
        campaign_id: campaign.id,
        buyer: { email: 'happy@example.com' },
        bonuses: [{ name: 'Meal plan' }],
      });

      await sendInsNotification({
        url: `${baseUrl}${insPath}`,
        secret,
        type: 'SALE',
        tid: 'trig_bonus',
        receipt: `TRIGR${randomUUID().slice(0, 6).toUpperCase()}`,
        email: 'gone@inactive.sandbox.test',
      });
      const [refusal] = await waitForRuns(refused.id);
      expect(refusal!.payload).toMatchObject({
        email: { to: 'gone@inactive.sandbox.test', kind: 'bonus' },
        reason: expect.stringContaining('inactive') as string,
      });
    });
  });
});

/** The ClickBank automations are behind patched('automation-triggers'): a run recorded before it still replays. */
describe('clickbank notification runs from before the automation triggers', () => {
  jest.setTimeout(120_000);

  it('replay on the current workflow code without nondeterminism', async () => {
    const history = readHistory('clickbankNotificationWorkflow.pre-automations.json');
    expect(JSON.stringify(history)).not.toContain('startClickbankAutomations');
    expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    await Worker.runReplayHistory(
      { workflowBundle: await getWorkflowBundle() },
      history,
      'replay:clickbank-notification-pre-automations',
    );
  });
});
