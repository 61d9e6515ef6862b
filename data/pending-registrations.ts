import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface PendingRegistrationRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  expiresAt: Date;
}

const columns = ['id', 'email', 'name', 'password_hash as passwordHash', 'expires_at as expiresAt'];

/**
 * Stores a sign-up waiting for its confirmation in one statement; a repeat for the same (lower-cased) address
 * replaces the earlier one, so only the newest emailed link works.
 */
export async function upsertPendingRegistration(
  db: Db,
  pending: { email: string; name: string; passwordHash: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db('pending_registrations')
    .insert({
      email: pending.email,
      name: pending.name,
      password_hash: pending.passwordHash,
      token_hash: pending.tokenHash,
      expires_at: pending.expiresAt,
    })
    .onConflict('email')
    .merge(['name', 'password_hash', 'token_hash', 'expires_at', 'created_at']);
}

/**
 * The sign-up a confirmation token belongs to, locked until the transaction ends (of two concurrent confirmations
 * the second waits, then finds the row gone). Undefined for an unknown, spent or expired token.
 */
export async function lockPendingRegistration(
  trx: Knex.Transaction,
  tokenHash: string,
): Promise<PendingRegistrationRow | undefined> {
  const row = await trx('pending_registrations')
    .where({ token_hash: tokenHash })
    .forUpdate()
    .first<PendingRegistrationRow | undefined>(columns);
  return row && row.expiresAt.getTime() > Date.now() ? row : undefined;
}

/** Spends a sign-up: its link works once. */
export async function deletePendingRegistration(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('pending_registrations').where({ id }).delete();
}

/**
 * Claims the right to send an existing owner a "someone tried to register" notice: true (and the time recorded)
 * when none was sent to this address within `intervalSeconds`, false otherwise. One statement, so two concurrent
 * attempts cannot both win.
 */
export async function claimRegistrationNotice(
  db: Db,
  email: string,
  intervalSeconds: number,
): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(
    `INSERT INTO registration_notices (email, sent_at) VALUES (?, now())
     ON CONFLICT (email) DO UPDATE SET sent_at = now()
     WHERE registration_notices.sent_at <= now() - make_interval(secs => ?)
     RETURNING email`,
    [email, intervalSeconds],
  );
  return result.rows.length > 0;
}
