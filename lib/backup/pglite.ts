import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Unpacks a PGlite tarball into `dataDir` (which must not hold a database yet: stop the platform and move the
 * old folder aside first). `load` opens PGlite on the folder from the tarball's bytes (data/backups.ts:
 * loadPgliteDataDir, the inverse of dumpPgliteDataDir).
 */
export async function restorePgliteDataDir(
  file: string,
  dataDir: string,
  load: (dataDir: string, archive: Buffer<ArrayBuffer>) => Promise<void>,
): Promise<void> {
  const existing = await fs.readdir(dataDir).catch(() => [] as string[]);
  if (existing.length > 0) {
    throw new Error(
      `${dataDir} is not empty: stop the platform and move it aside (e.g. to ${path.basename(dataDir)}.old) before restoring`,
    );
  }
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const data = await fs.readFile(file);
  await load(dataDir, data);
}
