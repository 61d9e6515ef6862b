import { ScheduleNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { contentHash } from '../../lib/automations/canonical-json';
import { automationScheduleId } from '../../workflows/contracts/automation-run';
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

interface Version {
  id: string;
  version: number;
  contentHash: string;
  state: 'draft' | 'published';
  live: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
  createdBy: string | null;
}
interface Automation {
  id: string;
  name: string;
  description: string | null;
  status: string;
  trigger: Record<string, unknown>;
  latestTriggerType: string | null;
  liveVersion: number | null;
  latestVersion: Version | null;
  definition: unknown;
}
interface Started {
  run_id: string | null;
  workflow_id: string;
  status: string;
}
interface Run {
  workflowId: string;
  automationId: string;
  versionId: string;
  version: number;
  triggerSource: string;
  status: string;
}
interface Detail {
  error: { code: string; details: { path: string; message: string }[] };
}

const manual = (value: unknown = 1) => ({
  version: 1,
  trigger: { type: 'manual' },
  steps: [{ id: 'note', name: 'Note it', type: 'set_variable', config: { name: 'seen', value } }],
});

/** The interpreter lands separately; the tests that need a worker running it are skipped until it exists. */

describe('automations API', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let otherTeamId: string;

  const client = () => api.deps.temporal!.client;
  const url = (rest = '', team = teamId) => `/api/v1/teams/${team}/automations${rest}`;
  const runsUrl = (rest = '', team = teamId) => `/api/v1/teams/${team}/automation-runs${rest}`;
  const as = (user: RegisteredUser) => bearer(user.accessToken);

  async function create(body: Record<string, unknown>, user = owner): Promise<Automation> {
    const res = await request(api.app).post(url()).set(as(user)).send(body);
    expect(res.status).toBe(201);
    return (res.body as { automation: Automation }).automation;
  }
  async function save(id: string, definition: unknown): Promise<Automation> {
    const res = await request(api.app)
      .patch(url(`/${id}`))
      .set(as(owner))
      .send({ definition });
    expect(res.status).toBe(200);
    return (res.body as { automation: Automation }).automation;
  }
  async function activate(id: string): Promise<Automation> {
    const res = await request(api.app)
      .post(url(`/${id}/activate`))
      .set(as(owner));
    expect(res.status).toBe(200);
    return (res.body as { automation: Automation }).automation;
  }
  async function versions(id: string): Promise<Version[]> {
    const res = await request(api.app)
      .get(url(`/${id}/versions`))
      .set(as(viewer));
    expect(res.status).toBe(200);
    return (res.body as { versions: Version[] }).versions;
  }
  async function startManual(id: string, payload: unknown = { hello: 'world' }): Promise<Started> {
    const res = await request(api.app)
      .post(url(`/${id}/runs`))
      .set(as(editor))
      .send({ payload });
    expect(res.status).toBe(202);
    return res.body as Started;
  }

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    owner = await registerUser(api.app, 'auto-owner');
    editor = await registerUser(api.app, 'auto-editor');
    viewer = await registerUser(api.app, 'auto-viewer');
    outsider = await registerUser(api.app, 'auto-outsider');
    teamId = await createTeamWith(
      api.app,
      owner,
      [
        { user: editor, role: 'editor' },
        { user: viewer, role: 'viewer' },
      ],
      'Automators',
    );
    otherTeamId = await createTeamWith(api.app, outsider, [], 'Others');
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('CRUD and validation', () => {
    it('creates, lists, reads, renames; viewers read, only editors write; outsiders see 404', async () => {
      const a = await create({ name: 'Welcome', description: 'Say hi', definition: manual() }, editor);
      expect(a).toMatchObject({ name: 'Welcome', description: 'Say hi', status: 'draft', liveVersion: null });
      expect(a.latestVersion).toMatchObject({ version: 1, state: 'draft', live: false });
      expect(a.definition).toEqual(manual());

      const list = await request(api.app).get(url()).set(as(viewer));
      expect(list.status).toBe(200);
      const listed = (list.body as { automations: Automation[] }).automations;
      expect(listed.map((x) => x.id)).toContain(a.id);
      // A draft's trigger is not the automation's until activation; the list still says what starts it.
      expect(listed.find((x) => x.id === a.id)).toMatchObject({ trigger: {}, latestTriggerType: 'manual' });
      expect(a.latestTriggerType).toBe('manual');

      const renamed = await request(api.app)
        .patch(url(`/${a.id}`))
        .set(as(editor))
        .send({ name: 'Hello' });
      expect((renamed.body as { automation: Automation }).automation.name).toBe('Hello');

      const denied = await request(api.app)
        .patch(url(`/${a.id}`))
        .set(as(viewer))
        .send({ name: 'No' });
      expect(denied.status).toBe(403);
      expect((await request(api.app).post(url()).set(as(viewer)).send({ name: 'x' })).status).toBe(403);

      const foreign = await request(api.app)
        .get(url(`/${a.id}`, otherTeamId))
        .set(as(outsider));
      expect(foreign.status).toBe(404);
      const outsiderOnOurs = await request(api.app)
        .get(url(`/${a.id}`))
        .set(as(outsider));
      expect(outsiderOnOurs.status).toBe(404);
      const unknown = await request(api.app)
        .get(url('/00000000-0000-4000-8000-000000000000'))
        .set(as(viewer));
      expect(unknown.status).toBe(404);
      expectErrorShape(unknown.body, 'automation_not_found');
    });

    it('answers 400 with every problem of a definition, each path under definition.', async () => {
      const res = await request(api.app)
        .post(url())
        .set(as(owner))
        .send({
          name: 'Broken',
          definition: {
            version: 1,
            trigger: { type: 'schedule', cron: 'every day', timezone: 'Mars/Olympus' },
            steps: [
              { id: 'a', name: 'A', type: 'no_such_step', config: {} },
              {
                id: 'a',
                name: 'B',
                type: 'set_variable',
                config: { name: 'x', value: '{{ steps.nope.output }}' },
              },
            ],
          },
        });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'validation_failed');
      const paths = (res.body as Detail).error.details.map((d) => d.path);
      expect(paths).toEqual(
        expect.arrayContaining(['definition.trigger.cron', 'definition.trigger.timezone']),
      );
      expect(paths.some((p) => p.startsWith('definition.steps[0]'))).toBe(true);
      expect(paths.some((p) => p.startsWith('definition.steps[1]'))).toBe(true);
      expect(paths.every((p) => p.startsWith('definition'))).toBe(true);

      const notObject = await request(api.app)
        .post(url())
        .set(as(owner))
        .send({ name: 'x', definition: 'nope' });
      expect(notObject.status).toBe(400);
      expect((notObject.body as Detail).error.details[0]?.path).toMatch(/^definition/);
    });

    it('bad input never 500s: NUL, lone surrogates, a definition over 512 KB, unknown fields', async () => {
      const nul = await request(api.app)
        .post(url())
        .set(as(owner))
        .set('Content-Type', 'application/json')
        .send(
          '{"name":"a\\u0000b","definition":{"version":1,"trigger":{"type":"manual"},"steps":[{"id":"x","name":"\\ud800","type":"set_variable","config":{"name":"v","value":1}}]}}',
        );
      expect(nul.status).toBe(400);
      const paths = (nul.body as Detail).error.details.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['name', 'definition.steps.0.name']));

      const big = manual('x'.repeat(600 * 1024));
      const tooBig = await request(api.app).post(url()).set(as(owner)).send({ name: 'Big', definition: big });
      expect(tooBig.status).toBe(413);
      expectErrorShape(tooBig.body, 'definition_too_large');

      const extra = await request(api.app).post(url()).set(as(owner)).send({ name: 'x', colour: 'red' });
      expect(extra.status).toBe(400);
      const emptyPatch = await request(api.app)
        .patch(url('/00000000-0000-4000-8000-000000000000'))
        .set(as(owner))
        .send({});
      expect(emptyPatch.status).toBe(400);
      const badId = await request(api.app).get(url('/not-a-uuid')).set(as(owner));
      expect(badId.status).toBe(400);
    });
  });

  describe('versions', () => {
    it('saving replaces the draft; activating publishes it; a draft equal to a published version reuses it', async () => {
      const a = await create({ name: 'Versions', definition: manual(1) });
      await save(a.id, manual(2));
      let list = await versions(a.id);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ version: 1, state: 'draft', contentHash: contentHash(manual(2)) });

      const active = await activate(a.id);
      expect(active).toMatchObject({ status: 'active', liveVersion: 1, trigger: { type: 'manual' } });
      list = await versions(a.id);
      expect(list[0]).toMatchObject({ version: 1, state: 'published', live: true, publishedBy: owner.id });

      // A save after publishing makes version 2; a second save replaces it.
      await save(a.id, manual(3));
      await save(a.id, manual(4));
      list = await versions(a.id);
      expect(list.map((v) => [v.version, v.state])).toEqual([
        [2, 'draft'],
        [1, 'published'],
      ]);
      expect((await activate(a.id)).liveVersion).toBe(2);

      // Back to version 1's content: activating reuses version 1 instead of publishing a copy.
      await save(a.id, manual(2));
      const back = await activate(a.id);
      expect(back.liveVersion).toBe(1);
      list = await versions(a.id);
      expect(list.map((v) => [v.version, v.state, v.live])).toEqual([
        [2, 'published', false],
        [1, 'published', true],
      ]);

      // By number and by content hash.
      const byNumber = await request(api.app)
        .get(url(`/${a.id}/versions/2`))
        .set(as(viewer));
      expect(byNumber.status).toBe(200);
      expect((byNumber.body as { version: { definition: unknown } }).version.definition).toEqual(manual(4));
      const byHash = await request(api.app)
        .get(url(`/${a.id}/versions/${contentHash(manual(2))}`))
        .set(as(viewer));
      expect(byHash.status).toBe(200);
      expect((byHash.body as { version: Version }).version.version).toBe(1);
      const missing = await request(api.app)
        .get(url(`/${a.id}/versions/9`))
        .set(as(viewer));
      expect(missing.status).toBe(404);
      expectErrorShape(missing.body, 'version_not_found');
    });

    it('a published version cannot change, even by a direct update', async () => {
      const a = await create({ name: 'Immutable', definition: manual() });
      await activate(a.id);
      await expect(
        api
          .db('workflow_versions')
          .where({ workflow_id: a.id, version: 1 })
          .update({ definition: JSON.stringify(manual(9)) }),
      ).rejects.toThrow(/published and cannot be changed/);
    });

    it('a run is pinned to its version: the run row names the version it started on', async () => {
      const a = await create({ name: 'Pinned', definition: manual(1) });
      await activate(a.id);
      const first = await startManual(a.id);
      await save(a.id, manual(2));
      await activate(a.id);
      const second = await startManual(a.id);
      const rows = await api
        .db('automation_runs')
        .where({ automation_id: a.id })
        .select<{ workflow_id: string; version: number; version_id: string }[]>(
          'workflow_id',
          'version',
          'version_id',
        );
      const list = await versions(a.id);
      const id = (n: number) => list.find((v) => v.version === n)?.id;
      expect(rows.find((r) => r.workflow_id === first.workflow_id)).toMatchObject({
        version: 1,
        version_id: id(1),
      });
      expect(rows.find((r) => r.workflow_id === second.workflow_id)).toMatchObject({
        version: 2,
        version_id: id(2),
      });
      // The definition travels in the workflow input.
      const input = (await client().workflow.getHandle(first.workflow_id).fetchHistory()).events?.[0]
        ?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
      expect(JSON.parse(Buffer.from(input ?? []).toString('utf8'))).toMatchObject({
        version: 1,
        definition: manual(1),
      });
    });

    it('activating without a definition is a 409; a manual run before activation is a 409', async () => {
      const a = await create({ name: 'Empty' });
      const res = await request(api.app)
        .post(url(`/${a.id}/activate`))
        .set(as(owner));
      expect(res.status).toBe(409);
      expectErrorShape(res.body, 'no_definition');
      const run = await request(api.app)
        .post(url(`/${a.id}/runs`))
        .set(as(owner))
        .send({});
      expect(run.status).toBe(409);
    });
  });

  describe('pausing and deleting', () => {
    it('delete with unfinished runs asks first (409 runs_running); runs=keep deletes and keeps them', async () => {
      const a = await create({ name: 'Keep', definition: manual() });
      await activate(a.id);
      const run = await startManual(a.id);
      const asked = await request(api.app)
        .delete(url(`/${a.id}`))
        .set(as(owner));
      expect(asked.status).toBe(409);
      expectErrorShape(asked.body, 'runs_running');
      expect((asked.body as { error: { message: string } }).error.message).toMatch(/1 unfinished run/);
      const kept = await request(api.app)
        .delete(url(`/${a.id}?runs=keep`))
        .set(as(owner));
      expect(kept.status).toBe(204);
      expect(
        (
          await request(api.app)
            .get(url(`/${a.id}`))
            .set(as(owner))
        ).status,
      ).toBe(404);
      const d = await client().workflow.getHandle(run.workflow_id).describe();
      expect(d.status.name).toBe('RUNNING');
    });

    it('runs=cancel asks Temporal to cancel each unfinished run, then deletes', async () => {
      const a = await create({ name: 'Cancel', definition: manual() });
      await activate(a.id);
      const run = await startManual(a.id);
      const res = await request(api.app)
        .delete(url(`/${a.id}?runs=cancel`))
        .set(as(owner));
      expect(res.status).toBe(204);
      const history = await client().workflow.getHandle(run.workflow_id).fetchHistory();
      expect(
        history.events?.some(
          (e) =>
            e.workflowExecutionCancelRequestedEventAttributes !== undefined &&
            e.workflowExecutionCancelRequestedEventAttributes !== null,
        ),
      ).toBe(true);
    });

    it('a schedule trigger: Schedule created on activate, paused on pause, updated, deleted with the automation', async () => {
      const a = await create({
        name: 'Hourly',
        definition: {
          version: 1,
          trigger: { type: 'schedule', every: '1h', timezone: 'UTC' },
          steps: manual().steps,
        },
      });
      await activate(a.id);
      const handle = client().schedule.getHandle(automationScheduleId(a.id));
      let d = await handle.describe();
      expect(d.state.paused).toBe(false);
      expect(d.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'automationRunWorkflow',
        workflowId: `auto:${a.id}:schedule`,
        taskQueue: 'main',
      });
      const args = (d.action as { args?: unknown[] }).args?.[0];
      expect(args).toMatchObject({
        automationId: a.id,
        version: 1,
        trigger: { source: 'schedule', key: 'schedule' },
      });

      const info = await request(api.app)
        .get(url(`/${a.id}/schedule`))
        .set(as(viewer));
      expect(info.status).toBe(200);
      const schedule = (info.body as { schedule: { nextRuns: string[]; paused: boolean } }).schedule;
      expect(schedule.paused).toBe(false);
      expect(schedule.nextRuns).toHaveLength(5);

      await request(api.app)
        .post(url(`/${a.id}/pause`))
        .set(as(owner))
        .expect(200);
      d = await handle.describe();
      expect(d.state.paused).toBe(true);

      await save(a.id, {
        version: 1,
        trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' },
        steps: manual().steps,
      });
      await activate(a.id);
      d = await handle.describe();
      expect(d.state.paused).toBe(false);
      expect(d.spec.timezone).toBe('Europe/Berlin');
      expect((d.action as { args?: { version: number }[] }).args?.[0]?.version).toBe(2);

      await request(api.app)
        .delete(url(`/${a.id}`))
        .set(as(owner))
        .expect(204);
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    });
  });

  describe('import and export', () => {
    it('exports name, description and definition, and imports the same JSON as a draft', async () => {
      const a = await create({ name: 'Exported', description: 'round trip', definition: manual(7) });
      const exported = await request(api.app)
        .get(url(`/${a.id}/export`))
        .set(as(viewer));
      expect(exported.status).toBe(200);
      expect(exported.body).toMatchObject({
        format: 'hopflow.automation',
        name: 'Exported',
        description: 'round trip',
        definition: manual(7),
      });
      const imported = await request(api.app)
        .post(url('/import'))
        .set(as(editor))
        .send(exported.body as object);
      expect(imported.status).toBe(201);
      const b = (imported.body as { automation: Automation }).automation;
      expect(b.id).not.toBe(a.id);
      expect(b).toMatchObject({ status: 'draft', definition: manual(7) });
      const bad = await request(api.app)
        .post(url('/import'))
        .set(as(editor))
        .send({ name: 'x', definition: { version: 2 } });
      expect(bad.status).toBe(400);
    });
  });

  describe('runs API (no interpreter needed)', () => {
    let automationId: string;
    let run: Started;

    beforeAll(async () => {
      const a = await create({ name: 'Runs', definition: manual() });
      automationId = a.id;
      await activate(a.id);
      run = await startManual(a.id, { order: 'R-1' });
    });

    it('lists runs per team and per automation, with status filters', async () => {
      const all = await request(api.app)
        .get(runsUrl(`?automation_id=${automationId}`))
        .set(as(viewer));
      expect(all.status).toBe(200);
      const runs = (all.body as { runs: Run[] }).runs;
      expect(runs.map((r) => r.workflowId)).toEqual([run.workflow_id]);
      expect(runs[0]).toMatchObject({ triggerSource: 'manual', version: 1, status: 'running' });
      const none = await request(api.app).get(runsUrl('?status=failed,succeeded')).set(as(viewer));
      expect((none.body as { runs: Run[] }).runs.some((r) => r.workflowId === run.workflow_id)).toBe(false);
      const bad = await request(api.app).get(runsUrl('?status=nope')).set(as(viewer));
      expect(bad.status).toBe(400);
      const own = await request(api.app)
        .get(url(`/${automationId}/runs`))
        .set(as(viewer));
      expect((own.body as { runs: Run[] }).runs.map((r) => r.workflowId)).toEqual([run.workflow_id]);
    });

    it('pages with before', async () => {
      await startManual(automationId);
      await startManual(automationId);
      const first = await request(api.app)
        .get(runsUrl(`?automation_id=${automationId}&limit=2`))
        .set(as(viewer));
      const page = first.body as { runs: Run[]; nextBefore: string | null };
      expect(page.runs).toHaveLength(2);
      expect(page.nextBefore).toEqual(expect.any(String));
      const second = await request(api.app)
        .get(runsUrl(`?automation_id=${automationId}&limit=2&before=${page.nextBefore}`))
        .set(as(viewer));
      const rest = (second.body as { runs: Run[] }).runs;
      expect(rest).toHaveLength(1);
      expect(page.runs.map((r) => r.workflowId)).not.toContain(rest[0]?.workflowId);
    });

    it('one run by its URL-encoded id (the state says why it cannot be read); another team gets 404', async () => {
      const res = await request(api.app)
        .get(runsUrl(`/${encodeURIComponent(run.workflow_id)}`))
        .set(as(viewer));
      expect(res.status).toBe(200);
      const detail = (
        res.body as { run: Run & { payload: unknown; state: unknown; stateError: string | null } }
      ).run;
      expect(detail).toMatchObject({ workflowId: run.workflow_id, payload: { order: 'R-1' } });
      // No worker runs in this part of the file: the state cannot be read, and the answer says so.
      expect(detail.state).toBeNull();
      expect(detail.stateError).toEqual(expect.any(String));
      const foreign = await request(api.app)
        .get(runsUrl(`/${encodeURIComponent(run.workflow_id)}`, otherTeamId))
        .set(as(outsider));
      expect(foreign.status).toBe(404);
      for (const action of ['cancel', 'rerun', 'resume', 'signals/go']) {
        const res2 = await request(api.app)
          .post(runsUrl(`/${encodeURIComponent(run.workflow_id)}/${action}`, otherTeamId))
          .set(as(outsider))
          .send({});
        expect(res2.status).toBe(404);
      }
    });

    it('signals, re-runs (same payload, live version) and cancels', async () => {
      const id = encodeURIComponent(run.workflow_id);
      const signal = await request(api.app)
        .post(runsUrl(`/${id}/signals/payment_received`))
        .set(as(editor))
        .send({ payload: { amount: 5 } });
      expect(signal.status).toBe(202);
      expect(signal.body).toMatchObject({ signal: 'signal:payment_received' });
      const history = await client().workflow.getHandle(run.workflow_id).fetchHistory();
      const signalled = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
      expect(signalled?.workflowExecutionSignaledEventAttributes?.signalName).toBe('automationEvent');

      const rerun = await request(api.app)
        .post(runsUrl(`/${id}/rerun`))
        .set(as(editor));
      expect(rerun.status).toBe(202);
      const again = rerun.body as Started;
      expect(again.workflow_id).toMatch(new RegExp(`^auto:${automationId}:rerun:`));
      const row = await api
        .db('automation_runs')
        .where({ workflow_id: again.workflow_id })
        .first<{ trigger_source: string; payload: unknown; started_by: string }>();
      expect(row).toMatchObject({
        trigger_source: 'rerun',
        payload: { order: 'R-1' },
        started_by: editor.id,
      });

      const resume = await request(api.app)
        .post(runsUrl(`/${id}/resume`))
        .set(as(editor));
      expect(resume.status).toBe(409);

      const cancel = await request(api.app)
        .post(runsUrl(`/${encodeURIComponent(again.workflow_id)}/cancel`))
        .set(as(editor));
      expect(cancel.status).toBe(202);
      const viewerCancel = await request(api.app)
        .post(runsUrl(`/${id}/cancel`))
        .set(as(viewer));
      expect(viewerCancel.status).toBe(403);
    });
  });

  describe('runs API with the interpreter', () => {
    let workers: TestWorkers;

    beforeAll(async () => {
      workers = await startTestWorkers({ db: api.db, config: api.config, kv: api.deps.kv });
    });
    afterAll(async () => {
      await workers?.stop();
    });

    async function stateOf(
      workflowId: string,
      ok: (s: { status: string; steps: Record<string, { status: string }> }) => boolean,
    ) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await request(api.app)
          .get(runsUrl(`/${encodeURIComponent(workflowId)}`))
          .set(as(viewer));
        const state = (
          res.body as { run: { state: { status: string; steps: Record<string, { status: string }> } | null } }
        ).run.state;
        if ((state && ok(state)) || Date.now() > deadline) return state;
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    it('approve a waiting step: refused for a role not allowed (409), accepted for an allowed one', async () => {
      const a = await create({
        name: 'Approve',
        definition: {
          version: 1,
          trigger: { type: 'manual' },
          steps: [
            {
              id: 'ok',
              name: 'Approve it',
              type: 'wait_for_approval',
              config: { approvers: { roles: ['owner'] } },
            },
            { id: 'after', name: 'After', type: 'set_variable', config: { name: 'done', value: true } },
          ],
        },
      });
      await activate(a.id);
      const run = await startManual(a.id);
      await stateOf(run.workflow_id, (s) => s.steps.ok?.status === 'waiting');
      const id = encodeURIComponent(run.workflow_id);
      const refused = await request(api.app)
        .post(runsUrl(`/${id}/decision`))
        .set(as(viewer))
        .send({ step: 'ok', decision: 'approve' });
      expect(refused.status).toBe(409);
      expectErrorShape(refused.body, 'decision_refused');
      const approved = await request(api.app)
        .post(runsUrl(`/${id}/decision`))
        .set(as(owner))
        .send({ step: 'ok', decision: 'approve', note: 'fine' });
      expect(approved.status).toBe(200);
      const done = await stateOf(run.workflow_id, (s) => s.status === 'succeeded');
      expect(done?.status).toBe('succeeded');
    });

    it('a run started on version 1 finishes on version 1 after version 2 is activated', async () => {
      const v1 = {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'hold',
            name: 'Hold for a decision',
            type: 'wait_for_approval',
            config: { approvers: { roles: ['editor'] } },
          },
          { id: 'one', name: 'Version one', type: 'set_variable', config: { name: 'from', value: 'v1' } },
        ],
      };
      const a = await create({ name: 'Pinned run', definition: v1 });
      await activate(a.id);
      const run = await startManual(a.id);
      await stateOf(run.workflow_id, (s) => s.steps.hold?.status === 'waiting');
      await save(a.id, {
        ...v1,
        steps: [
          { id: 'two', name: 'Version two', type: 'set_variable', config: { name: 'from', value: 'v2' } },
        ],
      });
      await activate(a.id);
      const approved = await request(api.app)
        .post(runsUrl(`/${encodeURIComponent(run.workflow_id)}/decision`))
        .set(as(owner))
        .send({ step: 'hold', decision: 'approve' });
      expect(approved.status).toBe(200);
      const done = (await stateOf(run.workflow_id, (s) => s.status === 'succeeded')) as unknown as {
        status: string;
        version: number;
        steps: Record<string, { status: string; output?: unknown }>;
      };
      expect(done.status).toBe('succeeded');
      expect(done.version).toBe(1);
      expect(done.steps.one).toMatchObject({ status: 'succeeded', output: { name: 'from', value: 'v1' } });
      expect(done.steps.two).toBeUndefined();
      // A run started now takes version 2.
      const next = await startManual(a.id);
      const later = (await stateOf(next.workflow_id, (s) => s.status === 'succeeded')) as unknown as {
        version: number;
        steps: Record<string, unknown>;
      };
      expect(later.version).toBe(2);
      expect(Object.keys(later.steps)).toEqual(['two']);
    });

    it("a test run with version 'latest' runs the draft of a never-activated automation; without it, 409", async () => {
      const a = await create({ name: 'Draft test', definition: manual('first draft') });
      await save(a.id, manual('edited draft'));
      const refused = await request(api.app)
        .post(url(`/${a.id}/runs`))
        .set(as(editor))
        .send({ payload: { hello: 'world' } });
      expect(refused.status).toBe(409);
      expectErrorShape(refused.body, 'automation_not_active');
      const res = await request(api.app)
        .post(url(`/${a.id}/runs`))
        .set(as(editor))
        .send({ payload: { hello: 'draft' }, version: 'latest' });
      expect(res.status).toBe(202);
      const run = res.body as Started;
      const done = (await stateOf(run.workflow_id, (s) => s.status === 'succeeded')) as unknown as {
        status: string;
        version: number;
        steps: Record<string, { status: string; output?: unknown }>;
      };
      expect(done.status).toBe('succeeded');
      expect(done.steps.note).toMatchObject({
        status: 'succeeded',
        output: { name: 'seen', value: 'edited draft' },
      });
      // The run keeps the draft version it ran on; the automation stays a draft, nothing was published.
      const [draft] = await versions(a.id);
      expect(draft).toMatchObject({ state: 'draft', live: false });
      const row = await api
        .db('automation_runs')
        .where({ workflow_id: run.workflow_id })
        .first<{ version_id: string; version: number }>();
      expect(row).toMatchObject({ version_id: draft!.id, version: draft!.version });
      const after = await request(api.app)
        .get(url(`/${a.id}`))
        .set(as(viewer));
      expect((after.body as { automation: Automation }).automation).toMatchObject({
        status: 'draft',
        liveVersion: null,
      });
    });

    it("with version 'latest' an active automation's test run takes the newer draft, a plain run the live one", async () => {
      const a = await create({ name: 'Live and draft', definition: manual('live') });
      await activate(a.id);
      await save(a.id, manual('draft'));
      const onDraft = await request(api.app)
        .post(url(`/${a.id}/runs`))
        .set(as(editor))
        .send({ version: 'latest' });
      expect(onDraft.status).toBe(202);
      const live = await startManual(a.id);
      const draftState = (await stateOf(
        (onDraft.body as Started).workflow_id,
        (s) => s.status === 'succeeded',
      )) as unknown as {
        version: number;
        steps: Record<string, { output?: unknown }>;
      };
      const liveState = (await stateOf(live.workflow_id, (s) => s.status === 'succeeded')) as unknown as {
        version: number;
        steps: Record<string, { output?: unknown }>;
      };
      expect(draftState.version).toBe(2);
      expect(draftState.steps.note?.output).toMatchObject({ value: 'draft' });
      expect(liveState.version).toBe(1);
      expect(liveState.steps.note?.output).toMatchObject({ value: 'live' });
    });

    it('resume a failed run from its failed step on the fixed version', async () => {
      const failing = {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          { id: 'first', name: 'First', type: 'set_variable', config: { name: 'a', value: 1 } },
          {
            id: 'call',
            name: 'Call',
            type: 'http_request',
            config: { url: 'http://127.0.0.1:9/refused' },
            retry: { max_attempts: 1 },
          },
        ],
      };
      const a = await create({ name: 'Resume', definition: failing });
      await activate(a.id);
      const run = await startManual(a.id);
      const failed = await stateOf(run.workflow_id, (s) => s.status === 'failed');
      expect(failed?.status).toBe('failed');
      // The state says failed a moment before the workflow closes (it still frees its slot).
      await api.deps
        .temporal!.client.workflow.getHandle(run.workflow_id)
        .result()
        .catch(() => undefined);
      await save(a.id, {
        ...failing,
        steps: [
          failing.steps[0],
          { id: 'call', name: 'Call', type: 'set_variable', config: { name: 'b', value: 2 } },
        ],
      });
      await activate(a.id);
      const resumed = await request(api.app)
        .post(runsUrl(`/${encodeURIComponent(run.workflow_id)}/resume`))
        .set(as(editor));
      expect(resumed.status).toBe(202);
      const next = (resumed.body as Started).workflow_id;
      const state = await stateOf(next, (s) => s.status === 'succeeded');
      expect(state?.status).toBe('succeeded');
      // The step that succeeded before is not run again: its output comes from the failed run.
      expect(state?.steps.first).toMatchObject({ status: 'succeeded', reused: true });
      const row = await api
        .db('automation_runs')
        .where({ workflow_id: next })
        .first<{ resumed_from: string; version: number }>();
      expect(row).toMatchObject({ resumed_from: run.workflow_id, version: 2 });
    });
  });
});
