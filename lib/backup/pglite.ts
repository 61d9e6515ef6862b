import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';

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
 * A gzipped tarball of the running PGlite data folder, written to `outFile`.
 *
 * Consistent because it goes through PGlite itself, not the files: knex-pglite has exactly one connection,
 * which this holds for the duration, so no knex transaction is open meanwhile; CHECKPOINT flushes the WAL into
 * the data files; and `dumpDataDir()` reads the folder under PGlite's query mutex, so no statement writes while
 * it is archived. Copying the folder with `cp` under the live process would offer none of that.
 */
export async function dumpPgliteDataDir(db: Knex, outFile: string): Promise<void> {
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
  await fs.writeFile(outFile, Buffer.from(await blob.arrayBuffer()));
}

/**
 * Unpacks a PGlite tarball into `dataDir` (which must not hold a database yet: stop the platform and move the
 * old folder aside first) by opening PGlite on it with `loadDataDir`, the inverse of dumpDataDir().
 */
export async function restorePgliteDataDir(file: string, dataDir: string): Promise<void> {
  const existing = await fs.readdir(dataDir).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new Error(
      `${dataDir} is not empty: stop the platform and move it aside (e.g. to ${path.basename(dataDir)}.old) before restoring`,
    );
  }
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  // A dynamic import: PGlite is ESM-first and loads its WASM at runtime; only the restore needs it here.
  const { PGlite } = await import('@electric-sql/pglite');
  const data = await fs.readFile(file);
  const pglite = new PGlite(dataDir, { loadDataDir: new Blob([data]) });
  try {
    await pglite.waitReady;
    await pglite.query('SELECT 1');
  } finally {
    await pglite.close();
  }
}
