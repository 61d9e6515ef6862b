import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type WebhookSource = 'clickbank' | 'stripe' | 'postmark' | 'automation';
export type WebhookEventStatus = 'received' | 'processing' | 'processed' | 'failed' | 'ignored';

export interface WebhookEventRow {
  id: string;
  source: WebhookSource;
  externalId: string;
  teamId: string | null;
  payload: unknown;
  status: WebhookEventStatus;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

const columns = [
  'id',
  'source',
  'external_id as externalId',
  'team_id as teamId',
  'payload',
  'status',
  'error',
  'received_at as receivedAt',
  'processed_at as processedAt',
];

export interface NewWebhookEvent {
  source: WebhookSource;
  externalId: string;
  teamId: string | null;
  payload: unknown;
  /** Stored already final: 'failed' with `error` for a delivery refused on arrival (default 'received'). */
  refusal?: { error: string };
}

/**
 * Records an event once: a redelivery (even a concurrent one) hits the unique (source, external_id) and gets
 * the row stored first, with `inserted: false`.
 */
export async function recordWebhookEvent(
  db: Db,
  event: NewWebhookEvent,
): Promise<{ event: WebhookEventRow; inserted: boolean }> {
  const rows = await db('webhook_events')
    .insert({
      source: event.source,
      external_id: event.externalId,
      team_id: event.teamId,
      payload: JSON.stringify(event.payload),
      ...(event.refusal ? { status: 'failed', error: event.refusal.error, processed_at: db.fn.now() } : {}),
    })
    .onConflict(['source', 'external_id'])
    .ignore()
    .returning<WebhookEventRow[]>(columns);
  const inserted = rows[0];
  if (inserted) return { event: inserted, inserted: true };
  const existing = await findWebhookEventByExternalId(db, event.source, event.externalId);
  if (!existing)
    throw new Error(`webhook event ${event.source}/${event.externalId} vanished after a conflict`);
  return { event: existing, inserted: false };
}

export function findWebhookEvent(db: Db, id: string): Promise<WebhookEventRow | undefined> {
  return db('webhook_events').where({ id }).first<WebhookEventRow | undefined>(columns);
}

function findWebhookEventByExternalId(
  db: Db,
  source: WebhookSource,
  externalId: string,
): Promise<WebhookEventRow | undefined> {
  return db('webhook_events')
    .where({ source, external_id: externalId })
    .first<WebhookEventRow | undefined>(columns);
}

/** Final states record when they were reached; `error` says why an event was ignored or failed. */
export async function setWebhookEventStatus(
  db: Db,
  id: string,
  status: WebhookEventStatus,
  error: string | null = null,
): Promise<void> {
  const done = status === 'processed' || status === 'ignored' || status === 'failed';
  await db('webhook_events')
    .where({ id })
    .update({ status, error, processed_at: done ? db.fn.now() : null });
}

/** Events of one source still waiting for their workflow, oldest first (for the reconcile after a restart). */
export function listUnstartedWebhookEvents(
  db: Db,
  source: WebhookSource,
  opts: { receivedBefore: Date; limit: number },
): Promise<WebhookEventRow[]> {
  return db('webhook_events')
    .where({ source, status: 'received' })
    .andWhere('received_at', '<', opts.receivedBefore)
    .orderBy('received_at', 'asc')
    .limit(opts.limit)
    .select<WebhookEventRow[]>(columns);
}

/**
 * received -> processing once its workflow has started. Conditional, so it never moves back an event the
 * workflow has already finished (the worker can be faster than the API's own bookkeeping).
 */
export async function markWebhookEventStarted(db: Db, id: string): Promise<void> {
  await db('webhook_events').where({ id, status: 'received' }).update({ status: 'processing' });
}

/** Leaves an event the workflow gave up on visibly failed, with the reason (a finished one is left as it is). */
export async function markWebhookEventFailed(db: Db, id: string, reason: string): Promise<void> {
  await db('webhook_events')
    .where({ id })
    .whereIn('status', ['received', 'processing'])
    .update({ status: 'failed', error: reason, processed_at: db.fn.now() });
}
