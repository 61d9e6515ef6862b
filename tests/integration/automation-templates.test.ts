import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { automationTemplates } from '../../lib/automations/gallery';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { startAnthropicSandbox } from '../../sandbox/anthropic/server';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import type { SandboxServer } from '../../sandbox/listen';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { automationScheduleId } from '../../workflows/contracts/automation-run';
import type { RegisteredUser } from '../support/api';
import { given } from '../support/fixtures';
import { historyPath, historyToJson } from '../support/histories';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * Every template of the gallery, end to end on the Temporal dev server with real workers and the sandbox
 * providers (Postmark, Anthropic, WordPress, ClickBank INS), each started by its own kind of trigger and made
 * only through the public API: from-template, activate, then the trigger (an INS, the Schedule, a webhook
 * delivery, a refused email, a tag set through the contacts API). Each template gets its own team, so no run of
 * one template is started by another's trigger.
 *
 * With RECORD_TEMPLATE_HISTORIES=1 each finished run's history is saved as
 * tests/replay/histories/automationRunWorkflow.template-<template id>.json (replayed by automation-replay.test.ts).
 */

interface Run {
  workflowId: string;
  automationId: string;
  version: number;
  triggerSource: string;
  triggerKey: string;
  status: string;
  currentStep: string | null;
  error: unknown;
  endedAt: string | null;
}
interface RunState {
  status: string;
  steps: Record<string, { status: string; output?: unknown; error?: unknown }>;
}
interface Team {
  user: RegisteredUser;
  teamId: string;
  campaignId: string;
  tid: string;
  as: { Authorization: string };
}
interface SequenceRun {
  contactEmail: string;
  status: string;
  stopReason: string | null;
}

const RECORD = process.env.RECORD_TEMPLATE_HISTORIES === '1';
const ended = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

