import fs from 'node:fs/promises';
import path from 'node:path';
import { checksumPath, isBackupFileName } from './files';

export interface PruneResult {
  deleted: string[];
  kept: string[];
}

/**
 * Deletes backups (and their `.sha256` files) last modified more than `retentionDays` before `now`, plus
 * temporary `.partial` files of runs that died that long ago. Only files named like our backups are touched.
 */
export async function pruneBackups(opts: {
  dir: string;
  retentionDays: number;
  now?: Date;
}): Promise<PruneResult> {
  const cutoff = (opts.now ?? new Date()).getTime() - opts.retentionDays * 24 * 60 * 60 * 1000;
  const result: PruneResult = { deleted: [], kept: [] };
  let names: string[];
  try {
    names = await fs.readdir(opts.dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  for (const name of names.sort()) {
    const stale = name.endsWith('.partial') && isBackupFileName(name.replace(/(\.sha256)?\.partial$/, ''));
    if (!isBackupFileName(name) && !stale) continue;
    const file = path.join(opts.dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) continue;
    if (stat.mtimeMs >= cutoff) {
      if (!stale) result.kept.push(name);
      continue;
    }
    await fs.rm(file, { force: true });
    if (!stale) {
      await fs.rm(checksumPath(file), { force: true });
      result.deleted.push(name);
    }
  }
  return result;
}
