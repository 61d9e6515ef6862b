import { createHmac, timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToDate, requiredTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { findRunTitleNames } from '../../data/run-titles';
import { AppError, badRequest, conflict, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { AUTOMATION_EVENT_WORKFLOW } from '../../workflows/contracts/automation-event';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import type { TeamMembership } from '../http/locals';
import type { RunStatus } from '../schemas/runs';
import { buildTimeline, failureText, type TimelineStep } from './run-timeline';
import {
  emptyRunNames,
  runSubject,
  runTitle,
  runWaitingFor,
  type RunNames,
  type RunSubject,
} from './run-titles';

const ExecutionStatus = temporal.api.enums.v1.WorkflowExecutionStatus;
type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** Our status names <-> Temporal's (the proto enum and the visibility query's ExecutionStatus values). */
const statuses: { name: RunStatus; code: temporal.api.enums.v1.WorkflowExecutionStatus; query: string }[] = [
  { name: 'running', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, query: 'Running' },
  { name: 'completed', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, query: 'Completed' },
  { name: 'failed', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, query: 'Failed' },
  { name: 'canceled', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, query: 'Canceled' },
  { name: 'terminated', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, query: 'Terminated' },
  { name: 'timed_out', code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, query: 'TimedOut' },
  {
    name: 'continued_as_new',
    code: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
    query: 'ContinuedAsNew',
  },
];
const statusName = (code: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined): RunStatus =>
  statuses.find((s) => s.code === code)?.name ?? 'running';

/** A progress query must not hold a page up: a run whose worker is away would otherwise wait for it. */
const PROGRESS_QUERY_TIMEOUT_MS = 1500;

export interface RunSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: RunStatus;
  summary: string | null;
  /** What the run does, in plain words (built from its type, id and the team's names). */
  title: string;
  /** A running run that waits for a person ("Waiting for review"), else null. */
  waitingFor: string | null;
  startTime: string;
  closeTime: string | null;
  temporalUrl: string;
}

export interface RunDetail extends RunSummary {
  progress?: unknown;
  failure?: string;
  timeline: TimelineStep[];
}

const runNotFound = () => new AppError(404, 'run_not_found', 'Run not found');
const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

/**
 * Cursors carry Temporal's page token plus an HMAC over it and the query: the server answers a forged token
 * only after ~20 s of client retries with an UNKNOWN error, and a token must not be replayed on another query.
 */
function cursorCodec(secret: string) {
  const sign = (token: Buffer, query: string) =>
    createHmac('sha256', secret).update(query).update('\0').update(token).digest().subarray(0, 16);
  return {
    encode: (token: Uint8Array, query: string): string => {
      const bytes = Buffer.from(token);
      return `${bytes.toString('base64url')}.${sign(bytes, query).toString('base64url')}`;
    },
    decode(cursor: string, query: string): Buffer {
      const [token = '', mac = ''] = cursor.split('.');
      const bytes = Buffer.from(token, 'base64url');
      const expected = sign(bytes, query);
      const given = Buffer.from(mac, 'base64url');
      if (bytes.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw badRequest(
          'The cursor is not valid for this list: start again without it',
          [],
          'invalid_cursor',
        );
      }
      return bytes;
    },
  };
}

/** Visibility query strings are double-quoted; our values are UUIDs and checked names, escaped regardless. */
/** A type filter that stands for a family of workflows (a bonus is delivered, tested, withdrawn). */
const typeGroups: Record<string, string[]> = {
  bonusDeliveryWorkflow: ['bonusDeliveryWorkflow', 'bonusTestDeliveryWorkflow', 'bonusRevocationWorkflow'],
};

const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The team's workflow runs, read from Temporal itself: the list from visibility (filtered by the TeamId search
 * attribute), one run from describe() and its history. A run of another team is indistinguishable from a
 * missing one (404).
 */
