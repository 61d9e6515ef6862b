import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, defaultPayloadConverter, RetryState } from '@temporalio/common';
import type { Knex } from 'knex';
import { createDb } from '../../db/connection';
import { loadConfig } from '../../lib/config';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { startPlatformCheck } from '../../temporal/starts';
import { platformCheckWorkflowId } from '../../workflows/contracts/platform-check';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import type { PlatformCheckResult } from '../../workflows/contracts/platform-check';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The foundation workflow against real PostgreSQL and a real Temporal dev server: the API's part (inserting the
 * pending row, starting the run) is done by hand here; everything from the workers on is the production code.
 */
describe('platformCheckWorkflow', () => {
  jest.setTimeout(120_000);
  let db: Knex;
  let temporal: TemporalClient;
  let worker: TestWorkers;

  beforeAll(async () => {
    const config = loadConfig();
    db = createDb(config);
    temporal = await createTemporalClient(config);
    worker = await startTestWorkers({ db });
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await db?.destroy();
  });

  async function seedTeam(): Promise<{ teamId: string; ownerId: string }> {
    const [owner, editor] = await db('users')
      .insert(
        ['owner', 'editor'].map((role) => ({
          email: `${role}-${randomUUID()}@example.com`,
          name: role,
          password_hash: 'not-a-real-hash',
        })),
      )
      .returning<{ id: string }[]>('id');
    const [team] = await db('teams')
      .insert({ name: 'Check team', personal: false, created_by: owner!.id })
      .returning<{ id: string }[]>('id');
    await db('team_members').insert([
      { team_id: team!.id, user_id: owner!.id, role: 'owner' },
      { team_id: team!.id, user_id: editor!.id, role: 'editor' },
    ]);
    return { teamId: team!.id, ownerId: owner!.id };
  }

  async function insertPendingCheck(teamId: string, requestedBy: string | null): Promise<string> {
    const checkId = randomUUID();
    await db('platform_checks').insert({
      id: checkId,
      team_id: teamId,
      requested_by: requestedBy,
      workflow_id: platformCheckWorkflowId(checkId),
    });
    return checkId;
  }

  it('runs the activity on a worker, records the result on the row and is findable by TeamId', async () => {
    const { teamId, ownerId } = await seedTeam();
    const checkId = await insertPendingCheck(teamId, ownerId);

    const handle = await startPlatformCheck(temporal.client, {
      checkId,
      teamId,
      requestedBy: ownerId,
    });
    expect(handle.workflowId).toBe(`platform-check:${checkId}`);
    const result = await handle.result();

    expect(result).toMatchObject({
      checkId,
      teamId,
      workflowId: `platform-check:${checkId}`,
      team: { memberCount: 2 },
      worker: { identity: worker.workers.identity, taskQueue: TaskQueue.priority, attempt: 1 },
    });
    expect(result.pendingChecks).toBeGreaterThanOrEqual(1); // counted before this check's own UPDATE
    expect(result.database.version).toMatch(/PostgreSQL/);
    expect(Date.parse(result.database.serverTime)).not.toBeNaN();

    const row = await db('platform_checks').where({ id: checkId }).first<{
      status: string;
      result: PlatformCheckResult;
      worker_identity: string;
      completed_at: Date | null;
    }>();
    expect(row.status).toBe('completed');
    expect(row.result).toEqual(result);
    expect(row.worker_identity).toBe(worker.workers.identity);
    expect(row.completed_at).toBeInstanceOf(Date);

    const description = await handle.describe();
    expect(description.taskQueue).toBe(TaskQueue.priority);
    expect(description.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(teamId);
    expect(description.typedSearchAttributes.get(SearchAttr.UserId)).toBe(ownerId);
    expect(description.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('api');
    expect(await description.staticSummary()).toContain(checkId);

    // Temporal Web labels each step with its activity summary.
    const history = await handle.fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) =>
        e.userMetadata?.summary
          ? defaultPayloadConverter.fromPayload<string>(e.userMetadata.summary)
          : undefined,
      );
    expect(summaries).toEqual(['Check the database from the worker and record the result']);

    // Visibility is eventually consistent: the run shows up in list queries shortly after it closes.
    const query = `TeamId = "${teamId}" AND TriggerSource = "api"`;
    let listed: string[] = [];
    for (let attempt = 0; attempt < 50 && listed.length === 0; attempt++) {
      if (attempt > 0) await sleep(200);
      listed = [];
      for await (const execution of temporal.client.workflow.list({ query }))
        listed.push(execution.workflowId);
    }
    expect(listed).toEqual([`platform-check:${checkId}`]);
  });

  it('refuses a second start for the same check', async () => {
    const { teamId } = await seedTeam();
    const checkId = await insertPendingCheck(teamId, null);
    const input = { checkId, teamId, requestedBy: null };
    const handle = await startPlatformCheck(temporal.client, input);
    await handle.result();
    await expect(startPlatformCheck(temporal.client, input)).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttr.UserId)).toBeUndefined();
  });

  it('fails without retrying when the check row does not exist', async () => {
    const { teamId } = await seedTeam();
    const checkId = randomUUID(); // never inserted
    const handle = await startPlatformCheck(temporal.client, { checkId, teamId, requestedBy: null });

    const error: unknown = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect((activityFailure as ActivityFailure).retryState).toBe(RetryState.NON_RETRYABLE_FAILURE);
    const cause = (activityFailure as ActivityFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('PlatformCheckNotFound');
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);

    // Exactly one attempt: the first activity was never retried.
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1, 1]); // check + mark failed
    expect(await db('platform_checks').where({ id: checkId }).first()).toBeUndefined();
  });

  it('leaves a check of another team untouched (tenant filter on the UPDATE)', async () => {
    const a = await seedTeam();
    const b = await seedTeam();
    const checkId = await insertPendingCheck(a.teamId, a.ownerId);
    const handle = await startPlatformCheck(temporal.client, {
      checkId,
      teamId: b.teamId,
      requestedBy: null,
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await db('platform_checks')
      .where({ id: checkId })
      .first<{ status: string; result: unknown }>();
    expect(row.status).toBe('pending');
    expect(row.result).toBeNull();
  });
});
