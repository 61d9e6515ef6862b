import { sequenceWorkflowId } from '../workflows/contracts/email-sequence';
import type { Knex } from 'knex';
import type { SequenceTrigger } from './sequences';

type Db = Knex | Knex.Transaction;

export type SequenceRunStatus = 'running' | 'completed' | 'stopped' | 'failed';

export interface SequenceRunRow {
  id: string;
  teamId: string;
  sequenceId: string;
  contactId: string;
  contactEmail: string;
  workflowId: string;
  status: SequenceRunStatus;
  triggerSource: SequenceTrigger;
  currentStep: number;
  totalSteps: number | null;
  nextSendAt: Date | null;
  stopReason: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

const columns = [
  'r.id',
  'r.team_id as teamId',
  'r.sequence_id as sequenceId',
  'r.contact_id as contactId',
  'c.email as contactEmail',
  'r.workflow_id as workflowId',
  'r.status',
  'r.trigger_source as triggerSource',
  'r.current_step as currentStep',
  'r.total_steps as totalSteps',
  'r.next_send_at as nextSendAt',
  'r.stop_reason as stopReason',
  'r.started_at as startedAt',
  'r.updated_at as updatedAt',
  'r.finished_at as finishedAt',
];

const selectRuns = (db: Db) =>
  db({ r: 'email_sequence_runs' }).join({ c: 'contacts' }, 'c.id', 'r.contact_id').select(columns);

/**
 * Claims the run row for a contact: inserted when new, or the existing row. The unique (sequence, contact)
 * key makes concurrent enrollments agree on one row.
 */
export async function claimRun(
  db: Db,
  r: { teamId: string; sequenceId: string; contactId: string; triggerSource: SequenceTrigger },
): Promise<{ created: boolean; status: SequenceRunStatus; workflowId: string }> {
  const workflowId = sequenceWorkflowId(r.sequenceId, r.contactId);
  const inserted = await db('email_sequence_runs')
    .insert({
      team_id: r.teamId,
      sequence_id: r.sequenceId,
      contact_id: r.contactId,
      workflow_id: workflowId,
      trigger_source: r.triggerSource,
    })
    .onConflict(['sequence_id', 'contact_id'])
    .ignore()
    .returning<{ status: SequenceRunStatus }[]>('status');
  if (inserted[0]) return { created: true, status: inserted[0].status, workflowId };
  const existing = await db('email_sequence_runs')
    .where({ sequence_id: r.sequenceId, contact_id: r.contactId })
    .first<{ status: SequenceRunStatus } | undefined>('status');
  return { created: false, status: existing?.status ?? 'running', workflowId };
}

/** Drops a row whose workflow could not be started, so a later enrollment tries again. */
export async function deleteRun(db: Db, workflowId: string): Promise<void> {
  await db('email_sequence_runs').where({ workflow_id: workflowId, status: 'running' }).delete();
}

export function listRuns(
  db: Db,
  teamId: string,
  sequenceId: string,
  opts: { status?: SequenceRunStatus; limit: number },
): Promise<SequenceRunRow[]> {
  const q = selectRuns(db).where({ 'r.team_id': teamId, 'r.sequence_id': sequenceId });
  if (opts.status) q.andWhere({ 'r.status': opts.status });
  return q
    .orderBy([
      { column: 'r.started_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(opts.limit);
}

export function findRunByWorkflowId(db: Db, workflowId: string): Promise<SequenceRunRow | undefined> {
  return selectRuns(db).where({ 'r.workflow_id': workflowId }).first<SequenceRunRow | undefined>();
}

/** Workflow ids of a contact's runs that are still running (optionally of one sequence only). */
export async function runningWorkflowIds(
  db: Db,
  where: { teamId: string; contactId?: string; sequenceId?: string },
): Promise<string[]> {
  const q = db('email_sequence_runs').where({ team_id: where.teamId, status: 'running' });
  if (where.contactId) q.andWhere({ contact_id: where.contactId });
  if (where.sequenceId) q.andWhere({ sequence_id: where.sequenceId });
  const rows = await q.select<{ workflow_id: string }[]>('workflow_id');
  return rows.map((r) => r.workflow_id);
}

/** Progress while running; a row that was stopped meanwhile keeps its final status. */
export async function recordRunProgress(
  db: Db,
  p: { workflowId: string; currentStep: number; totalSteps: number; nextSendAt: Date | null },
): Promise<void> {
  await db('email_sequence_runs').where({ workflow_id: p.workflowId, status: 'running' }).update({
    current_step: p.currentStep,
    total_steps: p.totalSteps,
    next_send_at: p.nextSendAt,
    updated_at: db.fn.now(),
  });
}

/**
 * Ends a run. 'stopped' wins over everything (an unsubscribe may have marked it before the workflow noticed),
 * so a completed or failed outcome only replaces 'running'.
 */
export async function finishRun(
  db: Db,
  f: {
    workflowId: string;
    status: Exclude<SequenceRunStatus, 'running'>;
    reason?: string | null;
    currentStep?: number;
  },
): Promise<void> {
  const q = db('email_sequence_runs').where({ workflow_id: f.workflowId });
  if (f.status === 'stopped') q.whereIn('status', ['running', 'stopped']);
  else q.andWhere({ status: 'running' });
  await q.update({
    status: f.status,
    next_send_at: null,
    ...(f.reason !== undefined ? { stop_reason: db.raw('coalesce(stop_reason, ?)', [f.reason]) } : {}),
    ...(f.currentStep !== undefined ? { current_step: f.currentStep } : {}),
    finished_at: db.raw('coalesce(finished_at, now())'),
    updated_at: db.fn.now(),
  });
}

/** Marks the given running runs stopped at once (the workflows are signalled too). */
export async function markRunsStopped(db: Db, workflowIds: string[], reason: string): Promise<void> {
  if (workflowIds.length === 0) return;
  await db('email_sequence_runs').whereIn('workflow_id', workflowIds).andWhere({ status: 'running' }).update({
    status: 'stopped',
    stop_reason: reason,
    next_send_at: null,
    finished_at: db.fn.now(),
    updated_at: db.fn.now(),
  });
}

/** The team of a contact named only by id (unsubscribe links carry just the contact id). */
export async function findContactTeamId(db: Db, contactId: string): Promise<string | undefined> {
  const row = await db('contacts').where({ id: contactId }).first<{ team_id: string } | undefined>('team_id');
  return row?.team_id;
}