export function createRunService(deps: {
  config: Pick<Config, 'temporal' | 'auth'>;
  db: Knex;
  logger: Logger;
  temporal: { client: Client } | null;
}) {
  const { config } = deps;
  const cursors = cursorCodec(`runs-cursor:${config.auth.jwtSecret}`);
  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  const temporalUrl = (workflowId: string, runId: string) =>
    `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;

  /** This team's run, or 404: unknown ids and other teams' runs look the same. */
  async function describeOwn(teamId: string, workflowId: string): Promise<WorkflowExecutionDescription> {
    try {
      const description = await client().workflow.getHandle(workflowId).describe();
      if (description.typedSearchAttributes.get(SearchAttr.TeamId) !== teamId) throw runNotFound();
      return description;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw runNotFound();
      throw err;
    }
  }

  async function summaryOf(raw: RawExecution): Promise<Omit<RunSummary, 'title' | 'waitingFor'>> {
    const workflowId = raw.execution?.workflowId ?? '';
    const runId = raw.execution?.runId ?? '';
    // Visibility does not carry the static summary; describe() does.
    let summary: string | null = null;
    try {
      summary =
        (await client()
          .workflow.getHandle(workflowId, runId)
          .describe()
          .then((d) => d.staticSummary())) ?? null;
    } catch (err) {
      deps.logger.debug({ err, workflowId }, 'run summary unavailable');
    }
    return {
      workflowId,
      runId,
      type: raw.type?.name ?? '',
      status: statusName(raw.status),
      summary,
      startTime: requiredTsToDate(raw.startTime, 'startTime').toISOString(),
      closeTime: optionalTsToDate(raw.closeTime)?.toISOString() ?? null,
      temporalUrl: temporalUrl(workflowId, runId),
    };
  }

  /** The team's names for these runs' records (content, sequences, contacts, broadcasts, automations). */
  async function namesFor(teamId: string, subjects: RunSubject[]): Promise<RunNames> {
    const ids = {
      content: [] as string[],
      sequences: [] as string[],
      contacts: [] as string[],
      broadcasts: [] as string[],
      automations: [] as string[],
    };
    for (const s of subjects) {
      if (s.kind === 'content') ids.content.push(s.contentId);
      if (s.kind === 'sequence') {
        ids.sequences.push(s.sequenceId);
        ids.contacts.push(s.contactId);
      }
      if (s.kind === 'broadcast') ids.broadcasts.push(s.broadcastId);
      if (s.kind === 'automation') ids.automations.push(s.automationId);
      if (s.kind === 'automation-event') {
        if (s.contactId) ids.contacts.push(s.contactId);
        if (s.contentId) ids.content.push(s.contentId);
      }
    }
    const names = emptyRunNames();
    try {
      const rows = await findRunTitleNames(deps.db, teamId, ids);
      for (const r of rows.contentRows) names.content.set(r.id, r);
      for (const r of rows.sequenceRows) names.sequences.set(r.id, r.name);
      for (const r of rows.contactRows) names.contacts.set(r.id, r.email);
      for (const r of rows.broadcastRows) names.broadcasts.set(r.id, r.name);
      for (const r of rows.automationRows) names.automations.set(r.id, r.name);
    } catch (err) {
      deps.logger.warn({ err }, 'run title names unavailable');
    }
    return names;
  }

  /** Title and waiting note for runs of one team, with one lookup per kind of record. */
  async function titled<T extends { type: string; workflowId: string; summary: string | null }>(
    teamId: string,
    runs: T[],
  ): Promise<(T & { title: string; waitingFor: string | null })[]> {
    const subjects = runs.map((r) => runSubject(r.type, r.workflowId, r.summary));
    const names = await namesFor(teamId, subjects);
    return runs.map((r, i) => {
      const subject = subjects[i] ?? ({ kind: 'other' } as const);
      const waitingFor = 'status' in r && r.status === 'running' ? runWaitingFor(subject, names) : null;
      return { ...r, title: runTitle(subject, names), waitingFor };
    });
  }

  /** The workflow's `progress` query, for running runs of workflows that define one. */
  async function progressOf(workflowId: string, runId: string): Promise<unknown> {
    const c = client();
    try {
      return await c.connection.withDeadline(Date.now() + PROGRESS_QUERY_TIMEOUT_MS, () =>
        c.workflow.getHandle(workflowId, runId).query<unknown>('progress'),
      );
    } catch (err) {
      deps.logger.debug({ err, workflowId }, 'no progress for this run');
      return undefined;
    }
  }

  return {
    temporalUrl,

    async list(
      m: TeamMembership,
      filters: { type?: string; status?: RunStatus; cursor?: string; limit: number },
    ): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
      const clauses = [`TeamId = ${quote(m.teamId)}`];
      if (filters.type) {
        const types = typeGroups[filters.type] ?? [filters.type];
        clauses.push(`WorkflowType IN (${types.map(quote).join(', ')})`);
      } else {
        // The fan-out of a platform event is bookkeeping a marketer never set up: listed only when asked for.
        clauses.push(`WorkflowType != ${quote(AUTOMATION_EVENT_WORKFLOW)}`);
      }
      if (filters.status) {
        const status = statuses.find((s) => s.name === filters.status);
        if (status) clauses.push(`ExecutionStatus = ${quote(status.query)}`);
      }
      const query = clauses.join(' AND ');
      const nextPageToken = filters.cursor ? cursors.decode(filters.cursor, query) : undefined;
      const response = await client().workflowService.listWorkflowExecutions({
        namespace: config.temporal.namespace,
        query,
        pageSize: filters.limit,
        nextPageToken,
      });
      const runs = await titled(m.teamId, await Promise.all((response.executions ?? []).map(summaryOf)));
      const token = response.nextPageToken;
      return { runs, nextCursor: token && token.length > 0 ? cursors.encode(token, query) : null };
    },

    async get(m: TeamMembership, workflowId: string): Promise<{ run: RunDetail }> {
      const description = await describeOwn(m.teamId, workflowId);
      const { runId } = description;
      const handle = client().workflow.getHandle(workflowId, runId);
      const status = statusName(description.status.code);
      const [history, summary, progress] = await Promise.all([
        handle.fetchHistory(),
        description.staticSummary(),
        status === 'running' ? progressOf(workflowId, runId) : Promise.resolve(undefined),
      ]);
      const events = history.events ?? [];
      const pending = description.raw.pendingActivities ?? [];
      const closing = events.at(-1);
      const failure =
        failureText(closing?.workflowExecutionFailedEventAttributes?.failure) ??
        (closing?.workflowExecutionTimedOutEventAttributes ? 'The run timed out' : undefined);
      const [named] = await titled(m.teamId, [
        { type: description.type, workflowId, summary: summary ?? null, status },
      ]);
      return {
        run: {
          title: named?.title ?? 'Background task',
          waitingFor: named?.waitingFor ?? null,
          workflowId,
          runId,
          type: description.type,
          status,
          summary: summary ?? null,
          startTime: description.startTime.toISOString(),
          closeTime: description.closeTime?.toISOString() ?? null,
          temporalUrl: temporalUrl(workflowId, runId),
          ...(progress !== undefined ? { progress } : {}),
          ...(failure ? { failure } : {}),
          timeline: buildTimeline(events, pending),
        },
      };
    },

    /** Asks a running run to cancel (the workflow decides how to wind down); 409 once it has ended. */
    async cancel(
      m: TeamMembership,
      workflowId: string,
    ): Promise<{ workflowId: string; runId: string; cancelRequested: true }> {
      const description = await describeOwn(m.teamId, workflowId);
      if (description.status.code !== ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw conflict('This run has already finished, so there is nothing to cancel', 'run_not_running');
      }
      await client().workflow.getHandle(workflowId, description.runId).cancel();
      return { workflowId, runId: description.runId, cancelRequested: true };
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
