import knex, { type Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type BackupRunKind = 'pg_dump' | 'pglite';

/** Logs a backup attempt before it starts (a run that dies stays visible as started); returns its id. */
export async function insertBackupRun(
  db: Db,
  kind: BackupRunKind,
  workflowId: string | null,
): Promise<string> {
  const [run] = await db('backup_runs')
    .insert({ kind, workflow_id: workflowId })
    .returning<{ id: string }[]>('id');
  return run!.id;
}

export async function completeBackupRun(
  db: Db,
  id: string,
  done: { file: string; bytes: number; sha256: string },
): Promise<void> {
  await db('backup_runs').where({ id }).update({
    status: 'completed',
    file: done.file,
    bytes: done.bytes,
    sha256: done.sha256,
    finished_at: db.fn.now(),
  });
}

export async function failBackupRun(db: Db, id: string, error: string): Promise<void> {
  await db('backup_runs').where({ id }).update({ status: 'failed', error, finished_at: db.fn.now() });
}

/** How many old backups the retention pass after this run deleted. */
export async function recordPrunedBackups(db: Db, id: string, deleted: number): Promise<void> {
  await db('backup_runs').where({ id }).update({ deleted_old: deleted });
}

/** The slice of a PGlite instance the backup uses (knex-pglite's single connection is the instance). */
interface PgliteConnection {
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
  query(sql: string): Promise<unknown>;
}

interface KnexClientWithPool {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/**
 * A gzipped tarball of the running PGlite data folder (lib/backup writes it to a file).
 *
 * Consistent because it goes through PGlite itself, not the files: knex-pglite has exactly one connection,
 * which this holds for the duration, so no knex transaction is open meanwhile; CHECKPOINT flushes the WAL into
 * the data files; and `dumpDataDir()` reads the folder under PGlite's query mutex, so no statement writes while
 * it is archived. Copying the folder with `cp` under the live process would offer none of that.
 */
export async function dumpPgliteDataDir(db: Knex): Promise<Buffer> {
  const client = db.client as unknown as KnexClientWithPool;
  const connection = (await client.acquireConnection()) as PgliteConnection;
  let blob: Blob;
  try {
    if (typeof connection.dumpDataDir !== 'function') {
      throw new Error('the database connection is not PGlite: use pg_dump');
    }
    await connection.query('CHECKPOINT');
    blob = await connection.dumpDataDir('gzip');
  } finally {
    await client.releaseConnection(connection);
  }
  return Buffer.from(await blob.arrayBuffer());
}

/**
 * Creates a PGlite database in the empty folder `dataDir` from a dumpPgliteDataDir() tarball, by opening PGlite
 * on it with `loadDataDir`, and checks that it answers.
 */
export async function loadPgliteDataDir(dataDir: string, archive: Buffer<ArrayBuffer>): Promise<void> {
  // A dynamic import: PGlite is ESM-first and loads its WASM at runtime; only the restore needs it here.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(dataDir, { loadDataDir: new Blob([archive]) });
  try {
    await pglite.waitReady;
    await pglite.query('SELECT 1');
  } finally {
    await pglite.close();
  }
}

/**
 * Drops the partitioned tables (with their partitions) of the database at `databaseUrl`, the target of a
 * restore: pg_restore --clean drops a partition's primary key on its own, which PostgreSQL refuses ("cannot
 * drop inherited constraint"). The dump recreates them. Nothing happens on an empty database. The restore CLI
 * holds no pool of its own, so this opens (and closes) a single connection to the target.
 */
export async function dropPartitionedTables(databaseUrl: string): Promise<void> {
  const db = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
  try {
    const { rows } = await db.raw<{ rows: { name: string }[] }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'p' AND NOT c.relispartition
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    for (const { name } of rows) await db.raw(`DROP TABLE IF EXISTS ${name} CASCADE`);
  } finally {
    await db.destroy();
  }
}
