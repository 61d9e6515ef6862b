import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { automationRunResponse, automationRunsResponse } from '../../api/schemas/automation-runs';
import type { Config } from '../../lib/config';
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

interface Started {
  workflow_id: string;
}
interface Run {
  workflowId: string;
  automationName: string | null;
  triggerKey: string;
}
interface RetryState {
  attempt: number;
  maxAttempts: number | null;
  nextAttemptAt: string | null;
  lastFailure: string | null;
}
interface Detail {
  run: {
    status: string;
    state: { status: string; steps: Record<string, { status: string; attempts: number }> } | null;
    retrying: Record<string, RetryState>;
  };
}

const manual = (steps: unknown[]) => ({ version: 1, trigger: { type: 'manual' }, steps });
const note = { id: 'note', name: 'Note it', type: 'set_variable', config: { name: 'seen', value: 1 } };

describe('automation runs: search and retry state', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let owner: RegisteredUser;
  let viewer: RegisteredUser;
  let teamId: string;

  const url = (rest = '') => `/api/v1/teams/${teamId}/automations${rest}`;
  const runsUrl = (rest = '') => `/api/v1/teams/${teamId}/automation-runs${rest}`;

  async function activeAutomation(name: string, definition: unknown): Promise<string> {
    const created = await request(api.app)
      .post(url())
      .set(bearer(owner.accessToken))
      .send({ name, definition });
    expect(created.status).toBe(201);
    const id = (created.body as { automation: { id: string } }).automation.id;
    const activated = await request(api.app)
      .post(url(`/${id}/activate`))
      .set(bearer(owner.accessToken));
    expect(activated.status).toBe(200);
    return id;
  }
  async function start(id: string, payload: unknown): Promise<string> {
    const res = await request(api.app)
      .post(url(`/${id}/runs`))
      .set(bearer(owner.accessToken))
      .send({ payload });
    expect(res.status).toBe(202);
    return (res.body as Started).workflow_id;
  }
  async function search(q: string, rest = ''): Promise<Run[]> {
    const res = await request(api.app)
      .get(runsUrl(`?q=${encodeURIComponent(q)}${rest}`))
      .set(bearer(viewer.accessToken));
    expect(res.status).toBe(200);
    // The answer is what the OpenAPI document (and the UI's types) say it is.
    automationRunsResponse.parse(res.body);
    return (res.body as { runs: Run[] }).runs;
  }

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    owner = await registerUser(api.app, 'runs-owner');
    viewer = await registerUser(api.app, 'runs-viewer');
    teamId = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }], 'Run searchers');
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('q (no interpreter needed: the rows are searched)', () => {
    let percent: string;
    let underscore: string;
    let plain: string;
    let percentRun: string;
    let underscoreRun: string;
    let plainRun: string;

    beforeAll(async () => {
      percent = await activeAutomation('Sale 100% bonus', manual([note]));
      underscore = await activeAutomation('Lead_welcome', manual([note]));
      plain = await activeAutomation('Leadxwelcome refunds', manual([note]));
      percentRun = await start(percent, { order: 'R-1' });
      underscoreRun = await start(underscore, { email: 'kim@example.test' });
      plainRun = await start(plain, { email: 'lee@example.test', note: 'half_price' });
    });

    it("finds runs by the automation's name, case-insensitively, with % and _ taken literally", async () => {
      expect((await search('100%')).map((r) => r.workflowId)).toEqual([percentRun]);
      expect((await search('sale 100')).map((r) => r.automationName)).toEqual(['Sale 100% bonus']);
      // A bare % or _ would match everything as a pattern; as text it matches only where it is.
      expect((await search('%')).map((r) => r.workflowId)).toEqual([percentRun]);
      expect((await search('lead_')).map((r) => r.workflowId)).toEqual([underscoreRun]);
      expect((await search('lead')).map((r) => r.workflowId).sort()).toEqual(
        [underscoreRun, plainRun].sort(),
      );
      expect(await search('nothing like this')).toEqual([]);
    });

    it('finds runs by workflow id, trigger key and text in the trigger payload; combines with filters', async () => {
      const run = (await search(plainRun))[0]!;
      expect(run.workflowId).toBe(plainRun);
      expect((await search(run.triggerKey)).map((r) => r.workflowId)).toEqual([plainRun]);
      expect((await search('KIM@example')).map((r) => r.workflowId)).toEqual([underscoreRun]);
      expect((await search('half_price')).map((r) => r.workflowId)).toEqual([plainRun]);
      expect(await search('lee@example', `&automation_id=${underscore}`)).toEqual([]);
      expect(await search('lee@example', '&status=failed')).toEqual([]);
      const own = await request(api.app)
        .get(url(`/${plain}/runs?q=${encodeURIComponent('lee@')}`))
        .set(bearer(viewer.accessToken));
      expect((own.body as { runs: Run[] }).runs.map((r) => r.workflowId)).toEqual([plainRun]);
    });

    it('refuses a NUL and text over 200 characters with a 400 naming q', async () => {
      for (const q of ['a\u0000b', 'x'.repeat(201)]) {
        const res = await request(api.app)
          .get(runsUrl(`?q=${encodeURIComponent(q)}`))
          .set(bearer(viewer.accessToken));
        expect(res.status).toBe(400);
        expectErrorShape(res.body, 'validation_failed');
        const details = (res.body as { error: { details: { path: string }[] } }).error.details;
        expect(details.map((d) => d.path)).toContain('query.q');
      }
    });
  });

  describe('retry state from Temporal', () => {
    let workers: TestWorkers;
    let target: http.Server;
    let targetPort: number;
    let calls = 0;

    beforeAll(async () => {
      const base = api.config;
      // The operator allows the local test server by name (its literal loopback address stays refused).
      const config: Config = {
        ...base,
        automations: { ...base.automations, http: { ...base.automations.http, allowedHosts: ['localhost'] } },
      };
      workers = await startTestWorkers({ db: api.db, config, kv: api.deps.kv });
      target = http.createServer((_req, res) => {
        calls++;
        res.statusCode = 503;
        res.setHeader('content-type', 'text/plain');
        res.end('down for maintenance');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      targetPort = (target.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await workers?.stop();
      await new Promise((resolve) => target?.close(resolve));
    });

    it('a step failing with a retryable error shows its attempt, limit, next attempt time and last failure', async () => {
      const id = await activeAutomation(
        'Call the shop',
        manual([
          note,
          {
            id: 'call',
            name: 'Call the shop',
            type: 'http_request',
            config: { method: 'GET', url: `http://localhost:${targetPort}/orders` },
            retry: { max_attempts: 5, initial_interval: '1m', backoff: 2, max_interval: '5m' },
          },
        ]),
      );
      const workflowId = await start(id, { order: 'R-9' });
      const before = Date.now();
      let detail: Detail['run'] | undefined;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const res = await request(api.app)
          .get(runsUrl(`/${encodeURIComponent(workflowId)}`))
          .set(bearer(viewer.accessToken));
        expect(res.status).toBe(200);
        automationRunResponse.parse(res.body);
        detail = (res.body as Detail).run;
        if (detail.retrying.call) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(detail?.state?.steps.call?.status).toBe('running');
      expect(detail?.state?.steps.note?.status).toBe('succeeded');
      const retry = detail!.retrying.call!;
      expect(retry).toMatchObject({ attempt: 2, maxAttempts: 5 });
      expect(retry.lastFailure).toMatch(/503/);
      const next = Date.parse(retry.nextAttemptAt ?? '');
      // One minute after the first attempt failed (give or take the test's own timing).
      expect(next).toBeGreaterThan(before + 40_000);
      expect(next).toBeLessThan(Date.now() + 70_000);
      expect(Object.keys(detail!.retrying)).toEqual(['call']);

      const cancelled = await request(api.app)
        .post(runsUrl(`/${encodeURIComponent(workflowId)}/cancel`))
        .set(bearer(owner.accessToken));
      expect(cancelled.status).toBe(202);
    });
  });
});
