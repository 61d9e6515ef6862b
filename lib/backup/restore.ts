import { backupKindOf, verifyChecksum } from './files';
import { runPgRestore } from './pg-tools';
import { restorePgliteDataDir } from './pglite';

export interface RestoreOptions {
  file: string;
  /** Target of a pg_dump backup. */
  databaseUrl?: string;
  /** Target folder of a PGlite backup (the platform must be stopped). */
  pgliteDir?: string;
  pgRestorePath: string;
  onProgress?: () => void | Promise<void>;
  /** The database statements of a restore (data/backups.ts); this module only handles files and processes. */
  database: RestoreDatabase;
}

interface RestoreDatabase {
  /** Runs before pg_restore: pg_restore --clean cannot drop a partition's inherited primary key on its own. */
  dropPartitionedTables: (databaseUrl: string) => Promise<void>;
  /** Opens PGlite on the empty folder from the tarball's bytes. */
  loadPgliteDataDir: (dataDir: string, archive: Buffer<ArrayBuffer>) => Promise<void>;
}

/** Verifies the checksum (ChecksumError otherwise, nothing touched), then restores by the file's kind. */
export async function restoreBackup(
  opts: RestoreOptions,
): Promise<{ kind: 'pg_dump' | 'pglite'; sha256: string }> {
  const kind = backupKindOf(opts.file);
  const sha256 = await verifyChecksum(opts.file);
  if (kind === 'pg_dump') {
    if (!opts.databaseUrl) throw new Error('restoring a .dump needs DATABASE_URL or --database-url');
    await opts.database.dropPartitionedTables(opts.databaseUrl);
    await runPgRestore({
      pgRestorePath: opts.pgRestorePath,
      databaseUrl: opts.databaseUrl,
      file: opts.file,
      onProgress: opts.onProgress,
    });
  } else {
    if (!opts.pgliteDir) throw new Error('restoring a PGlite backup needs the data folder');
    await restorePgliteDataDir(opts.file, opts.pgliteDir, opts.database.loadPgliteDataDir);
  }
  return { kind, sha256 };
}
