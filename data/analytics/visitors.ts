import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/**
 * The salts of these days (YYYY-MM-DD), made when missing. Every process that asks for a day gets the same salt
 * (insert-if-absent, then read), so unique-visitor keys agree across redirect processes.
 */
export async function saltsFor(db: Db, days: readonly string[]): Promise<Map<string, Buffer>> {
  if (days.length === 0) return new Map();
  await db('analytics_salts')
    .insert(days.map((day) => ({ day, salt: randomBytes(32) })))
    .onConflict('day')
    .ignore();
  const rows = await db('analytics_salts')
    .whereIn('day', days)
    .select<{ day: string; salt: Buffer }[]>(db.raw("to_char(day, 'YYYY-MM-DD') AS day"), 'salt');
  return new Map(rows.map((r) => [r.day, Buffer.from(r.salt)]));
}

/**
 * Deletes the salts and first-visit rows of days before `keepFrom` (YYYY-MM-DD): once a salt is gone, nobody
 * (us included) can tell whether two old clicks came from the same address. Returns what it deleted.
 */
export async function forgetVisitorsBefore(
  db: Db,
  keepFrom: string,
): Promise<{ salts: number; visitors: number }> {
  const salts = await db('analytics_salts').where('day', '<', keepFrom).delete();
  const visitors = await db('analytics_visitors').where('day', '<', keepFrom).delete();
  return { salts, visitors };
}

/** Leases the next block of click numbers [first, first + count) from the database sequence. */
export async function leaseClickIds(db: Db): Promise<{ first: number; count: number }> {
  const { rows } = await db.raw<{ rows: { first: string }[] }>(
    "SELECT nextval('analytics_click_ids')::text AS first",
  );
  return { first: Number(rows[0]!.first), count: 1000 };
}
