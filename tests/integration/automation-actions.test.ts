import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import {
  automationEmailKey,
  createAutomationActionActivities,
  type AutomationActionInput,
} from '../../activities/automation-actions';
import { insertBonus, setBonusCampaigns } from '../../data/bonuses';
import { upsertContact } from '../../data/contacts';
import { findRunByWorkflowId } from '../../data/sequence-runs';
import { insertSequence, replaceSteps } from '../../data/sequences';
import type { ExpressionScope } from '../../lib/automations/expressions';
import type { Config } from '../../lib/config';
import { EMAIL_ROW_METADATA_KEY } from '../../lib/integrations/adapters/postmark';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox, type SandboxServer } from '../../sandbox/postmark/server';
import type { AutomationStepSpec } from '../../workflows/contracts/automation-run';
import { sequenceWorkflowId } from '../../workflows/contracts/email-sequence';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type TestApi,
} from '../support/api';
import { given, type UserWithCampaign } from '../support/fixtures';

/**
 * The automation action activities called directly, against the real database, the Postmark sandbox, the
 * Temporal dev server (sequence runs) and a local HTTP server; plus the dry-run route on the real app.
 */
describe('automation action steps', () => {
  jest.setTimeout(60_000);
  let api: TestApi;
  let postmark: SandboxServer;
  let target: http.Server;
  let targetPort: number;
  let actions: ReturnType<typeof createAutomationActionActivities>;
  let owner: UserWithCampaign;
  let other: UserWithCampaign;
  const automationId = randomUUID();

  beforeAll(async () => {
    postmark = await startPostmarkSandbox({ port: 0 });
    api = await createTestApi({ temporal: true });
    const base = api.config;
    const config: Config = {
      ...base,
      integrations: {
        ...base.integrations,
        postmark: { ...base.integrations.postmark, mode: 'sandbox', requestHost: new URL(postmark.url).host },
      },
      // The operator allows the local test server by name; its literal loopback address stays refused.
      automations: { ...base.automations, http: { ...base.automations.http, allowedHosts: ['localhost'] } },
    };
    actions = createAutomationActionActivities({ db: api.db, config, temporal: api.deps.temporal!.client });
    target = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            path: req.url,
            got: body ? (JSON.parse(body) as unknown) : null,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as AddressInfo).port;
    const setting = { app: api.app, db: api.db };
    owner = await given.userWithCampaign(setting, { label: 'auto-owner' });
    other = await given.userWithCampaign(setting, { label: 'auto-other' });
  });
  afterAll(async () => {
    await new Promise((resolve) => target?.close(resolve));
    await api?.close();
    await postmark?.close();
  });

  const scope = (trigger: unknown, steps: Record<string, unknown> = {}): ExpressionScope => ({
    trigger,
    steps,
    vars: {},
    run: { id: 'test' },
  });
  const input = (
    step: Omit<AutomationStepSpec, 'id' | 'name'> & { id?: string },
    trigger: unknown = {},
    workflowId = `auto:${automationId}:${randomUUID()}`,
  ): AutomationActionInput => ({
    teamId: owner.teamId,
    automationId,
    workflowId,
    stepKey: step.id ?? 'step',
    step: { id: step.id ?? 'step', name: 'A step', ...step },
    scope: scope(trigger),
  });
  async function failureOf(work: Promise<unknown>): Promise<ApplicationFailure> {
    try {
      await work;
    } catch (error) {
      if (error instanceof ApplicationFailure) return error;
      throw error;
    }
    throw new Error('expected the activity to fail');
  }
  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }
  const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

  it('send_email lands in Postmark once, however often the same run and step runs it', async () => {
    const to = address('welcome');
    const step = input(
      {
        id: 'welcome',
        type: 'send_email',
        config: {
          to: '{{ trigger.email }}',
          subject: 'Welcome, {{ trigger.first }}!',
          body: 'Hi {{ trigger.first }}, thanks.',
          campaign_id: owner.campaign.id,
        },
      },
      { email: to, first: 'Ann' },
    );
    const first = await actions.runAutomationAction(step);
    const again = await actions.runAutomationAction(step);
    expect(first.output).toMatchObject({ to, status: 'sent', message_id: expect.any(String) as string });
    expect(again.output).toEqual(first.output);
    const messages = await mailbox(to);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ Subject: 'Welcome, Ann!', TextBody: 'Hi Ann, thanks.' });
    const row = await api
      .db('email_messages')
      .where({ idempotency_key: automationEmailKey(step.workflowId, 'welcome') })
      .first<{ status: string }>();
    expect(row?.status).toBe('sent');
  });

  it('send_email after an attempt that died once Postmark had the message: the retry sends nothing', async () => {
    const to = address('crashed');
    const step = input({
      id: 'notify',
      type: 'send_email',
      config: { to, subject: 'Hello', body: 'Once only' },
    });
    const key = automationEmailKey(step.workflowId, 'notify');
    // What a worker killed mid-send leaves: the committed 'queued' row, and Postmark holding the message.
    const [row] = await api
      .db('email_messages')
      .insert({
        team_id: owner.teamId,
        idempotency_key: key,
        to_email: to,
        subject: 'Hello',
        kind: 'notification',
      })
      .returning<{ id: string }[]>('id');
    const accepted = await fetch(`${postmark.url}/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-postmark-server-token': SANDBOX_CREDENTIALS.postmark.serverToken,
      },
      body: JSON.stringify({
        From: SANDBOX_CREDENTIALS.postmark.fromEmail,
        To: to,
        Subject: 'Hello',
        TextBody: 'Once only',
        Metadata: { [EMAIL_ROW_METADATA_KEY]: row!.id },
      }),
    });
    expect(accepted.status).toBe(200);
    const { output } = await actions.runAutomationAction(step);
    expect(output).toMatchObject({ status: 'sent', to });
    expect(await mailbox(to)).toHaveLength(1);
  });

  it('deliver_bonus: the campaign of the sale (by tid) delivers its bonuses once, with one email', async () => {
    const bonusId = await insertBonus(api.db, {
      teamId: owner.teamId,
      name: 'Meal plan',
      description: null,
      url: 'https://example.test/plan.pdf',
      file: null,
      createdBy: owner.user.id,
    });
    await setBonusCampaigns(api.db, owner.teamId, bonusId, [owner.campaign.id]);
    const { tid } = await api.db('campaigns').where({ id: owner.campaign.id }).first<{ tid: string }>('tid');
    const email = address('buyer');
    const receipt = `R${randomUUID().slice(0, 8).toUpperCase()}`;
    const step = input(
      {
        type: 'deliver_bonus',
        config: { receipt: '{{ trigger.receipt }}', item_no: '1', email: '{{ trigger.email }}' },
      },
      { receipt, email, tid },
    );
    const first = await actions.runAutomationAction(step);
    const again = await actions.runAutomationAction(step);
    expect(first.output).toMatchObject({
      status: 'delivered',
      campaign_id: owner.campaign.id,
      bonuses: [{ id: bonusId, name: 'Meal plan' }],
    });
    expect(again.output).toEqual(first.output);
    expect(
      await api.db('bonus_deliveries').where({ receipt, item_no: '1' }).count<{ count: string }[]>('*'),
    ).toEqual([{ count: '1' }]);
    const messages = await mailbox(email);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.TextBody).toContain('Meal plan');
    // Another team's bonus id is not found.
    const foreignBonus = await insertBonus(api.db, {
      teamId: other.teamId,
      name: 'Theirs',
      description: null,
      url: 'https://example.test/theirs.pdf',
      file: null,
      createdBy: other.user.id,
    });
    const failure = await failureOf(
      actions.runAutomationAction(
        input({
          type: 'deliver_bonus',
          config: { receipt: 'R2', item_no: '1', email, bonus_ids: [bonusId, foreignBonus] },
        }),
      ),
    );
    expect(failure.message).toMatch(/^config\.bonus_ids\[1\]: no bonus of this team/);
  });

  it("refuses another team's campaign id, naming the field, without sending", async () => {
    const to = address('foreign');
    const failure = await failureOf(
      actions.runAutomationAction(
        input({
          type: 'send_email',
          config: { to, subject: 'x', body: 'y', campaign_id: other.campaign.id },
        }),
      ),
    );
    expect(failure).toMatchObject({ type: 'StepConfigError', nonRetryable: true });
    expect(failure.message).toMatch(/^config\.campaign_id: no campaign of this team/);
    expect(await mailbox(to)).toHaveLength(0);
    const content = await failureOf(
      actions.prepareAutomationContent({
        teamId: owner.teamId,
        workflowId: `auto:${automationId}:c`,
        stepKey: 'draft',
        step: {
          id: 'draft',
          name: 'Draft',
          type: 'generate_content',
          config: { campaign_id: other.campaign.id, type: 'email' },
        },
        scope: scope({}),
      }),
    );
    expect(content.message).toMatch(/^config\.campaign_id:/);
  });

  it('a missing expression path fails the step naming the field and the path', async () => {
    const failure = await failureOf(
      actions.runAutomationAction(
        input(
          { type: 'send_email', config: { to: '{{ trigger.customer.email }}', subject: 's', body: 'b' } },
          { email: 'x@y.test' },
        ),
      ),
    );
    expect(failure).toMatchObject({ type: 'ExpressionError', nonRetryable: true });
    expect(failure.message).toMatch(/^config\.to: .*trigger\.customer/);
    expect(failure.details).toEqual([{ path: 'config.to' }]);
  });

  it('tag_contact adds and removes tags', async () => {
    const email = address('tagged');
    await upsertContact(api.db, { teamId: owner.teamId, email, tags: ['lead', 'old'], source: 'manual' });
    const { output } = await actions.runAutomationAction(
      input(
        {
          type: 'tag_contact',
          config: {
            contact: '{{ trigger.email }}',
            add: ['buyer', '{{ trigger.interest }}'],
            remove: ['lead'],
          },
        },
        { email, interest: 'Keto' },
      ),
    );
    expect(output).toMatchObject({
      email,
      tags: ['buyer', 'keto', 'old'],
      added: ['buyer', 'keto'],
      removed: ['lead'],
    });
    const row = await api.db('contacts').where({ team_id: owner.teamId, email }).first<{ tags: string[] }>();
    expect(row?.tags).toEqual(['buyer', 'keto', 'old']);
    // Another team's contact is not found.
    const foreign = await upsertContact(api.db, {
      teamId: other.teamId,
      email: address('foreign'),
      source: 'manual',
    });
    const failure = await failureOf(
      actions.runAutomationAction(
        input({ type: 'tag_contact', config: { contact: foreign.id, add: ['x'] } }),
      ),
    );
    expect(failure.message).toMatch(/^config\.contact: no contact of this team/);
  });

  it('enrolls a new address in a sequence (creating the contact) and removes it again', async () => {
    const sequenceId = await insertSequence(api.db, {
      teamId: owner.teamId,
      campaignId: owner.campaign.id,
      name: 'Drip',
      trigger: 'manual',
      createdBy: owner.user.id,
    });
    // A long first delay: the run waits on its timer while the test looks at it.
    await replaceSteps(api.db, owner.teamId, sequenceId, [
      { subject: 'One', body: 'Hello', delaySeconds: 86_400 },
    ]);
    const email = address('drip');
    const added = await actions.runAutomationAction(
      input(
        {
          type: 'add_to_sequence',
          config: { sequence_id: '{{ trigger.sequence }}', contact: '{{ trigger.email }}' },
        },
        { sequence: sequenceId, email },
      ),
    );
    const contact = await api.db('contacts').where({ team_id: owner.teamId, email }).first<{ id: string }>();
    expect(contact).toBeDefined();
    expect(added.output).toMatchObject({
      sequence_id: sequenceId,
      contact_id: contact.id,
      status: 'started',
    });
    const again = await actions.runAutomationAction(
      input({ type: 'add_to_sequence', config: { sequence_id: sequenceId, contact: email } }),
    );
    expect(again.output).toMatchObject({ status: 'already_running' });
    const workflowId = sequenceWorkflowId(sequenceId, contact.id);
    expect((await findRunByWorkflowId(api.db, workflowId))?.status).toBe('running');

    const removed = await actions.runAutomationAction(
      input({
        type: 'remove_from_sequence',
        config: { sequence_id: sequenceId, contact: contact.id, reason: 'bought' },
      }),
    );
    expect(removed.output).toMatchObject({ stopped: 1 });
    expect(await findRunByWorkflowId(api.db, workflowId)).toMatchObject({
      status: 'stopped',
      stopReason: 'bought',
    });

    const foreign = await failureOf(
      actions.runAutomationAction(
        input({ type: 'add_to_sequence', config: { sequence_id: randomUUID(), contact: email } }),
      ),
    );
    expect(foreign.message).toMatch(/^config\.sequence_id:/);
  });

  it('http_request: a loopback address is refused for good, an allowed host answers', async () => {
    const refused = await failureOf(
      actions.runAutomationAction(
        input({ type: 'http_request', config: { method: 'GET', url: `http://127.0.0.1:${targetPort}/x` } }),
      ),
    );
    expect(refused.nonRetryable).toBe(true);
    expect(refused.message).toMatch(/loopback/);
    const { output } = await actions.runAutomationAction(
      input(
        {
          type: 'http_request',
          config: {
            method: 'POST',
            url: `http://localhost:${targetPort}/leads?id={{ trigger.id }}`,
            headers: { 'X-Id': '{{ trigger.id }}', 'Idempotency-Key': 'k1' },
            body: { email: '{{ trigger.email }}' },
            timeout: '5s',
            max_response_bytes: 10_000,
          },
        },
        { id: 7, email: 'ann@example.test' },
      ),
    );
    expect(output).toMatchObject({
      status: 200,
      body: { method: 'POST', path: '/leads?id=7', got: { email: 'ann@example.test' } },
      headers: { 'content-type': 'application/json' },
    });
  });

  it('set_variable evaluates its value', async () => {
    const { output } = await actions.runAutomationAction(
      input(
        {
          type: 'set_variable',
          config: { name: 'first', value: { full: '{{ trigger.first }} {{ trigger.last }}' } },
        },
        { first: 'Ann', last: 'Lee' },
      ),
    );
    expect(output).toEqual({ name: 'first', value: { full: 'Ann Lee' } });
  });

  it('generate_content: the content row is created once per run and step', async () => {
    const prepare = () =>
      actions.prepareAutomationContent({
        teamId: owner.teamId,
        workflowId: `auto:${automationId}:content-once`,
        stepKey: 'draft',
        step: {
          id: 'draft',
          name: 'Draft',
          type: 'generate_content',
          config: { campaign_id: '{{ trigger.campaign }}', type: 'review_article' },
        },
        scope: scope({ campaign: owner.campaign.id }),
      });
    const first = await prepare();
    const again = await prepare();
    expect(again).toEqual(first);
    expect(first.summary).toMatch(/Test campaign/);
    const rows = await api
      .db('content')
      .where({ id: first.contentId, team_id: owner.teamId })
      .select<{ status: string }[]>('status');
    expect(rows).toEqual([{ status: 'generating' }]);
  });

  describe('POST /teams/{teamId}/automations/{automationId}/dry-run', () => {
    let automation: string;
    beforeAll(async () => {
      const [row] = await api
        .db('workflows')
        .insert({ team_id: owner.teamId, name: 'Welcome' })
        .returning<{ id: string }[]>('id');
      automation = row!.id;
      const definition = (subject: string) => ({
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'welcome',
            name: 'Welcome',
            type: 'send_email',
            config: { to: '{{ trigger.email }}', subject, body: 'Hi {{ trigger.first }}' },
          },
          {
            id: 'crm',
            name: 'CRM',
            type: 'http_request',
            config: {
              method: 'POST',
              url: 'http://127.0.0.1:9/x',
              headers: { Authorization: 'Bearer {{ trigger.token }}' },
            },
          },
        ],
      });
      await api.db('workflow_versions').insert([
        {
          workflow_id: automation,
          team_id: owner.teamId,
          version: 1,
          definition: definition('Old {{ trigger.first }}'),
        },
        {
          workflow_id: automation,
          team_id: owner.teamId,
          version: 2,
          definition: definition('New {{ trigger.first }}'),
        },
      ]);
    });
    const url = (teamId: string, id = automation) => `/api/v1/teams/${teamId}/automations/${id}/dry-run`;

    it('answers with the evaluated config and the rendered email of the latest version, sending nothing', async () => {
      const to = address('dry');
      const res = await request(api.app)
        .post(url(owner.teamId))
        .set(owner.auth)
        .send({ step_id: 'welcome', sample: { trigger: { email: to, first: 'Ann' } } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        step_id: 'welcome',
        type: 'send_email',
        config: { to, subject: 'New Ann' },
        preview: { email: { to, subject: 'New Ann', text_body: 'Hi Ann' } },
      });
      expect(await mailbox(to)).toHaveLength(0);
    });

    it('shows the request with its secret masked and the refusal of a loopback address', async () => {
      const res = await request(api.app)
        .post(url(owner.teamId))
        .set(owner.auth)
        .send({ step_id: 'crm', sample: { trigger: { token: 's3cret' } } });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('s3cret');
      expect(res.body).toMatchObject({ preview: { destination: { refused: true } } });
    });

    it('400 names the path of a missing sample field, and of an unknown step', async () => {
      const res = await request(api.app)
        .post(url(owner.teamId))
        .set(owner.auth)
        .send({ step_id: 'welcome', sample: { trigger: { first: 'Ann' } } });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'step_failed');
      expect((res.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
        'config.to',
      );
      const unknown = await request(api.app)
        .post(url(owner.teamId))
        .set(owner.auth)
        .send({ step_id: 'nope' });
      expect(unknown.status).toBe(400);
      expect((unknown.body as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
        'step_id',
      );
    });

    it("404 for another team's automation, 403 for a viewer", async () => {
      const foreign = await request(api.app)
        .post(url(other.teamId))
        .set(other.auth)
        .send({ step_id: 'welcome' });
      expect(foreign.status).toBe(404);
      expectErrorShape(foreign.body, 'automation_not_found');
      const notMember = await request(api.app)
        .post(url(owner.teamId))
        .set(other.auth)
        .send({ step_id: 'welcome' });
      expect(notMember.status).toBe(404);
      const viewer = await registerUser(api.app, 'auto-viewer');
      const teamId = await createTeamWith(api.app, owner.user, [{ user: viewer, role: 'viewer' }]);
      const [row] = await api
        .db('workflows')
        .insert({ team_id: teamId, name: 'Shared' })
        .returning<{ id: string }[]>('id');
      const denied = await request(api.app)
        .post(url(teamId, row!.id))
        .set(bearer(viewer.accessToken))
        .send({ step_id: 'welcome' });
      expect(denied.status).toBe(403);
    });
  });
});
