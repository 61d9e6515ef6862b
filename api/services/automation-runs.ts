import { randomUUID } from 'node:crypto';
import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  findAutomationRun,
  listAutomationRuns,
  type AutomationRunListRow,
  type AutomationRunRow,
} from '../../data/automation-runs';
import { findAutomation, findVersion } from '../../data/automations';
import type { Config } from '../../lib/config';
import { AppError, badRequest, conflict, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { startAutomationRun } from '../../temporal/automation-starts';
import {
  AutomationFailure,
  decideUpdate,
  eventSignal,
  runStateQuery,
  type AutomationRunResult,
  type AutomationRunState,
  type AutomationRunWorkflow,
  type RunStatus,
  type TriggerSource,
} from '../../workflows/contracts/automation-run';
import type { TeamMembership } from '../http/locals';
import { retryingSteps, type StepRetryState } from './automation-retries';
import { automationNotFound, temporalUnavailable } from './automations';

/** A state query must not hold a page up: a run whose worker is away would otherwise wait for it. */
const STATE_QUERY_TIMEOUT_MS = 2000;
const LIST_LIMIT = 50;
/** How long a decision waits for the run's worker to accept or refuse it. */
const DECISION_TIMEOUT_MS = 10_000;

const runNotFound = () => new AppError(404, 'run_not_found', 'Run not found');
const notLive = () =>
  conflict('This automation has no published version: activate it first', 'automation_not_active');

export interface AutomationRunServiceDeps {
  db: Knex;
  config: Pick<Config, 'api'>;
  logger: Logger;
  temporal: { client: Client } | null;
}

export interface RunListQuery {
  status?: RunStatus[];
  automation_id?: string;
  q?: string;
  before?: string;
  limit?: number;
}

/** The keyset cursor of the run list: `<created_at ISO>|<workflow id>`, base64url. */
const encodeCursor = (r: AutomationRunRow) =>
  Buffer.from(`${r.createdAt.toISOString()}|${r.workflowId}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; workflowId: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = new Date(text.slice(0, bar));
  if (bar < 0 || Number.isNaN(createdAt.getTime())) {
    throw badRequest('The request is not valid', [
      { path: 'query.before', message: 'Expected the nextBefore of a previous page' },
    ]);
  }
  return { createdAt, workflowId: text.slice(bar + 1) };
}

const runView = (r: AutomationRunListRow) => ({
  workflowId: r.workflowId,
  runId: r.runId,
  automationId: r.automationId,
  automationName: r.automationName,
  versionId: r.versionId,
  version: r.version,
  triggerSource: r.triggerSource,
  triggerKey: r.triggerKey,
  status: r.status,
  currentStep: r.currentStep,
  error: r.error,
  resumedFrom: r.resumedFrom,
  startedBy: r.startedBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  endedAt: r.endedAt,
});

/** The failure of an update or workflow, as ApplicationFailure when it is one (its type says what happened). */
const applicationCause = (err: unknown): ApplicationFailure | undefined => {
  let cause: unknown = err;
  for (let i = 0; i < 5 && cause instanceof Error; i++) {
    if (cause instanceof ApplicationFailure) return cause;
    cause = cause.cause;
  }
  return undefined;
};

/**
 * The runs of automations: the recorded rows (list, detail) with the live step state read from the workflow,
 * approvals, cancel, signals, re-runs on the live version and resuming a failed run from its failed step.
 */
export function createAutomationRunService(deps: AutomationRunServiceDeps) {
  const { db } = deps;

  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  /** A run of this team (another team's id answers 404, like an unknown one). */
  async function own(m: TeamMembership, workflowId: string): Promise<AutomationRunListRow> {
    const row = await findAutomationRun(db, m.teamId, workflowId);
    if (!row) throw runNotFound();
    return row;
  }

  async function queryState(workflowId: string): Promise<AutomationRunState> {
    const c = client();
    return c.connection.withDeadline(Date.now() + STATE_QUERY_TIMEOUT_MS, () =>
      c.workflow.getHandle<AutomationRunWorkflow>(workflowId).query(runStateQuery),
    );
  }

  /** The automation and the version it runs on now, for re-runs and resumes. */
  async function liveOf(m: TeamMembership, automationId: string) {
    const a = await findAutomation(db, m.teamId, automationId);
    if (!a) throw automationNotFound();
    if (!a.currentVersionId) throw notLive();
    const live = await findVersion(db, m.teamId, automationId, { id: a.currentVersionId });
    if (!live) throw notLive();
    return {
      automation: { id: a.id, teamId: a.teamId, name: a.name },
      version: {
        id: live.id,
        version: live.version,
        definition: live.definition,
      },
    };
  }

  /**
   * What a failed run achieved: the outputs of its top-level steps that succeeded, and its variables. Read by
   * query (needs a worker), else from the workflow's result or failure details.
   */
  async function failedRunState(
    workflowId: string,
  ): Promise<{ outputs: Record<string, unknown>; vars: Record<string, unknown> }> {
    const description = await client()
      .workflow.getHandle(workflowId)
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) {
          throw conflict('The workflow of this run no longer exists in Temporal', 'run_state_unavailable');
        }
        throw err;
      });
    // A failed run has ended (the interpreter returns a failed result or fails the workflow).
    if (description.status.name === 'RUNNING') {
      throw conflict('Only a failed run can be resumed; this one is still running', 'run_not_failed');
    }
    try {
      const state = await queryState(workflowId);
      if (state.status !== 'failed') {
        throw conflict(`Only a failed run can be resumed; this one is ${state.status}`, 'run_not_failed');
      }
      const outputs: Record<string, unknown> = {};
      for (const step of Object.values(state.steps)) {
        // Top-level steps only: a step inside a branch or an iteration is run again with its parent.
        if (step.key === step.id && step.status === 'succeeded') outputs[step.id] = step.output;
      }
      return { outputs, vars: state.vars };
    } catch (err) {
      if (err instanceof AppError) throw err;
      deps.logger.debug({ err, workflowId }, 'no state by query; reading the result');
    }
    try {
      const result = await client().workflow.getHandle<AutomationRunWorkflow>(workflowId).result();
      if (result.status !== 'failed') {
        throw conflict(`Only a failed run can be resumed; this one is ${result.status}`, 'run_not_failed');
      }
      return { outputs: result.outputs, vars: {} };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof WorkflowFailedError) {
        const details = applicationCause(err)?.details?.[0] as Partial<AutomationRunResult> & {
          vars?: Record<string, unknown>;
        };
        if (details && typeof details === 'object' && details.outputs) {
          return { outputs: details.outputs, vars: details.vars ?? {} };
        }
      }
      throw conflict(
        'The state of this run cannot be read (no worker answers and its result holds no outputs)',
        'run_state_unavailable',
      );
    }
  }

  return {
    async list(m: TeamMembership, q: RunListQuery) {
      const limit = q.limit ?? LIST_LIMIT;
      const rows = await listAutomationRuns(db, {
        teamId: m.teamId,
        automationId: q.automation_id,
        statuses: q.status,
        search: q.q || undefined,
        before: q.before ? decodeCursor(q.before) : undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { runs: page.map(runView), nextBefore: rows.length > limit && last ? encodeCursor(last) : null };
    },

    /** The row and the live step timeline; a run that cannot be queried says why instead of failing. */
    async get(m: TeamMembership, workflowId: string) {
      const row = await own(m, workflowId);
      let state: AutomationRunState | null = null;
      let stateError: string | null = null;
      try {
        state = await queryState(workflowId);
      } catch (err) {
        stateError =
          err instanceof WorkflowNotFoundError
            ? 'The workflow of this run does not exist (not started yet, or removed by retention)'
            : `The run's state could not be read: ${err instanceof Error ? err.message : String(err)}`;
      }
      let retrying: Record<string, StepRetryState> = {};
      if (state && !state.endedAt) {
        try {
          retrying = await retryingSteps(client(), workflowId, state.steps);
        } catch (err) {
          // The timeline still answers; only the retry details are missing.
          deps.logger.debug({ err, workflowId }, 'retry state unavailable');
        }
      }
      return { run: { ...runView(row), payload: row.payload, state, stateError, retrying } };
    },

    /** Approve or reject a waiting wait_for_approval step; the workflow's validator decides who may. */
    async decide(
      m: TeamMembership,
      userId: string,
      workflowId: string,
      body: { step: string; decision: 'approve' | 'reject'; note?: string },
    ) {
      await own(m, workflowId);
      const c = client();
      const handle = c.workflow.getHandle<AutomationRunWorkflow>(workflowId);
      const deadline = Date.now() + DECISION_TIMEOUT_MS;
      try {
        // An update waits for a worker to take it: without one it would wait forever.
        const state = await c.connection.withDeadline(deadline, () =>
          handle.executeUpdate(decideUpdate, {
            args: [{ step: body.step, decision: body.decision, userId, role: m.role, note: body.note }],
          }),
        );
        return { state };
      } catch (err) {
        if (Date.now() >= deadline) {
          throw serviceUnavailable(
            'The run did not take the decision in time (is a worker running?); try again',
            'run_unresponsive',
          );
        }
        const cause = applicationCause(err);
        if (err instanceof WorkflowUpdateFailedError && cause?.type === AutomationFailure.decisionRefused) {
          throw conflict(cause.message, 'decision_refused');
        }
        if (err instanceof WorkflowNotFoundError) throw conflict('This run has ended', 'run_not_running');
        throw err;
      }
    },

    async cancel(m: TeamMembership, workflowId: string) {
      const row = await own(m, workflowId);
      if (row.endedAt) throw conflict(`This run has already ended (${row.status})`, 'run_not_running');
      try {
        await client().workflow.getHandle(workflowId).cancel();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw conflict('This run is not running', 'run_not_running');
        throw err;
      }
      return { workflowId, cancelRequested: true };
    },

    /** Delivers `signal:<name>` to the run (buffered there until a wait_for_event step takes it). */
    async signal(m: TeamMembership, workflowId: string, name: string, payload: unknown) {
      await own(m, workflowId);
      const id = randomUUID();
      try {
        await client()
          .workflow.getHandle(workflowId)
          .signal(eventSignal, { type: `signal:${name}`, id, payload: payload ?? null });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw conflict('This run is not running', 'run_not_running');
        throw err;
      }
      return { workflowId, signal: `signal:${name}`, id };
    },

    /** The same trigger payload again, on the live version, as a new run. */
    async rerun(m: TeamMembership, userId: string, workflowId: string) {
      const row = await own(m, workflowId);
      const live = await liveOf(m, row.automationId);
      const started = await startAutomationRun(client(), db, {
        ...live,
        trigger: {
          source: 'rerun' satisfies TriggerSource,
          payload: row.payload,
          key: `rerun:${randomUUID()}`,
          userId,
        },
      });
      return { run_id: started.runId, workflow_id: started.workflowId, status: 'started' as const };
    },

    /**
     * A failed run continued on the live version from its failed step: the steps that succeeded are not run
     * again, their outputs are handed to the new run (those whose ids still exist are reused there).
     */
    async resume(m: TeamMembership, userId: string, workflowId: string) {
      const row = await own(m, workflowId);
      if (row.endedAt && row.status !== 'failed') {
        throw conflict(`Only a failed run can be resumed; this one is ${row.status}`, 'run_not_failed');
      }
      const state = await failedRunState(workflowId);
      const live = await liveOf(m, row.automationId);
      const started = await startAutomationRun(client(), db, {
        ...live,
        trigger: { source: 'resume', payload: row.payload, key: `resume:${randomUUID()}`, userId },
        resume: { fromWorkflowId: workflowId, outputs: state.outputs, vars: state.vars },
      });
      return { run_id: started.runId, workflow_id: started.workflowId, status: 'started' as const };
    },
  };
}

export type AutomationRunService = ReturnType<typeof createAutomationRunService>;
