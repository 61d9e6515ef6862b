import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { Config } from '../../lib/config';
import { startAnthropicSandbox } from '../../sandbox/anthropic/server';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import type { SandboxServer } from '../../sandbox/listen';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

interface Run {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  summary: string | null;
  title: string;
  waitingFor: string | null;
  startTime: string;
  closeTime: string | null;
  temporalUrl: string;
}
interface Step {
  step: string;
  activityType: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  attempt: number;
  failure?: string;
}
interface RunDetail extends Run {
  progress?: unknown;
  failure?: string;
  timeline: Step[];
}

/** Runs API against the real Temporal dev server: platform-check and ClickBank notification runs, real workers. */
describe('runs API', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let server: Server;
  let claude: SandboxServer;
  let wordpress: SandboxServer;
  let owner: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let checkWorkflowId: string;
  let notificationWorkflowId: string;
  let failedWorkflowId: string;
  /** The sale's bonus run (started by the notification run; this team offers no bonuses, so it just finishes). */
  let bonusWorkflowId: string;

  const runsUrl = (team = teamId) => `/api/v1/teams/${team}/runs`;
  const runUrl = (workflowId: string, team = teamId) => `${runsUrl(team)}/${encodeURIComponent(workflowId)}`;
  const client = () => api.deps.temporal!.client;

  /** Visibility is eventually consistent: poll the list until it shows what the test needs. */
  async function listUntil(
    query: string,
    user: RegisteredUser,
    ok: (runs: Run[]) => boolean,
  ): Promise<Run[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(api.app).get(`${runsUrl()}${query}`).set(bearer(user.accessToken));
      expect(res.status).toBe(200);
      const runs = (res.body as { runs: Run[] }).runs;
      if (ok(runs) || Date.now() > deadline) return runs;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    claude = await startAnthropicSandbox({ port: 0 });
    wordpress = await startWordpressSandbox({ port: 0 });
    api = await createTestApi({ temporal: true });
    const { integrations } = api.config;
    // The content pipeline calls Claude and WordPress: point API and worker at this test's sandboxes.
    const config: Config = {
      ...api.config,
      integrations: {
        ...integrations,
        anthropic: { ...integrations.anthropic, mode: 'sandbox', baseUrl: claude.url },
        wordpress: { ...integrations.wordpress, mode: 'sandbox', sandboxUrl: wordpress.url },
      },
    };
    api = { ...api, config, deps: { ...api.deps, config }, app: createApp({ ...api.deps, config }) };
    workers = await startTestWorkers({ db: api.db, config, kv: api.deps.kv });
    server = await new Promise<Server>((resolve) => {
      const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    owner = await registerUser(api.app, 'runs-owner');
    viewer = await registerUser(api.app, 'runs-viewer');
    outsider = await registerUser(api.app, 'runs-outsider');
    teamId = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }], 'Runners');

    // A platform check, started through its API.
    const check = await request(api.app)
      .post(`/api/v1/teams/${teamId}/platform-checks`)
      .set(bearer(owner.accessToken))
      .expect(202);
    checkWorkflowId = (check.body as { check: { workflowId: string } }).check.workflowId;
    await client().workflow.getHandle(checkWorkflowId).result();

    // A ClickBank sale through the real INS webhook, which starts clickbankNotificationWorkflow.
    const saved = await request(api.app)
      .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'runsaff1', insSecretKey: 'RUNSSECRET1' })
      .expect(200);
    const insPath = new URL((saved.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    const sent = await sendInsNotification({
      url: `${baseUrl}${insPath}`,
      secret: 'RUNSSECRET1',
      type: 'SALE',
    });
    expect(sent.deliveries[0]?.status).toBe(200);
    notificationWorkflowId = `clickbank-ins:${teamId}:${String(sent.notification.receipt)}:SALE:1`;
    bonusWorkflowId = `bonus:${String(sent.notification.receipt)}:1`;
    // The webhook answers first and starts the run right after.
    for (let i = 0; ; i++) {
      try {
        await client().workflow.getHandle(notificationWorkflowId).result();
        break;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) || i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    // A notification run whose stored event does not exist: the activity fails permanently, the run fails.
    failedWorkflowId = `clickbank-ins:${teamId}:missing-${randomUUID()}`;
    const failing = await client().workflow.start('clickbankNotificationWorkflow', {
      taskQueue: TaskQueue.main,
      workflowId: failedWorkflowId,
      args: [{ teamId, webhookEventId: randomUUID(), dedupeKey: 'missing' }],
      typedSearchAttributes: [{ key: SearchAttr.TeamId, value: teamId }],
      staticSummary: 'Notification with no stored event',
    });
    await expect(failing.result()).rejects.toThrow();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await workers?.stop();
    await api?.close();
    await Promise.allSettled([claude?.close(), wordpress?.close()]);
  });

  it("lists the team's runs from visibility with their summary and Temporal Web link", async () => {
    const runs = await listUntil('', viewer, (r) => r.length >= 4 && r.every((x) => x.status !== 'running'));
    expect(runs.map((r) => r.workflowId).sort()).toEqual(
      [checkWorkflowId, notificationWorkflowId, bonusWorkflowId, failedWorkflowId].sort(),
    );
    const check = runs.find((r) => r.workflowId === checkWorkflowId)!;
    expect(check).toMatchObject({
      type: 'platformCheckWorkflow',
      status: 'completed',
      summary: expect.stringContaining('Platform check') as unknown,
    });
    expect(check.closeTime).not.toBeNull();
    expect(check.temporalUrl).toBe(
      `${api.config.temporal.uiUrl}/namespaces/default/workflows/${encodeURIComponent(checkWorkflowId)}/${check.runId}/history`,
    );
    const notification = runs.find((r) => r.workflowId === notificationWorkflowId)!;
    expect(notification).toMatchObject({ type: 'clickbankNotificationWorkflow', status: 'completed' });
    expect(notification.summary).toMatch(/^ClickBank SALE /);
    expect(runs.find((r) => r.workflowId === failedWorkflowId)?.status).toBe('failed');
    // Titles in plain words: what the run does, never an id or a workflow type name.
    expect(check.title).toBe('Platform check');
    expect(notification.title).toMatch(/^ClickBank sale, receipt \S+$/);
    expect(runs.find((r) => r.workflowId === bonusWorkflowId)?.title).toMatch(/^Bonus delivery for receipt /);
    for (const r of runs) {
      expect(r.title).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}|Workflow/);
      expect(r.waitingFor).toBeNull();
    }
  });

  it('filters by workflow type and status, and pages with a cursor', async () => {
    const byType = await listUntil('?type=clickbankNotificationWorkflow', owner, (r) => r.length >= 2);
    expect(byType.map((r) => r.workflowId).sort()).toEqual([notificationWorkflowId, failedWorkflowId].sort());
    const failed = await listUntil('?status=failed', owner, (r) => r.length >= 1);
    expect(failed.map((r) => r.workflowId)).toEqual([failedWorkflowId]);
    const both = await listUntil('?type=platformCheckWorkflow&status=completed', owner, (r) => r.length >= 1);
    expect(both.map((r) => r.workflowId)).toEqual([checkWorkflowId]);
    expect(await listUntil('?type=platformCheckWorkflow&status=failed', owner, () => true)).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await request(api.app).get(`${runsUrl()}${query}`).set(bearer(owner.accessToken));
      expect(res.status).toBe(200);
      const body = res.body as { runs: Run[]; nextCursor: string | null };
      expect(body.runs.length).toBeLessThanOrEqual(1);
      seen.push(...body.runs.map((r) => r.workflowId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(
      [checkWorkflowId, notificationWorkflowId, bonusWorkflowId, failedWorkflowId].sort(),
    );

    for (const query of [
      '?status=sleeping',
      '?type=x%22%20OR%20TeamId%20!%3D%20%22',
      '?limit=0',
      '?cursor=%21%21',
    ]) {
      const res = await request(api.app).get(`${runsUrl()}${query}`).set(bearer(owner.accessToken));
      expect(`${query} -> ${res.status}`).toBe(`${query} -> 400`);
    }
    // Forged tokens and cursors of another query are refused at once (Temporal would retry ~20 s, then 500).
    const firstPage = await request(api.app).get(`${runsUrl()}?limit=1`).set(bearer(owner.accessToken));
    const realCursor = (firstPage.body as { nextCursor: string }).nextCursor;
    expect(realCursor).toEqual(expect.any(String));
    const forged = `${Buffer.from('not a page token').toString('base64url')}.${realCursor.split('.')[1]}`;
    for (const query of [`?cursor=${forged}`, `?status=failed&limit=1&cursor=${realCursor}`, '?cursor=abc']) {
      const res = await request(api.app).get(`${runsUrl()}${query}`).set(bearer(owner.accessToken));
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'invalid_cursor');
    }
    const outsiders = await request(api.app)
      .get(`${runsUrl(outsider.personalTeamId)}?limit=1&cursor=${realCursor}`)
      .set(bearer(outsider.accessToken));
    expect(outsiders.status).toBe(400);
  });

  it('shows one run with a step timeline named by the activity summaries', async () => {
    const res = await request(api.app).get(runUrl(checkWorkflowId)).set(bearer(viewer.accessToken));
    expect(res.status).toBe(200);
    const { run } = res.body as { run: RunDetail };
    expect(run).toMatchObject({
      workflowId: checkWorkflowId,
      type: 'platformCheckWorkflow',
      status: 'completed',
    });
    expect(run.timeline).toEqual([
      {
        step: 'Check the database from the worker and record the result',
        activityType: 'runPlatformCheck',
        status: 'completed',
        startedAt: expect.any(String) as unknown,
        endedAt: expect.any(String) as unknown,
        attempt: 1,
      },
    ]);
    expect(run.progress).toBeUndefined();

    const failed = await request(api.app).get(runUrl(failedWorkflowId)).set(bearer(viewer.accessToken));
    const detail = (failed.body as { run: RunDetail }).run;
    expect(detail.status).toBe('failed');
    expect(detail.summary).toBe('Notification with no stored event');
    expect(detail.failure).toEqual(expect.any(String));
    expect(detail.timeline.map((s) => [s.activityType, s.status])).toEqual([
      ['recordClickbankNotification', 'failed'],
      ['markClickbankNotificationFailed', 'completed'],
    ]);
    expect(detail.timeline[0]?.step).toBe('Record the ClickBank transaction in analytics');
    expect(detail.timeline[0]?.failure).toEqual(expect.any(String));
  });

  it("answers 404 for unknown ids and for another team's runs, and 503 without Temporal", async () => {
    const unknown = await request(api.app).get(runUrl('no-such-run')).set(bearer(owner.accessToken));
    expect(unknown.status).toBe(404);
    expectErrorShape(unknown.body, 'run_not_found');

    // The outsider is a member of their own team; our run id inside it must look missing, not forbidden.
    for (const [method, path] of [
      ['get', runUrl(checkWorkflowId, outsider.personalTeamId)],
      ['post', `${runUrl(checkWorkflowId, outsider.personalTeamId)}/cancel`],
    ] as const) {
      const res = await request(api.app)[method](path).set(bearer(outsider.accessToken));
      expect(res.status).toBe(404);
      expectErrorShape(res.body, 'run_not_found');
    }
    const theirs = await request(api.app)
      .get(runsUrl(outsider.personalTeamId))
      .set(bearer(outsider.accessToken));
    expect((theirs.body as { runs: Run[] }).runs).toEqual([]);

    const noTemporal = createApp({ ...api.deps, temporal: null });
    const res = await request(noTemporal).get(runsUrl()).set(bearer(owner.accessToken));
    expect(res.status).toBe(503);
    expectErrorShape(res.body, 'temporal_unavailable');
  });

  it("shows a running content pipeline's progress query and its Claude steps, and cancels it", async () => {
    const campaign = await given.campaign(api, owner, {
      teamId,
      name: 'Runs campaign',
      product: { clickbank_id: 'runsvend1', title: 'Runs product', description: 'For the runs test.' },
    });
    const created = await request(api.app)
      .post(`/api/v1/teams/${teamId}/content`)
      .set(bearer(owner.accessToken))
      .send({
        campaignId: campaign.id,
        type: 'social_post',
        tone: 'upbeat',
        keywords: ['runs'],
        length: 'short',
      })
      .expect(202);
    const { workflowId } = created.body as { workflowId: string };

    // Waiting for review, the run is still running: progress comes from the workflow's `progress` query.
    const deadline = Date.now() + 60_000;
    let run: RunDetail;
    for (;;) {
      const res = await request(api.app).get(runUrl(workflowId)).set(bearer(viewer.accessToken));
      expect(res.status).toBe(200);
      run = (res.body as { run: RunDetail }).run;
      const progress = run.progress as { status?: string } | undefined;
      if (progress?.status === 'awaiting_review' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(run).toMatchObject({ type: 'contentPipelineWorkflow', status: 'running', closeTime: null });
    expect(run.progress).toMatchObject({ status: 'awaiting_review', step: 'review', percent: 100 });
    // Titled by its content type and campaign (a name of this team), and waiting for a person.
    expect(run.title).toBe('Social post for Runs campaign');
    expect(run.waitingFor).toBe('Waiting for review');
    const listed = await listUntil('?type=contentPipelineWorkflow', viewer, (r) => r.length >= 1);
    expect(listed.find((r) => r.workflowId === workflowId)).toMatchObject({
      title: 'Social post for Runs campaign',
      waitingFor: 'Waiting for review',
    });
    const claudeSteps = run.timeline.filter((s) => s.step.includes('with Claude'));
    expect(claudeSteps.map((s) => [s.step, s.status])).toEqual([
      ['Write the brief with Claude', 'completed'],
      ['Write the outline with Claude', 'completed'],
      ['Write the draft with Claude (streamed live)', 'completed'],
      ['Polish the draft with Claude (streamed live)', 'completed'],
    ]);
    expect(claudeSteps.every((s) => s.startedAt !== null && s.endedAt !== null && s.attempt === 1)).toBe(
      true,
    );

    await request(api.app)
      .post(`${runUrl(workflowId)}/cancel`)
      .set(bearer(owner.accessToken))
      .expect(202);
    await expect(client().workflow.getHandle(workflowId).result()).rejects.toThrow();
    const cancelled = await request(api.app).get(runUrl(workflowId)).set(bearer(viewer.accessToken));
    expect((cancelled.body as { run: RunDetail }).run.status).toBe('canceled');
    expect((cancelled.body as { run: RunDetail }).run.progress).toBeUndefined();
  });

  it('cancels a running run (editor+), and refuses finished runs with 409', async () => {
    // No worker polls this queue, so the run stays running until it is cancelled.
    const workflowId = `runs-test-idle:${randomUUID()}`;
    await client().workflow.start('platformCheckWorkflow', {
      taskQueue: 'runs-test-idle',
      workflowId,
      args: [{ checkId: randomUUID(), teamId, requestedBy: null }],
      typedSearchAttributes: [{ key: SearchAttr.TeamId, value: teamId }],
      staticSummary: 'Idle run for the cancel test',
    });
    const running = await request(api.app).get(runUrl(workflowId)).set(bearer(viewer.accessToken));
    expect((running.body as { run: RunDetail }).run).toMatchObject({ status: 'running', closeTime: null });

    const denied = await request(api.app)
      .post(`${runUrl(workflowId)}/cancel`)
      .set(bearer(viewer.accessToken));
    expect(denied.status).toBe(403);
    const cancelled = await request(api.app)
      .post(`${runUrl(workflowId)}/cancel`)
      .set(bearer(owner.accessToken));
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ workflowId, cancelRequested: true });
    const history = await client().workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    await client().workflow.getHandle(workflowId).terminate('test cleanup');

    const finished = await request(api.app)
      .post(`${runUrl(checkWorkflowId)}/cancel`)
      .set(bearer(owner.accessToken));
    expect(finished.status).toBe(409);
    expectErrorShape(finished.body, 'run_not_running');
  });
});
