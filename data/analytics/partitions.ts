import type { Knex } from 'knex';

/** Monthly partitions kept ready ahead of now (the current month included), as the first migration made. */
const PARTITION_MONTHS_AHEAD = 13;

const PARTITION_NAME = /^analytics_events_(\d{4})_(\d{2})$/;

/** The first day (YYYY-MM-01) of the UTC month `months` before (negative: after) the month of `at`. */
export function monthStart(at: Date, monthsBack = 0): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - monthsBack, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * Creates the monthly partitions of analytics_events from `fromMonth` on that do not exist yet (the SQL function
 * of the first migration, which also moves rows the default partition caught for such a month). Returns how
 * many it created.
 */
export async function ensureEventPartitions(
  db: Knex,
  fromMonth: string,
  months = PARTITION_MONTHS_AHEAD,
): Promise<number> {
  const { rows } = await db.raw<{ rows: { created: number }[] }>(
    'SELECT ensure_analytics_partitions(?::date, ?) AS created',
    [fromMonth, months],
  );
  return Number(rows[0]!.created);
}

/** The monthly partitions of analytics_events, oldest first, with their month (YYYY-MM-01). */
export async function listEventPartitions(db: Knex): Promise<{ name: string; month: string }[]> {
  const { rows } = await db.raw<{ rows: { name: string }[] }>(
    `SELECT c.relname AS name
     FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'analytics_events'::regclass`,
  );
  return rows
    .flatMap((r) => {
      const m = PARTITION_NAME.exec(r.name);
      return m ? [{ name: r.name, month: `${m[1]}-${m[2]}-01` }] : [];
    })
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}

/**
 * Detaches and drops the monthly partitions of months before `beforeMonth` (YYYY-MM-01), one transaction each,
 * and deletes the rows of those months the default partition holds. Dropping a partition is instant where a
 * DELETE would rewrite and bloat the table. A short lock timeout: the redirect's batches insert into the parent
 * all the time, and a maintenance job must not make them queue behind it (it fails and is retried instead).
 * Rollups are kept: dashboards still show old days, only their raw events are gone.
 */
export async function dropEventPartitionsBefore(
  db: Knex,
  beforeMonth: string,
): Promise<{ dropped: string[]; defaultRowsDeleted: number }> {
  const dropped: string[] = [];
  for (const p of await listEventPartitions(db)) {
    if (p.month >= beforeMonth) break;
    await db.transaction(async (trx) => {
      await trx.raw("SET LOCAL lock_timeout = '5s'");
      await trx.raw('ALTER TABLE analytics_events DETACH PARTITION ??', [p.name]);
      await trx.raw('DROP TABLE ??', [p.name]);
    });
    dropped.push(p.name);
  }
  // Counted in SQL: knex-pglite (the embedded default) answers a delete with its result object, not a number.
  const { rows } = await db.raw<{ rows: { n: string }[] }>(
    `WITH gone AS (DELETE FROM analytics_events_default WHERE occurred_at < ?::timestamptz RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [`${beforeMonth}T00:00:00Z`],
  );
  return { dropped, defaultRowsDeleted: Number(rows[0]!.n) };
}
