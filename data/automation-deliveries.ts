import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type DeliveryStatus = 'started' | 'duplicate' | 'filtered' | 'refused';
/** Where a delivery's key came from. */
export type DeliveryKeySource = 'idempotency-key' | 'webhook-id' | 'payload' | 'body-hash';

export interface DeliveryRow {
  id: string;
  automationId: string;
  key: string | null;
  keySource: DeliveryKeySource | null;
  status: DeliveryStatus;
  reason: string | null;
  runWorkflowId: string | null;
  bodyBytes: number;
  receivedAt: Date;
}

const columns = [
  'id',
  'automation_id as automationId',
  'key',
  'key_source as keySource',
  'status',
  'reason',
  'run_workflow_id as runWorkflowId',
  'body_bytes as bodyBytes',
  'received_at as receivedAt',
];

interface NewDelivery {
  automationId: string;
  teamId: string;
  key: string | null;
  keySource: DeliveryKeySource | null;
  reason?: string | null;
  runWorkflowId?: string | null;
  bodyBytes: number;
}

const row = (d: NewDelivery, status: DeliveryStatus) => ({
  automation_id: d.automationId,
  team_id: d.teamId,
  key: d.key,
  key_source: d.keySource,
  status,
  reason: d.reason ?? null,
  run_workflow_id: d.runWorkflowId ?? null,
  body_bytes: d.bodyBytes,
});

/** Records a delivery that starts nothing (duplicate, filtered or refused). */
export async function insertDelivery(
  db: Db,
  d: NewDelivery & { status: Exclude<DeliveryStatus, 'started'> },
): Promise<string> {
  const [inserted] = await db('automation_deliveries')
    .insert(row(d, d.status))
    .returning<{ id: string }[]>('id');
  if (!inserted) throw new Error('delivery insert returned no row');
  return inserted.id;
}

/**
 * Claims a key: records the delivery as the one that starts the run, or returns null when another delivery of
 * the same key holds it already (the partial unique index on started deliveries decides, also between
 * concurrent requests).
 */
export async function claimDelivery(db: Db, d: NewDelivery & { key: string }): Promise<string | null> {
  const result = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO automation_deliveries (automation_id, team_id, key, key_source, status, reason, run_workflow_id, body_bytes)
     VALUES (?, ?, ?, ?, 'started', NULL, ?, ?)
     ON CONFLICT (automation_id, key) WHERE status = 'started' DO NOTHING
     RETURNING id`,
    [d.automationId, d.teamId, d.key, d.keySource, d.runWorkflowId ?? null, d.bodyBytes],
  );
  return result.rows[0]?.id ?? null;
}

/** A claimed delivery whose run could not be started: refused with the reason, so a retry may claim the key. */
export async function releaseDelivery(db: Db, id: string, reason: string): Promise<void> {
  await db('automation_deliveries').where({ id, status: 'started' }).update({ status: 'refused', reason });
}

/** The latest deliveries of an automation, newest first. */
export function listDeliveries(
  db: Db,
  teamId: string,
  automationId: string,
  limit: number,
): Promise<DeliveryRow[]> {
  return db('automation_deliveries')
    .where({ team_id: teamId, automation_id: automationId })
    .orderBy([
      { column: 'received_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit)
    .select<DeliveryRow[]>(columns);
}

/** A claimed delivery whose key turned out to have a run already (its delivery record was released earlier). */
export async function markDeliveryDuplicate(db: Db, id: string): Promise<void> {
  await db('automation_deliveries').where({ id }).update({ status: 'duplicate' });
}
