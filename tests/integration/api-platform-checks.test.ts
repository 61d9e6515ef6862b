import request from 'supertest';
import { createApp } from '../../api/app';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { createTemporalClient } from '../../temporal/client';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { startTestWorkers, type TestWorkers } from '../support/worker';

interface CheckBody {
  check: {
    id: string;
    teamId: string;
    workflowId: string;
    status: string;
    result: unknown;
    workerIdentity: string | null;
    completedAt: string | null;
  };
  temporalUrl: string;
}

/** The API's part of the platform check against the real Temporal dev server and the real workers. */
describe('platform checks API', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    owner = await registerUser(api.app, 'check-owner');
    editor = await registerUser(api.app, 'check-editor');
    teamId = await createTeamWith(api.app, owner, [{ user: editor, role: 'editor' }], 'Checkers');
  });
  afterAll(async () => {
    await workers?.stop();
    await api?.close();
  });

  async function waitForStatus(checkId: string, user: RegisteredUser): Promise<CheckBody> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(api.app)
        .get(`/api/v1/teams/${teamId}/platform-checks/${checkId}`)
        .set(bearer(user.accessToken));
      expect(res.status).toBe(200);
      const body = res.body as CheckBody;
      if (body.check.status !== 'pending' || Date.now() > deadline) return body;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('starts the workflow on the priority queue, and the worker completes the check', async () => {
    const started = await request(api.app)
      .post(`/api/v1/teams/${teamId}/platform-checks`)
      .set(bearer(editor.accessToken));
    expect(started.status).toBe(202);
    const body = started.body as CheckBody;
    expect(body.check).toMatchObject({
      teamId,
      status: 'pending',
      workflowId: `platform-check:${body.check.id}`,
    });
    expect(body.temporalUrl).toBe(
      `${api.config.temporal.uiUrl}/namespaces/default/workflows/${encodeURIComponent(body.check.workflowId)}`,
    );

    const handle = api.deps.temporal!.client.workflow.getHandle(body.check.workflowId);
    const description = await handle.describe();
    expect(description.taskQueue).toBe('priority');
    expect(description.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(teamId);
    expect(description.typedSearchAttributes.get(SearchAttr.UserId)).toBe(editor.id);
    expect(description.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('api');

    const done = await waitForStatus(body.check.id, owner);
    expect(done.check.status).toBe('completed');
    expect(done.check.workerIdentity).toEqual(expect.any(String));
    expect(done.check.completedAt).not.toBeNull();
    expect(done.check.result).toMatchObject({ checkId: body.check.id, teamId });

    const metrics = await request(api.app).get('/metrics');
    expect(metrics.text).toMatch(/workflow_starts_total\{workflow="platformCheckWorkflow"\} [1-9]/);
  });

  it('lists the newest checks first', async () => {
    const a = (
      await request(api.app)
        .post(`/api/v1/teams/${teamId}/platform-checks`)
        .set(bearer(owner.accessToken))
        .expect(202)
    ).body as CheckBody;
    const b = (
      await request(api.app)
        .post(`/api/v1/teams/${teamId}/platform-checks`)
        .set(bearer(owner.accessToken))
        .expect(202)
    ).body as CheckBody;
    const list = await request(api.app)
      .get(`/api/v1/teams/${teamId}/platform-checks`)
      .set(bearer(editor.accessToken));
    expect(list.status).toBe(200);
    const ids = (list.body as { checks: { id: string }[] }).checks.map((c) => c.id);
    expect(ids.indexOf(b.check.id)).toBeLessThan(ids.indexOf(a.check.id));
    expect(ids.indexOf(a.check.id)).toBeGreaterThanOrEqual(0);
    await waitForStatus(a.check.id, owner);
    await waitForStatus(b.check.id, owner);
  });

  it('answers 503 temporal_unavailable without Temporal, and marks the row failed when the start fails', async () => {
    const noTemporal = createApp({ ...api.deps, temporal: null });
    const res = await request(noTemporal)
      .post(`/api/v1/teams/${teamId}/platform-checks`)
      .set(bearer(owner.accessToken));
    expect(res.status).toBe(503);
    expectErrorShape(res.body, 'temporal_unavailable');

    const closed = await createTemporalClient(api.config);
    await closed.close(); // a real client whose connection is gone: start() throws
    const broken = createApp({ ...api.deps, temporal: closed });
    const failed = await request(broken)
      .post(`/api/v1/teams/${teamId}/platform-checks`)
      .set(bearer(owner.accessToken));
    expect(failed.status).toBe(503);
    expectErrorShape(failed.body, 'temporal_unavailable');
    const newest = await api
      .db('platform_checks')
      .where({ team_id: teamId })
      .orderBy('created_at', 'desc')
      .first<{ status: string; result: unknown }>();
    expect(newest).toMatchObject({ status: 'failed', result: { error: expect.any(String) as unknown } });
  });

  it('GET /meta gives the UI what it needs to link to Temporal Web', async () => {
    const res = await request(api.app).get('/api/v1/meta');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      temporalWebUrl: api.config.temporal.uiUrl,
      temporalNamespace: 'default',
      version: expect.any(String) as unknown,
      // Outside production account emails go to the Postmark sandbox, whose mailbox page the UI links to.
      sandboxMailboxUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) as unknown,
    });
  });
});
