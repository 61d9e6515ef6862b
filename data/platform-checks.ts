import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

type PlatformCheckStatus = 'pending' | 'completed' | 'failed';

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

/** One real round trip from the caller's process: the server's clock and version. */
export async function probeDatabaseServer(
  db: Db,
): Promise<{ server_time: Date; version: string } | undefined> {
  const probe = await db.raw<{ rows: { server_time: Date; version: string }[] }>(
    'SELECT now() AS server_time, version() AS version',
  );
  return probe.rows[0];
}

export async function countPendingChecks(db: Db, teamId: string): Promise<number> {
  const rows = await db('platform_checks')
    .where({ team_id: teamId, status: 'pending' })
    .count<{ count: string }[]>({ count: '*' });
  return Number(rows[0]?.count ?? 0);
}

/** The worker's completion of a check; false when the team has no such check. */
export async function completeCheck(
  db: Db,
  c: { teamId: string; checkId: string; result: unknown; workerIdentity: string },
): Promise<boolean> {
  const updated = await db('platform_checks')
    .where({ id: c.checkId, team_id: c.teamId })
    .update({
      status: 'completed',
      result: JSON.stringify(c.result),
      worker_identity: c.workerIdentity,
      completed_at: db.fn.now(),
    });
  return updated > 0;
}

/** The worker's side of markCheckFailed: team-scoped, names the worker, and still only touches a pending row. */
export async function markPendingCheckFailed(
  db: Db,
  f: { teamId: string; checkId: string; reason: string; workerIdentity: string },
): Promise<void> {
  await db('platform_checks')
    .where({ id: f.checkId, team_id: f.teamId, status: 'pending' })
    .update({
      status: 'failed',
      result: JSON.stringify({ error: f.reason }),
      worker_identity: f.workerIdentity,
      completed_at: db.fn.now(),
    });
}
