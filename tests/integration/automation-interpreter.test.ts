import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { findAutomationRun } from '../../data/automation-runs';
import {
  decideUpdate,
  eventSignal,
  runStateQuery,
  type AutomationRunResult,
  type AutomationRunWorkflow,
  type AutomationRunState,
} from '../../workflows/contracts/automation-run';
import { seedAutomation, startSeededRun } from '../support/automations';
import { startEmailWorld, waitFor, type EmailWorld } from '../support/email-world';

/** The interpreter's steering on a real worker and dev server: waits, events, approvals, loops, failures, slots. */
describe('automation interpreter', () => {
  let w: EmailWorld;

  beforeAll(async () => {
    w = await startEmailWorld('automation-interpreter');
  });
  afterAll(async () => {
    await w?.close();
  });

  const handle = (workflowId: string) =>
    w.temporal.client.workflow.getHandle<AutomationRunWorkflow>(workflowId);
  const stateOf = (workflowId: string) => handle(workflowId).query(runStateQuery);
  const waitForStep = (workflowId: string, key: string, status: string) =>
    waitFor(
      `${key} ${status}`,
      async () => {
        const state = await stateOf(workflowId);
        return state.steps[key]?.status === status ? state : undefined;
      },
      20_000,
    );

  it('waits for an approval; refuses a member who may not decide (no trace in history); goes on when approved', async () => {
    const automation = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'check',
            name: 'Big order?',
            type: 'branch',
            config: {
              branches: [
                {
                  when: 'trigger.amount > 100',
                  steps: [{ id: 'pause', name: 'Breathe', type: 'wait', config: { duration: '1s' } }],
                },
              ],
            },
          },
          {
            id: 'approve',
            name: 'Ask the owner',
            type: 'wait_for_approval',
            config: {
              approvers: { user_ids: [w.user.id] },
              message: 'Refund {{ trigger.amount }}?',
              timeout: '1h',
            },
          },
        ],
      },
    });
    const started = await startSeededRun(w.temporal.client, w.db, automation, { payload: { amount: 250 } });
    expect(started.started).toBe(true);
    const waiting = await waitForStep(started.workflowId, 'approve', 'waiting');
    expect(waiting.steps.check?.output).toEqual({ branch: 0 });
    expect(waiting.steps.pause?.status).toBe('succeeded');
    expect(waiting.steps.approve?.wait).toMatchObject({ kind: 'approval', message: 'Refund 250?' });
    expect(waiting.currentStep).toBe('approve');
    await waitFor(
      'the run row to say waiting',
      async () => (await findAutomationRun(w.db, w.teamId, started.workflowId))?.status === 'waiting',
    );

    // The row says waiting once the recording activity ran; its completion still adds events. Wait until the
    // run is idle (no activity or workflow task pending, the same history length twice) so the count is stable.
    let lastLength = -1;
    const historyBefore = await waitFor('the run to be idle at the approval', async () => {
      const description = await handle(started.workflowId).describe();
      const length = (await handle(started.workflowId).fetchHistory()).events?.length ?? 0;
      const idle =
        (description.raw.pendingActivities?.length ?? 0) === 0 &&
        !description.raw.pendingWorkflowTask &&
        length === lastLength;
      lastLength = length;
      return idle ? length : undefined;
    });
    const refused = await handle(started.workflowId)
      .executeUpdate(decideUpdate, {
        args: [{ step: 'approve', decision: 'approve', userId: randomUUID(), role: 'viewer' }],
      })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/not one of the people/);
    const historyAfter = (await handle(started.workflowId).fetchHistory()).events?.length ?? 0;
    expect(historyAfter).toBe(historyBefore);

    const decided = await handle(started.workflowId).executeUpdate(decideUpdate, {
      args: [{ step: 'approve', decision: 'approve', userId: w.user.id, role: 'owner', note: 'fine' }],
    });
    expect(decided.steps.approve?.status).toBe('succeeded');
    const result: AutomationRunResult = await handle(started.workflowId).result();
    expect(result.status).toBe('succeeded');
    expect(result.outputs.approve).toMatchObject({
      decision: 'approve',
      decided_by: w.user.id,
      note: 'fine',
    });
    const row = await findAutomationRun(w.db, w.teamId, started.workflowId);
    expect(row).toMatchObject({ status: 'succeeded', currentStep: null });
    expect(row?.endedAt).not.toBeNull();
  });

  it('keeps an event that arrives before its wait_for_event step, and takes the first that matches', async () => {
    const automation = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          { id: 'first', name: 'Give the event time to arrive', type: 'wait', config: { duration: '3s' } },
          {
            id: 'paid',
            name: 'Wait for the payment',
            type: 'wait_for_event',
            config: { signal: 'paid', match: 'event.amount > 10.0', timeout: '1m' },
          },
        ],
      },
    });
    const started = await startSeededRun(w.temporal.client, w.db, automation);
    // Sent at once, while the run is still in its first step (or has not even had its first workflow task).
    await handle(started.workflowId).signal(eventSignal, {
      type: 'signal:paid',
      id: 'e1',
      payload: { amount: 5 },
    });
    await handle(started.workflowId).signal(eventSignal, {
      type: 'signal:paid',
      id: 'e2',
      payload: { amount: 20 },
    });
    await handle(started.workflowId).signal(eventSignal, {
      type: 'signal:paid',
      id: 'e2',
      payload: { amount: 20 },
    });
    const before = await waitForStep(started.workflowId, 'first', 'waiting');
    expect(before.pendingEvents).toBe(2);
    const result: AutomationRunResult = await handle(started.workflowId).result();
    expect(result.outputs.paid).toMatchObject({ timed_out: false, id: 'e2', event: { amount: 20 } });
    const after: AutomationRunState = await stateOf(started.workflowId);
    expect(after.pendingEvents).toBe(1);
  });

  it('runs the timeout lane when no event comes', async () => {
    const automation = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'reply',
            name: 'Wait for a reply',
            type: 'wait_for_event',
            config: {
              signal: 'reply',
              timeout: '2s',
              on_timeout: [
                { id: 'later', name: 'Wait a bit more', type: 'wait', config: { duration: '1s' } },
              ],
            },
          },
        ],
      },
    });
    const started = await startSeededRun(w.temporal.client, w.db, automation);
    const result: AutomationRunResult = await handle(started.workflowId).result();
    expect(result.outputs.reply).toEqual({ timed_out: true, type: 'signal:reply' });
    expect((await stateOf(started.workflowId)).steps.later?.status).toBe('succeeded');
  });

  it('fails a step naming the missing path, and a resumed run starts at the failed step with the outputs it had', async () => {
    const steps = [
      { id: 'hold', name: 'Hold', type: 'wait', config: { duration: '1s' } },
      {
        id: 'when',
        name: 'Wait until the date',
        type: 'wait_until',
        config: { until: '{{ trigger.send_at }}' },
      },
    ];
    const broken = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: { version: 1, trigger: { type: 'manual' }, steps },
    });
    const started = await startSeededRun(w.temporal.client, w.db, broken, {
      payload: { sendAt: '2020-01-01T00:00:00Z' },
    });
    const failed = await handle(started.workflowId)
      .result()
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    const state = await stateOf(started.workflowId);
    expect(state.status).toBe('failed');
    expect(state.steps.when?.error).toMatchObject({ type: 'ExpressionError', path: 'when.config.until' });
    expect(state.steps.when?.error?.message).toMatch(/send_at/);
    const row = await findAutomationRun(w.db, w.teamId, started.workflowId);
    expect(row).toMatchObject({ status: 'failed', error: { step: 'when', type: 'ExpressionError' } });

    // The fix: read the field the payload has. The resumed run reuses `hold` and runs `when` only.
    const fixed = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [steps[0], { ...steps[1], config: { until: '{{ trigger.sendAt }}' } }],
      },
    });
    const resumed = await startSeededRun(
      w.temporal.client,
      w.db,
      { ...fixed, id: broken.id },
      { source: 'resume', payload: { sendAt: '2020-01-01T00:00:00Z' } },
      { fromWorkflowId: started.workflowId, outputs: { hold: state.steps.hold?.output }, vars: {} },
    );
    const result: AutomationRunResult = await handle(resumed.workflowId).result();
    expect(result.status).toBe('succeeded');
    const after = await stateOf(resumed.workflowId);
    expect(after.steps.hold).toMatchObject({ status: 'succeeded', reused: true });
    expect(after.steps.when).toMatchObject({ status: 'succeeded', output: { waited_ms: 0 } });
  });

  it('runs a small for_each in the run and a large one in child runs, with its concurrency', async () => {
    const loop = (items: number) =>
      seedAutomation(w.db, {
        teamId: w.teamId,
        definition: {
          version: 1,
          trigger: { type: 'manual' },
          steps: [
            {
              id: 'each',
              name: 'For every reader',
              type: 'for_each',
              config: {
                // A list expression may be bare or in {{ }}.
                items: items > 25 ? 'trigger.readers' : '{{ trigger.readers }}',
                as: 'reader',
                max_items: 500,
                concurrency: 20,
                steps: [
                  {
                    id: 'odd',
                    name: 'Odd ones wait',
                    type: 'branch',
                    config: {
                      branches: [
                        {
                          when: 'int(vars.reader) % 2 == 1',
                          steps: [{ id: 'nap', name: 'Nap', type: 'wait', config: { duration: '1s' } }],
                        },
                      ],
                    },
                  },
                ],
              },
            },
          ],
        },
      }).then((a) => ({ a, readers: Array.from({ length: items }, (_, i) => i) }));

    const small = await loop(6);
    const s = await startSeededRun(w.temporal.client, w.db, small.a, { payload: { readers: small.readers } });
    const smallResult: AutomationRunResult = await handle(s.workflowId).result();
    expect(smallResult.outputs.each).toMatchObject({ count: 6 });
    const smallState = await stateOf(s.workflowId);
    expect(smallState.steps['each[1].nap']?.status).toBe('succeeded');
    expect(smallState.steps['each[2].odd']?.output).toEqual({ branch: 'otherwise' });

    const large = await loop(130);
    const l = await startSeededRun(w.temporal.client, w.db, large.a, { payload: { readers: large.readers } });
    const largeResult: AutomationRunResult = await handle(l.workflowId).result();
    expect(largeResult.outputs.each).toEqual({ count: 130 });
    const child = await handle(`${l.workflowId}:each:1`).describe();
    expect(child.status.name).toBe('COMPLETED');
  });

  it('refuses a for_each over more items than max_items, naming the field', async () => {
    const a = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'each',
            name: 'Each',
            type: 'for_each',
            config: {
              items: '{{ trigger.list }}',
              max_items: 3,
              steps: [{ id: 'nap', name: 'Nap', type: 'wait', config: { duration: '1s' } }],
            },
          },
        ],
      },
    });
    const run = await startSeededRun(w.temporal.client, w.db, a, { payload: { list: [1, 2, 3, 4] } });
    await expect(handle(run.workflowId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const state = await stateOf(run.workflowId);
    expect(state.steps.each?.error).toMatchObject({ type: 'TooManyItems', path: 'each.config.items' });
  });

  it('skips a run when the automation is at max_runs with when_busy skip, and queues one with queue', async () => {
    const definition = (whenBusy: 'skip' | 'queue') => ({
      version: 1,
      trigger: { type: 'manual' },
      concurrency: { max_runs: 1, when_busy: whenBusy },
      steps: [{ id: 'nap', name: 'Nap', type: 'wait', config: { duration: '3s' } }],
    });
    const skipper = await seedAutomation(w.db, { teamId: w.teamId, definition: definition('skip') });
    const first = await startSeededRun(w.temporal.client, w.db, skipper);
    await waitForStep(first.workflowId, 'nap', 'waiting');
    const second = await startSeededRun(w.temporal.client, w.db, skipper);
    const skipped: AutomationRunResult = await handle(second.workflowId).result();
    expect(skipped.status).toBe('skipped');
    expect((await findAutomationRun(w.db, w.teamId, second.workflowId))?.status).toBe('skipped');

    const queuer = await seedAutomation(w.db, { teamId: w.teamId, definition: definition('queue') });
    const a = await startSeededRun(w.temporal.client, w.db, queuer);
    await waitForStep(a.workflowId, 'nap', 'waiting');
    const b = await startSeededRun(w.temporal.client, w.db, queuer);
    await waitFor('b queued', async () => (await stateOf(b.workflowId)).status === 'queued', 10_000);
    const resultA: AutomationRunResult = await handle(a.workflowId).result();
    const resultB: AutomationRunResult = await handle(b.workflowId).result();
    expect([resultA.status, resultB.status]).toEqual(['succeeded', 'succeeded']);
    const slots = await w.db('automation_run_slots').whereIn('workflow_id', [a.workflowId, b.workflowId]);
    expect(slots).toHaveLength(0);
  });

  it('cancels a waiting run: the run ends cancelled and frees its slot', async () => {
    const a = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [{ id: 'long', name: 'Long wait', type: 'wait', config: { duration: '1d' } }],
      },
    });
    const run = await startSeededRun(w.temporal.client, w.db, a);
    await waitForStep(run.workflowId, 'long', 'waiting');
    await handle(run.workflowId).cancel();
    await expect(handle(run.workflowId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await findAutomationRun(w.db, w.teamId, run.workflowId);
    expect(row?.status).toBe('cancelled');
    expect(await w.db('automation_run_slots').where({ workflow_id: run.workflowId })).toHaveLength(0);
  });

  it('continues as new when Temporal suggests it, carrying outputs, variables and events kept before', async () => {
    // The test dev server suggests continue-as-new after TEST_SUGGEST_CONTINUE_AS_NEW_EVENTS events.
    // Branches are local activities, decided inside one workflow task; every tenth step is a timer, so new workflow
    // tasks start (Temporal makes its suggestion when a task starts).
    const checks = Array.from({ length: 80 }, (_, i) =>
      i % 10 === 9
        ? { id: `check_${i}`, name: `Pause ${i}`, type: 'wait', config: { duration: '1s' } }
        : {
            id: `check_${i}`,
            name: `Check ${i}`,
            type: 'branch',
            config: { branches: [{ when: `trigger.n > ${i}`, steps: [] }] },
          },
    );
    const automation = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          ...checks,
          {
            id: 'done',
            name: 'Wait for the go',
            type: 'wait_for_event',
            config: { signal: 'go', timeout: '1m' },
          },
        ],
      },
    });
    const started = await startSeededRun(w.temporal.client, w.db, automation, { payload: { n: 30 } });
    await handle(started.workflowId).signal(eventSignal, {
      type: 'signal:go',
      id: 'go-1',
      payload: { ok: true },
    });
    const result: AutomationRunResult = await handle(started.workflowId).result();
    expect(result.status).toBe('succeeded');
    expect(result.outputs.check_0).toEqual({ branch: 0 });
    expect(result.outputs.check_78).toEqual({ branch: 'otherwise' });
    expect(result.outputs.done).toMatchObject({ timed_out: false, id: 'go-1', event: { ok: true } });
    // More than one run in the chain: the first one continued as new.
    const first = await w.temporal.client.workflow.getHandle(started.workflowId, started.runId!).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const state = await stateOf(started.workflowId);
    expect(state.order).toHaveLength(81);
  });

  it('keeps a large value in the database and passes it by reference to later steps', async () => {
    const automation = await seedAutomation(w.db, {
      teamId: w.teamId,
      definition: {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          {
            id: 'big',
            name: 'Keep it',
            type: 'set_variable',
            config: { name: 'blob', value: '{{ trigger.blob }}' },
          },
          {
            id: 'measure',
            name: 'Measure it',
            type: 'set_variable',
            config: { name: 'size', value: '{{ size(vars.blob) }}' },
          },
          {
            id: 'look',
            name: 'Look at it',
            type: 'set_variable',
            config: { name: 'starts', value: '{{ steps.big.output.value.startsWith("abc") }}' },
          },
        ],
      },
    });
    const blob = `abc${'x'.repeat(100_000)}`;
    const started = await startSeededRun(w.temporal.client, w.db, automation, { payload: { blob } });
    const result: AutomationRunResult = await handle(started.workflowId).result();
    expect(result.outputs.big).toEqual({
      name: 'blob',
      value: { $ref: expect.any(String) as unknown, bytes: 100_005 },
    });
    expect(result.outputs.measure).toEqual({ name: 'size', value: 100_003 });
    expect(result.outputs.look).toEqual({ name: 'starts', value: true });
    // The 100 KB payload travels by reference too (stored by the starter), and so does the variable.
    const stored = await w
      .db('automation_outputs')
      .where({ workflow_id: started.workflowId })
      .orderBy('step_key')
      .select<{ step_key: string; team_id: string }[]>('step_key', 'team_id');
    expect(stored.map((r) => [r.step_key, r.team_id])).toEqual([
      ['big.value', w.teamId],
      ['trigger', w.teamId],
    ]);
    const input = (await handle(started.workflowId).fetchHistory()).events?.[0]
      ?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    expect(input?.length ?? 0).toBeLessThan(10_000);
  });
});