describe('automation templates, end to end', () => {
  jest.setTimeout(180_000);
  let config: Config;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let deps: ApiDeps;
  let app: ReturnType<typeof createApp>;
  let server: Server;
  let baseUrl: string;
  let postmark: SandboxServer;
  let claude: SandboxServer;
  let wordpress: SandboxServer;
  let workers: TestWorkers;
  const schedules: string[] = [];

  beforeAll(async () => {
    postmark = await startPostmarkSandbox({ port: 0 });
    claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 1 });
    wordpress = await startWordpressSandbox({ port: 0 });
    const base = loadConfig();
    config = {
      ...base,
      integrations: {
        ...base.integrations,
        postmark: {
          ...base.integrations.postmark,
          mode: 'sandbox',
          requestHost: new URL(postmark.url).host,
          useHttps: false,
        },
        anthropic: { ...base.integrations.anthropic, mode: 'sandbox', baseUrl: claude.url },
        wordpress: { ...base.integrations.wordpress, mode: 'sandbox', sandboxUrl: wordpress.url },
      },
      links: { ...base.links },
    };
    const db = createDb(config);
    kv = await createKeyValue(config);
    temporal = await createTemporalClient(config);
    deps = { config, db, logger: createLogger(config, 'templates-test'), kv, temporal };
    app = createApp(deps);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    config.links.publicUrl = baseUrl;
    workers = await startTestWorkers({ db, config, kv });
  });

  afterAll(async () => {
    for (const id of schedules) {
      await temporal?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
    await workers?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await Promise.allSettled([deps?.db.destroy(), kv?.close(), temporal?.close()]);
    await Promise.allSettled([postmark?.close(), claude?.close(), wordpress?.close()]);
  });

  const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

  async function newTeam(label: string): Promise<Team> {
    const { user, teamId, campaign, auth } = await given.userWithCampaign(
      { app, db: deps.db },
      {
        label,
        campaign: {
          name: 'Keto spring push',
          product: {
            clickbank_id: `k${randomUUID().slice(0, 8)}`,
            title: 'Keto Kickstart Program',
            description: 'A 28-day ketogenic meal plan with recipes and shopping lists.',
            category_path: ['Health & Fitness', 'Diets & Weight Loss'],
          },
        },
      },
    );
    const tid = (campaign as unknown as { trackingId: string }).trackingId;
    return { user, teamId, campaignId: campaign.id, tid, as: auth };
  }

  const teamUrl = (t: Team, path: string) => `/api/v1/teams/${t.teamId}${path}`;

  /** Connects ClickBank (the INS secret) and returns the team's INS URL. */
  async function connectClickbank(t: Team, secret: string): Promise<string> {
    const res = await request(app)
      .put(teamUrl(t, '/integrations/clickbank'))
      .set(t.as)
      .send({ affiliateNickname: 'testaff1', insSecretKey: secret });
    expect(res.status).toBe(200);
    const insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    return `${baseUrl}${insPath}`;
  }

  async function addBonus(t: Team): Promise<void> {
    await request(app)
      .post(teamUrl(t, '/bonuses'))
      .set(t.as)
      .send({ name: 'Meal plan', url: 'https://example.com/plan.pdf', campaignIds: [t.campaignId] })
      .expect(201);
  }

  /** A manual sequence: the first email at once, the second a day later (so a run is still going). */
  async function createSequence(t: Team): Promise<string> {
    const res = await request(app)
      .post(teamUrl(t, '/sequences'))
      .set(t.as)
      .send({
        campaignId: t.campaignId,
        name: `Follow-up ${randomUUID().slice(0, 6)}`,
        steps: [
          { subject: 'Day one', body: 'Thanks for joining.', delaySeconds: 0 },
          { subject: 'Day two', body: 'One more thing.', delaySeconds: 86_400 },
        ],
      });
    expect(res.status).toBe(201);
    return (res.body as { sequence: { id: string } }).sequence.id;
  }

  /** From the template (a draft), then activated; returns the automation's id. */
  async function fromTemplate(t: Team, templateId: string, values: Record<string, string>): Promise<string> {
    const res = await request(app)
      .post(teamUrl(t, '/automations/from-template'))
      .set(t.as)
      .send({ template_id: templateId, values });
    expect(`${res.status} ${JSON.stringify(res.body)}`).toMatch(/^201 /);
    const automation = (
      res.body as { automation: { id: string; status: string; liveVersion: number | null } }
    ).automation;
    expect(automation).toMatchObject({ status: 'draft', liveVersion: null });
    const active = await request(app)
      .post(teamUrl(t, `/automations/${automation.id}/activate`))
      .set(t.as);
    expect(`${active.status} ${JSON.stringify(active.body)}`).toMatch(/^200 /);
    return automation.id;
  }

  async function runsOf(t: Team, automationId: string): Promise<Run[]> {
    const res = await request(app)
      .get(teamUrl(t, `/automations/${automationId}/runs`))
      .set(t.as);
    expect(res.status).toBe(200);
    return (res.body as { runs: Run[] }).runs;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  }

  async function runDetail(t: Team, workflowId: string) {
    const res = await request(app)
      .get(teamUrl(t, `/automation-runs/${encodeURIComponent(workflowId)}`))
      .set(t.as);
    expect(res.status).toBe(200);
    return (res.body as { run: Run & { state: RunState | null } }).run;
  }

  /** The automation's one run, once it ended: every step succeeded, the row says so; its history kept when asked. */
  async function finishedRun(
    t: Team,
    templateId: string,
    automationId: string,
    expected: { triggerSource: string; steps: string[] },
  ): Promise<Run & { state: RunState | null }> {
    const [started] = await until(`a run of ${templateId}`, async () => {
      const runs = await runsOf(t, automationId);
      return runs.length > 0 && runs;
    });
    const run = await until(
      `the run of ${templateId} to end`,
      async () => {
        const r = await runDetail(t, started!.workflowId);
        return ended.has(r.status) && r;
      },
      90_000,
    );
    const steps = Object.fromEntries(Object.entries(run.state?.steps ?? {}).map(([k, s]) => [k, s.status]));
    expect({ status: run.status, error: run.error, steps }).toEqual({
      status: 'succeeded',
      error: null,
      steps: Object.fromEntries(expected.steps.map((id) => [id, 'succeeded'])),
    });
    expect(run).toMatchObject({ automationId, version: 1, triggerSource: expected.triggerSource });
    expect(run.state?.status).toBe('succeeded');
    expect(run.endedAt).not.toBeNull();
    expect(await runsOf(t, automationId)).toHaveLength(1);
    const row = await deps
      .db('automation_runs')
      .where({ workflow_id: run.workflowId })
      .first<{ team_id: string; status: string; ended_at: Date | null; trigger_source: string }>();
    expect(row).toMatchObject({
      team_id: t.teamId,
      status: 'succeeded',
      trigger_source: expected.triggerSource,
    });
    expect(row?.ended_at).toBeInstanceOf(Date);
    // The row says succeeded a moment before the workflow itself completes: wait for it (and its history).
    const handle = temporal.client.workflow.getHandle(run.workflowId);
    await handle.result();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    if (RECORD) {
      const history = await handle.fetchHistory();
      fs.writeFileSync(
        historyPath(`automationRunWorkflow.template-${templateId}.json`),
        historyToJson(history),
      );
    }
    return run;
  }

  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages.reverse();
  }

  const mailFor = (to: string, count = 1) =>
    until(`${count} email(s) to ${to}`, async () => {
      const messages = await mailbox(to);
      return messages.length >= count && messages;
    });

  async function sequenceRuns(t: Team, sequenceId: string): Promise<SequenceRun[]> {
    const res = await request(app)
      .get(teamUrl(t, `/sequences/${sequenceId}/runs`))
      .set(t.as);
    expect(res.status).toBe(200);
    return (res.body as { runs: SequenceRun[] }).runs;
  }

  const tagsOf = async (t: Team, email: string) =>
    (
      await deps
        .db('contacts')
        .where({ team_id: t.teamId, email })
        .first<{ tags: string[]; status: string } | undefined>('tags', 'status')
    )?.tags;

  it('covers every template of the gallery', () => {
    expect(automationTemplates.map((t) => t.id).sort()).toEqual(
      [
        'refund-cleanup',
        'refused-email-tag',
        'sale-bonus-follow-up',
        'tagged-contact-sequence',
        'webhook-lead-drip',
        'weekly-review-approval',
      ].sort(),
    );
  });

  it('lists the gallery and refuses wrong values by their key', async () => {
    const t = await newTeam('tpl-api');
    const list = await request(app).get('/api/v1/automation-templates').set(t.as);
    expect(list.status).toBe(200);
    const templates = (list.body as { templates: { id: string; needs: { key: string }[] }[] }).templates;
    expect(templates.map((x) => x.id)).toEqual(automationTemplates.map((x) => x.id));
    expect(templates[0]).toEqual({
      id: 'sale-bonus-follow-up',
      name: expect.any(String) as string,
      description: expect.any(String) as string,
      trigger: 'clickbank',
      connects: ['ClickBank', 'Postmark'],
      needs: [
        { key: 'campaign_id', kind: 'campaign', label: expect.any(String) as string, required: true },
        { key: 'sequence_id', kind: 'sequence', label: expect.any(String) as string, required: true },
      ],
    });
    expect((await request(app).get('/api/v1/automation-templates')).status).toBe(401);

    const post = (body: object) =>
      request(app).post(teamUrl(t, '/automations/from-template')).set(t.as).send(body);
    const missing = await post({ template_id: 'webhook-lead-drip', values: { gap: 'soon' } });
    expect(missing.status).toBe(400);
    expect(
      (missing.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path),
    ).toEqual(['values.campaign_id', 'values.gap']);
    const unknown = await post({ template_id: 'nope', values: {} });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'template_id',
    );
    // Another team's campaign and sequence read as unknown ids, named by their value.
    const other = await newTeam('tpl-api-other');
    const foreignSequence = await createSequence(other);
    const foreign = await post({
      template_id: 'sale-bonus-follow-up',
      values: { campaign_id: other.campaignId, sequence_id: foreignSequence },
    });
    expect(foreign.status).toBe(400);
    expect(
      (foreign.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path),
    ).toEqual(['values.campaign_id', 'values.sequence_id']);
    const named = await post({
      template_id: 'refused-email-tag',
      name: 'Bounces',
      values: { team_email: 'team@example.test' },
    });
    expect(named.status).toBe(201);
    expect((named.body as { automation: { name: string; definition: unknown } }).automation).toMatchObject({
      name: 'Bounces',
      definition: { trigger: { type: 'event', event: 'email.refused' } },
    });
  });

  it('sale-bonus-follow-up and refund-cleanup: a SALE delivers the bonus and enrolls; its RFND undoes it', async () => {
    const t = await newTeam('tpl-sale');
    const secret = 'TPLSALESECRET1';
    const insUrl = await connectClickbank(t, secret);
    await addBonus(t);
    const sequenceId = await createSequence(t);
    const teamEmail = address('team');
    const sale = await fromTemplate(t, 'sale-bonus-follow-up', {
      campaign_id: t.campaignId,
      sequence_id: sequenceId,
    });
    const refund = await fromTemplate(t, 'refund-cleanup', {
      sequence_id: sequenceId,
      team_email: teamEmail,
    });

    const buyer = address('buyer');
    const receipt = `TPL${randomUUID().slice(0, 8).toUpperCase()}`;
    const sent = await sendInsNotification({
      url: insUrl,
      secret,
      type: 'SALE',
      tid: t.tid,
      receipt,
      email: buyer,
    });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200]);

    const saleRun = await finishedRun(t, 'sale-bonus-follow-up', sale, {
      triggerSource: 'clickbank',
      steps: ['bonus', 'follow_up'],
    });
    expect(saleRun.triggerKey).toBe(`cb:${receipt}:SALE:1`);
    expect(saleRun.state?.steps.bonus?.output).toMatchObject({
      receipt,
      item_no: '1',
      email: buyer,
      campaign_id: t.campaignId,
      bonuses: [{ name: 'Meal plan' }],
    });
    expect(saleRun.state?.steps.follow_up?.output).toMatchObject({ sequence_id: sequenceId, email: buyer });
    // One bonus email for the line (the platform's own bonus run and the step share its key), and day one.
    const mail = await mailFor(buyer, 2);
    expect(mail.filter((m) => m.TextBody?.includes('Meal plan'))).toHaveLength(1);
    expect(mail.map((m) => m.Subject)).toContain('Day one');
    expect(await sequenceRuns(t, sequenceId)).toEqual([
      expect.objectContaining({ contactEmail: buyer, status: 'running' }),
    ]);
    expect(await runsOf(t, refund)).toHaveLength(0);

    await sendInsNotification({ url: insUrl, secret, type: 'RFND', tid: t.tid, receipt, email: buyer });
    const refundRun = await finishedRun(t, 'refund-cleanup', refund, {
      triggerSource: 'clickbank',
      steps: ['tag', 'stop', 'tell'],
    });
    // The platform may stop the buyer's sequences on a refund itself: either way the run is stopped (0 or 1 here).
    expect(refundRun.state?.steps.stop?.output).toMatchObject({ sequence_id: sequenceId, email: buyer });
    expect(await tagsOf(t, buyer)).toContain('refunded');
    const runs = await until('the sequence run to stop', async () => {
      const r = await sequenceRuns(t, sequenceId);
      return r[0]?.status === 'stopped' && r;
    });
    expect(runs).toEqual([expect.objectContaining({ contactEmail: buyer, status: 'stopped' })]);
    const [told] = await mailFor(teamEmail);
    expect(told?.Subject).toBe(`Refund: receipt ${receipt}`);
    expect(told?.TextBody).toContain(`${buyer}: RFND of receipt ${receipt}`);
    expect(await runsOf(t, sale)).toHaveLength(1);
  });

  it('weekly-review-approval: its Schedule starts it, Claude drafts, an editor approves, WordPress has the post', async () => {
    const t = await newTeam('tpl-review');
    const id = await fromTemplate(t, 'weekly-review-approval', { campaign_id: t.campaignId });
    const schedule = temporal.client.schedule.getHandle(automationScheduleId(id));
    schedules.push(automationScheduleId(id));
    expect((await schedule.describe()).state.paused).toBe(false);
    await schedule.trigger();

    const [started] = await until('the scheduled run', async () => {
      const runs = await runsOf(t, id);
      return runs.length > 0 && runs;
    });
    expect(started!.workflowId).toMatch(new RegExp(`^auto:${id}:schedule-`));
    const waiting = await until(
      'the approval to wait',
      async () => {
        const r = await runDetail(t, started!.workflowId);
        return r.state?.steps.approval?.status === 'waiting' && r;
      },
      90_000,
    );
    const draft = waiting.state?.steps.draft?.output as { content_id: string; title: string; status: string };
    expect(draft.status).toBe('awaiting_review');
    const content = await request(app)
      .get(teamUrl(t, `/content/${draft.content_id}`))
      .set(t.as);
    expect(content.status).toBe(200);
    const body = (content.body as { content: { body: string | null; title: string } }).content;
    expect(body.body?.length).toBeGreaterThan(100);
    expect(await wordpressPosts()).not.toContainEqual(
      expect.objectContaining({ title: { raw: draft.title } }),
    );

    const decision = await request(app)
      .post(teamUrl(t, `/automation-runs/${encodeURIComponent(started!.workflowId)}/decision`))
      .set(t.as)
      .send({ step: 'approval', decision: 'approve', note: 'Ship it' });
    expect(`${decision.status} ${JSON.stringify(decision.body)}`).toMatch(/^200 /);

    const run = await finishedRun(t, 'weekly-review-approval', id, {
      triggerSource: 'schedule',
      steps: ['draft', 'approval', 'publish'],
    });
    expect(run.state?.steps.approval?.output).toMatchObject({ decision: 'approve', note: 'Ship it' });
    const published = run.state?.steps.publish?.output as { post_id: number; status: string; url: string };
    expect(published.status).toBe('published');
    const post = (await wordpressPosts()).find((p) => p.id === published.post_id);
    expect(post).toMatchObject({ status: 'publish' });
  });

  interface WpPost {
    id: number;
    status: string;
    title: { raw?: string; rendered: string };
  }
  async function wordpressPosts(): Promise<WpPost[]> {
    return (await (await fetch(`${wordpress.url}/sandbox/posts`)).json()) as WpPost[];
  }

  it('webhook-lead-drip: a webhook delivery tags the lead, welcomes them and sends three follow-ups', async () => {
    const t = await newTeam('tpl-lead');
    const id = await fromTemplate(t, 'webhook-lead-drip', { campaign_id: t.campaignId, gap: '1s' });
    const info = await request(app)
      .get(teamUrl(t, `/automations/${id}/webhook`))
      .set(t.as);
    expect(info.status).toBe(200);
    const secret = (info.body as { webhook: { secret: string } }).webhook.secret;
    const lead = address('lead');
    const hook = await request(app)
      .post(`/api/v1/hooks/${id}`)
      .set('Authorization', `Bearer ${secret}`)
      .set('Idempotency-Key', `lead-${lead}`)
      .send({ email: lead, name: 'Lee' });
    expect(hook.status).toBe(202);
    expect(hook.body).toMatchObject({ workflow_id: `auto:${id}:lead-${lead}`, status: 'started' });

    await finishedRun(t, 'webhook-lead-drip', id, {
      triggerSource: 'webhook',
      steps: ['tag', 'welcome', 'wait_1', 'tip_1', 'wait_2', 'tip_2', 'wait_3', 'offer'],
    });
    expect(await tagsOf(t, lead)).toEqual(['lead']);
    const mail = await mailFor(lead, 4);
    expect(mail.map((m) => m.Subject)).toEqual([
      'Welcome, Lee!',
      'A quick tip to get started',
      'What others did in week one',
      'The guide I recommend',
    ]);
  });

  it('refused-email-tag: an email the Postmark sandbox refuses tags the contact and tells the team', async () => {
    const t = await newTeam('tpl-refused');
    const secret = 'TPLREFUSED2026';
    const insUrl = await connectClickbank(t, secret);
    await addBonus(t);
    const teamEmail = address('team');
    const id = await fromTemplate(t, 'refused-email-tag', { team_email: teamEmail });

    // The bonus email of this sale goes to an address the sandbox refuses as inactive.
    const gone = `gone-${randomUUID().slice(0, 8)}@inactive.sandbox.test`;
    await sendInsNotification({
      url: insUrl,
      secret,
      type: 'SALE',
      tid: t.tid,
      receipt: `TPLR${randomUUID().slice(0, 6).toUpperCase()}`,
      email: gone,
    });
    const run = await finishedRun(t, 'refused-email-tag', id, {
      triggerSource: 'event',
      steps: ['tag', 'tell'],
    });
    expect(run.triggerKey).toMatch(/^event:email\.refused:bonus:/);
    expect(await tagsOf(t, gone)).toContain('undeliverable');
    const [told] = await mailFor(teamEmail);
    expect(told?.Subject).toBe(`An email to ${gone} was refused`);
    expect(told?.TextBody).toContain('The contact is tagged "undeliverable".');
  });

  it('tagged-contact-sequence: a tag set through the contacts API enrolls the contact', async () => {
    const t = await newTeam('tpl-tagged');
    const sequenceId = await createSequence(t);
    const id = await fromTemplate(t, 'tagged-contact-sequence', { tag: 'VIP', sequence_id: sequenceId });
    const email = address('vip');
    const created = await request(app)
      .post(teamUrl(t, '/contacts'))
      .set(t.as)
      .send({ email, firstName: 'Val' });
    expect(created.status).toBe(201);
    const contactId = (created.body as { contact: { id: string } }).contact.id;
    await request(app)
      .patch(teamUrl(t, `/contacts/${contactId}`))
      .set(t.as)
      .send({ tags: ['vip'] })
      .expect(200);

    const run = await finishedRun(t, 'tagged-contact-sequence', id, {
      triggerSource: 'event',
      steps: ['enroll'],
    });
    expect(run.state?.steps.enroll?.output).toMatchObject({ contact_id: contactId, status: 'started' });
    expect(await sequenceRuns(t, sequenceId)).toEqual([
      expect.objectContaining({ contactEmail: email, status: 'running' }),
    ]);
    const [first] = await mailFor(email);
    expect(first?.Subject).toBe('Day one');
  });
});
