import type { Knex } from 'knex';

/** The cheapest round trip that proves the database answers (readiness probe). */
export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}
