import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

type EmailMessageStatus = 'queued' | 'sent' | 'failed' | 'bounced' | 'refused' | 'skipped';

/** What the send path needs of an email_messages row. */
export interface EmailMessageRow {
  id: string;
  status: EmailMessageStatus;
  postmarkMessageId: string | null;
  error: string | null;
}

export interface QueuedEmail {
  teamId: string;
  idempotencyKey: string;
  kind: string;
  to: string;
  subject: string;
  /** Default 'outbound'. */
  stream?: 'outbound' | 'broadcast';
  contactId?: string;
}

/**
 * Writes a 'queued' row per key that has none yet (a key that has one keeps it). Returns the keys whose rows
 * this call created.
 */
export async function insertQueuedEmailMessages(db: Db, emails: QueuedEmail[]): Promise<Set<string>> {
  const created = await db('email_messages')
    .insert(
      emails.map((e) => ({
        team_id: e.teamId,
        idempotency_key: e.idempotencyKey,
        to_email: e.to,
        subject: e.subject,
        stream: e.stream ?? 'outbound',
        contact_id: e.contactId ?? null,
        kind: e.kind,
        status: 'queued',
      })),
    )
    .onConflict('idempotency_key')
    .ignore()
    .returning<{ idempotencyKey: string }[]>('idempotency_key as idempotencyKey');
  return new Set(created.map((r) => r.idempotencyKey));
}

/** Locks the rows of these keys until the transaction ends, so two attempts never send the same key at once. */
export async function lockEmailMessages(
  trx: Db,
  idempotencyKeys: string[],
): Promise<Map<string, EmailMessageRow>> {
  const rows = await trx('email_messages')
    .whereIn('idempotency_key', idempotencyKeys)
    .forUpdate()
    .select<(EmailMessageRow & { idempotencyKey: string })[]>(
      'id',
      'idempotency_key as idempotencyKey',
      'status',
      'postmark_message_id as postmarkMessageId',
      'error',
    );
  return new Map(rows.map((r) => [r.idempotencyKey, r]));
}

const markRow = (db: Db, id: string, patch: Record<string, unknown>) =>
  db('email_messages')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

export async function markEmailSent(db: Db, id: string, postmarkMessageId: string): Promise<void> {
  await markRow(db, id, {
    status: 'sent',
    postmark_message_id: postmarkMessageId,
    sent_at: db.fn.now(),
    error: null,
  });
}

/** Postmark refused the recipient for good; `reason` is its message. */
export async function markEmailRefused(db: Db, id: string, reason: string): Promise<void> {
  await markRow(db, id, { status: 'refused', error: reason });
}

/** Not sent because of the contact; `reason` (unsubscribed, inactive, deleted) is kept in `error`. */
export async function markEmailSkipped(db: Db, id: string, reason: string): Promise<void> {
  await markRow(db, id, { status: 'skipped', error: reason });
}
