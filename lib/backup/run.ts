import fs from 'node:fs/promises';
import path from 'node:path';
import { backupFileName, sha256File, writeChecksumFile, type BackupKind } from './files';
import { runPgDump } from './pg-tools';

export interface BackupTarget {
  /** PostgreSQL when set (pg_dump); otherwise the embedded PGlite, archived by `dumpPglite`. */
  databaseUrl?: string;
  /** The running PGlite's data folder as a gzipped tarball (data/backups.ts: dumpPgliteDataDir). */
  dumpPglite?: () => Promise<Buffer>;
  dir: string;
  pgDumpPath: string;
}

export interface BackupFile {
  kind: BackupKind;
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * Writes one backup into `dir` as `hopflow-<UTC timestamp>.dump` (pg_dump custom format) or `.tar.gz` (PGlite
 * data folder), with `<file>.sha256` beside it. The dump goes to a `.partial` name and is renamed only once
 * it and its checksum are complete, so a crash never leaves a half file that looks like a backup.
 */
export async function writeBackup(
  target: BackupTarget,
  opts: {
    now?: Date;
    onProgress?: (bytesWritten: number) => void | Promise<void>;
    signal?: AbortSignal;
  } = {},
): Promise<BackupFile> {
  const kind: BackupKind = target.databaseUrl ? 'pg_dump' : 'pglite';
  await fs.mkdir(target.dir, { recursive: true });
  const file = path.join(target.dir, backupFileName(kind, opts.now ?? new Date()));
  const partial = `${file}.partial`;
  try {
    if (target.databaseUrl) {
      await runPgDump({
        pgDumpPath: target.pgDumpPath,
        databaseUrl: target.databaseUrl,
        outFile: partial,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
    } else {
      if (!target.dumpPglite) throw new Error('a PGlite backup needs the running database');
      await fs.writeFile(partial, await target.dumpPglite());
    }
    const sha256 = await sha256File(partial);
    const { size } = await fs.stat(partial);
    await writeChecksumFile(file, sha256);
    await fs.rename(partial, file);
    return { kind, file, bytes: size, sha256 };
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
}
