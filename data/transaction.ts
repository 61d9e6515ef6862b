import type { Knex } from 'knex';

/**
 * Runs `work` in one database transaction: committed when it resolves, rolled back when it throws. Services and
 * activities compose data functions inside it (each takes the transaction as its `db`) without touching knex.
 */
export function inTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
