import type { Knex } from 'knex';
import type { RunStatus, StepError, TriggerSource } from '../workflows/contracts/automation-run';
import { containsPattern } from './like';

type Db = Knex | Knex.Transaction;

/** One automation run as the database knows it (the step timeline lives in the workflow, read by query). */
export interface AutomationRunRow {
  workflowId: string;
  automationId: string;
  teamId: string;
  versionId: string;
  version: number;
  runId: string | null;
  triggerSource: TriggerSource;
  triggerKey: string;
  payload: unknown;
  listensFor: string[];
  status: RunStatus;
  currentStep: string | null;
  error: (StepError & { step?: string }) | null;
  resumedFrom: string | null;
  startedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

/** A run with its automation's name (null once the automation is deleted with its runs kept). */
export interface AutomationRunListRow extends AutomationRunRow {
  automationName: string | null;
}

const columns = [
  'workflow_id as workflowId',
  'automation_id as automationId',
  'team_id as teamId',
  'version_id as versionId',
  'version',
  'run_id as runId',
  'trigger_source as triggerSource',
  'trigger_key as triggerKey',
  'payload',
  'listens_for as listensFor',
  'status',
  'current_step as currentStep',
  'error',
  'resumed_from as resumedFrom',
  'started_by as startedBy',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'ended_at as endedAt',
];

/** The columns of a run read with its automation joined (both tables have team_id, status, created_at…). */
const joinedColumns = [...columns.map((c) => `automation_runs.${c}`), 'workflows.name as automationName'];

/** How much of a payload the run search reads: enough for ids and addresses, bounded for big payloads. */
const PAYLOAD_SEARCH_CHARS = 4000;

/**
 * Records a run before it starts. Returns true when this call created the row, false when a run with this id was
 * recorded already (a repeated delivery of the same key).
 */
export async function insertAutomationRun(
  db: Db,
  r: {
    workflowId: string;
    automationId: string;
    teamId: string;
    versionId: string;
    version: number;
    triggerSource: TriggerSource;
    triggerKey: string;
    payload: unknown;
    listensFor: string[];
    resumedFrom?: string;
    startedBy?: string;
  },
): Promise<boolean> {
  const inserted = await db('automation_runs')
    .insert({
      workflow_id: r.workflowId,
      automation_id: r.automationId,
      team_id: r.teamId,
      version_id: r.versionId,
      version: r.version,
      trigger_source: r.triggerSource,
      trigger_key: r.triggerKey,
      // jsonb: a string payload must be stored as JSON text, not as a bare string.
      payload: JSON.stringify(r.payload ?? null),
      listens_for: r.listensFor,
      resumed_from: r.resumedFrom ?? null,
      started_by: r.startedBy ?? null,
    })
    .onConflict('workflow_id')
    .ignore()
    .returning('workflow_id');
  return inserted.length > 0;
}

/** A run row whose workflow could not be started. */
export async function deleteAutomationRun(db: Db, workflowId: string): Promise<void> {
  await db('automation_runs').where({ workflow_id: workflowId }).whereNull('run_id').delete();
}

/** False once the automation has been deleted (its runs' rows went with it). */
export async function automationExists(db: Db, automationId: string): Promise<boolean> {
  return (await db('workflows').where({ id: automationId }).first('id')) !== undefined;
}

export async function setAutomationRunId(db: Db, workflowId: string, runId: string): Promise<void> {
  await db('automation_runs')
    .where({ workflow_id: workflowId })
    .whereNull('run_id')
    .update({ run_id: runId });
}

export function findAutomationRun(
  db: Db,
  teamId: string,
  workflowId: string,
): Promise<AutomationRunListRow | undefined> {
  return db('automation_runs')
    .leftJoin('workflows', 'workflows.id', 'automation_runs.automation_id')
    .where({ 'automation_runs.team_id': teamId, 'automation_runs.workflow_id': workflowId })
    .first<AutomationRunListRow | undefined>(joinedColumns);
}

/**
 * Newest first, keyset-paged by (created_at, workflow_id). `search` matches, case-insensitively and with its LIKE
 * characters taken literally, the automation's name, the run's id, its trigger key and the start of its payload.
 */
export function listAutomationRuns(
  db: Db,
  q: {
    teamId: string;
    automationId?: string;
    statuses?: RunStatus[];
    search?: string;
    before?: { createdAt: Date; workflowId: string };
    limit: number;
  },
): Promise<AutomationRunListRow[]> {
  const query = db('automation_runs')
    .leftJoin('workflows', 'workflows.id', 'automation_runs.automation_id')
    .where('automation_runs.team_id', q.teamId);
  if (q.automationId) query.where('automation_runs.automation_id', q.automationId);
  if (q.statuses?.length) query.whereIn('automation_runs.status', q.statuses);
  if (q.search) {
    const pattern = containsPattern(q.search);
    query.where((w) =>
      w
        .where('workflows.name', 'ilike', pattern)
        .orWhere('automation_runs.workflow_id', 'ilike', pattern)
        .orWhere('automation_runs.trigger_key', 'ilike', pattern)
        .orWhereRaw('left(automation_runs.payload::text, ?) ilike ?', [PAYLOAD_SEARCH_CHARS, pattern]),
    );
  }
  if (q.before) {
    const { createdAt, workflowId } = q.before;
    query.where((w) =>
      w
        .where('automation_runs.created_at', '<', createdAt)
        .orWhere((x) =>
          x
            .where('automation_runs.created_at', '=', createdAt)
            .andWhere('automation_runs.workflow_id', '<', workflowId),
        ),
    );
  }
  return query
    .orderBy([
      { column: 'automation_runs.created_at', order: 'desc' },
      { column: 'automation_runs.workflow_id', order: 'desc' },
    ])
    .limit(q.limit)
    .select<AutomationRunListRow[]>(joinedColumns);
}

/** The interpreter's view of where a run is: called when the run starts waiting, resumes, and ends. */
export async function updateAutomationRunStatus(
  db: Db,
  u: {
    workflowId: string;
    status: RunStatus;
    currentStep: string | null;
    error?: (StepError & { step?: string }) | null;
  },
): Promise<void> {
  const ended = ['succeeded', 'failed', 'cancelled', 'skipped'].includes(u.status);
  await db('automation_runs')
    .where({ workflow_id: u.workflowId })
    .update({
      status: u.status,
      current_step: u.currentStep,
      error: u.error ? JSON.stringify(u.error) : null,
      updated_at: db.fn.now(),
      ended_at: ended ? db.fn.now() : null,
    });
}

/** Runs of a team still going that wait for this event type or signal (`signal:<name>`). */
export async function runsListeningFor(db: Db, teamId: string, eventType: string): Promise<string[]> {
  const rows = await db('automation_runs')
    .where({ team_id: teamId })
    .whereNull('ended_at')
    .whereRaw('listens_for @> ARRAY[?]::text[]', [eventType])
    .select<{ workflowId: string }[]>('workflow_id as workflowId');
  return rows.map((r) => r.workflowId);
}

/** Runs of an automation not yet ended (for deleting an automation with running runs). */
export function unfinishedAutomationRuns(db: Db, automationId: string): Promise<AutomationRunRow[]> {
  return db('automation_runs')
    .where({ automation_id: automationId })
    .whereNull('ended_at')
    .select<AutomationRunRow[]>(columns);
}

/**
 * Takes a concurrency slot for a run when its automation has fewer than `maxRuns` runs holding one and the team
 * fewer than `teamMax`. Idempotent per run (an activity retried after taking its slot keeps it). The automation's
 * row is locked so two runs cannot both take the last slot.
 */
export function acquireRunSlot(
  db: Knex,
  s: { workflowId: string; automationId: string; teamId: string; maxRuns: number; teamMax: number },
): Promise<{ acquired: boolean; reason?: 'automation' | 'team' }> {
  return db.transaction(async (trx) => {
    // The team's row orders every slot taken in the team, so neither cap can be passed by two runs at once.
    await trx('teams').where({ id: s.teamId }).forUpdate().first('id');
    // Slots of runs that ended without freeing them (a worker bug, a run failed in an odd way) are freed here.
    await trx('automation_run_slots')
      .where({ team_id: s.teamId })
      .whereIn(
        'workflow_id',
        trx('automation_runs').where({ team_id: s.teamId }).whereNotNull('ended_at').select('workflow_id'),
      )
      .delete();
    // A run whose automation was deleted with `runs=keep` finishes without a slot (its rows are gone).
    const automation = await trx('workflows')
      .where({ id: s.automationId })
      .first<{ id: string } | undefined>('id');
    if (!automation) return { acquired: true };
    const held = await trx('automation_run_slots')
      .where({ workflow_id: s.workflowId })
      .first<{ workflow_id: string } | undefined>('workflow_id');
    if (held) return { acquired: true };
    const [own] = await trx('automation_run_slots')
      .where({ automation_id: s.automationId })
      .count<{ count: string }[]>('* as count');
    if (Number(own?.count ?? 0) >= s.maxRuns) return { acquired: false, reason: 'automation' as const };
    const [team] = await trx('automation_run_slots')
      .where({ team_id: s.teamId })
      .count<{ count: string }[]>('* as count');
    if (Number(team?.count ?? 0) >= s.teamMax) return { acquired: false, reason: 'team' as const };
    await trx('automation_run_slots').insert({
      workflow_id: s.workflowId,
      automation_id: s.automationId,
      team_id: s.teamId,
    });
    return { acquired: true };
  });
}

export async function releaseRunSlot(db: Db, workflowId: string): Promise<void> {
  await db('automation_run_slots').where({ workflow_id: workflowId }).delete();
}

/** Stores a large step output; the run keeps `{ $ref: id }`. Idempotent per run and step. */
export async function storeStepOutput(
  db: Db,
  o: { teamId: string; workflowId: string; stepKey: string; value: unknown; bytes: number },
): Promise<string> {
  const [row] = await db('automation_outputs')
    .insert({
      team_id: o.teamId,
      workflow_id: o.workflowId,
      step_key: o.stepKey,
      value: JSON.stringify(o.value),
      bytes: o.bytes,
    })
    .onConflict(['workflow_id', 'step_key'])
    .merge(['value', 'bytes'])
    .returning<{ id: string }[]>('id');
  if (!row) throw new Error('storing a step output returned no row');
  return row.id;
}

/** Stored outputs by id, for the team only. */
export async function loadStepOutputs(db: Db, teamId: string, ids: string[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const rows = await db('automation_outputs')
    .where({ team_id: teamId })
    .whereIn('id', ids)
    .select<{ id: string; value: unknown }[]>('id', 'value');
  return new Map(rows.map((r) => [r.id, r.value]));
}
