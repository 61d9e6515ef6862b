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
 * Stores a sign-up waiting for its confirmation in one statement. A repeat for the same (lower-cased) address
 * replaces the earlier one (only the newest emailed link works), unless the earlier one is younger than
 * `minIntervalSeconds`: then nothing changes and false is returned, so nobody can have the platform mail an
 * address more than once per interval.
 */
export async function upsertPendingRegistration(
  db: Db,
  pending: { email: string; name: string; passwordHash: string; tokenHash: string; expiresAt: Date },
  minIntervalSeconds: number,
): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(
    `INSERT INTO pending_registrations (email, name, password_hash, token_hash, expires_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
       token_hash = excluded.token_hash, expires_at = excluded.expires_at, created_at = now()
     WHERE pending_registrations.created_at <= now() - make_interval(secs => ?)
     RETURNING id`,
    [
      pending.email,
      pending.name,
      pending.passwordHash,
      pending.tokenHash,
      pending.expiresAt,
      minIntervalSeconds,
    ],
  );
  return result.rows.length > 0;
}

/** Forgets sign-ups whose link has expired (their password hashes included). */
export async function deleteExpiredPendingRegistrations(db: Db): Promise<number> {
  return db('pending_registrations').where('expires_at', '<', db.fn.now()).delete();
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
