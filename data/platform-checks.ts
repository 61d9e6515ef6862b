import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type PlatformCheckStatus = 'pending' | 'completed' | 'failed';

export interface PlatformCheckRow {
  id: string;
  teamId: string;
  workflowId: string;
  status: PlatformCheckStatus;
  result: unknown;
  workerIdentity: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

const columns = [
  'id',
  'team_id as teamId',
  'workflow_id as workflowId',
  'status',
  'result',
  'worker_identity as workerIdentity',
  'created_at as createdAt',
  'completed_at as completedAt',
];

export async function insertPendingCheck(
  db: Db,
  check: { id: string; teamId: string; requestedBy: string | null; workflowId: string },
): Promise<PlatformCheckRow> {
  const rows = await db('platform_checks')
    .insert({
      id: check.id,
      team_id: check.teamId,
      requested_by: check.requestedBy,
      workflow_id: check.workflowId,
      status: 'pending',
    })
    .returning<PlatformCheckRow[]>(columns);
  const row = rows[0];
  if (!row) throw new Error('platform check insert returned no row');
  return row;
}

/** Team-scoped: an id belonging to another team is not found. */
export function findCheck(db: Db, teamId: string, checkId: string): Promise<PlatformCheckRow | undefined> {
  return db('platform_checks')
    .where({ team_id: teamId, id: checkId })
    .first<PlatformCheckRow | undefined>(columns);
}

export function listChecks(db: Db, teamId: string, limit: number): Promise<PlatformCheckRow[]> {
  return db('platform_checks')
    .where({ team_id: teamId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit)
    .select<PlatformCheckRow[]>(columns);
}

/** Only a still-pending row is marked failed, so a worker's completion is never overwritten. */
export async function markCheckFailed(db: Db, checkId: string, reason: string): Promise<void> {
  await db('platform_checks')
    .where({ id: checkId, status: 'pending' })
    .update({ status: 'failed', result: JSON.stringify({ error: reason }), completed_at: db.fn.now() });
}
