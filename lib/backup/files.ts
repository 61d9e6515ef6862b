import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** What a backup file holds: a pg_dump custom-format archive or a gzipped tarball of PGlite's data folder. */
export type BackupKind = 'pg_dump' | 'pglite';

const backupExtension: Record<BackupKind, string> = { pg_dump: '.dump', pglite: '.tar.gz' };

/** Files this code wrote: `hopflow-20261126T040000Z.dump` or `.tar.gz`. Nothing else in the folder is touched. */
const backupNamePattern = /^hopflow-\d{8}T\d{6}Z\.(dump|tar\.gz)$/;

export const isBackupFileName = (name: string): boolean => backupNamePattern.test(name);

export function backupKindOf(file: string): BackupKind {
  const name = path.basename(file);
  if (name.endsWith('.dump')) return 'pg_dump';
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'pglite';
  throw new Error(`${name}: not a backup (expected a .dump or .tar.gz file)`);
}

/** `hopflow-<UTC timestamp>.<ext>`, e.g. hopflow-20261126T040000Z.dump. */
export function backupFileName(kind: BackupKind, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `hopflow-${stamp}${backupExtension[kind]}`;
}

export const checksumPath = (file: string): string => `${file}.sha256`;

/** Hex sha256 of a file, streamed (dumps can be large). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes `<file>.sha256` in `sha256sum` format (`<hex>  <name>`), so `sha256sum -c` checks it too.
 * `name` is the final file name when `file` is still a temporary one.
 */
export async function writeChecksumFile(target: string, sha256: string): Promise<void> {
  const tmp = `${checksumPath(target)}.partial`;
  await fs.writeFile(tmp, `${sha256}  ${path.basename(target)}\n`);
  await fs.rename(tmp, checksumPath(target));
}

export class ChecksumError extends Error {
  override name = 'ChecksumError';
}

/** Refuses (ChecksumError) a file whose `.sha256` is missing, unreadable or does not match its content. */
export async function verifyChecksum(file: string): Promise<string> {
  let line: string;
  try {
    line = await fs.readFile(checksumPath(file), 'utf8');
  } catch {
    throw new ChecksumError(`${path.basename(file)}: no checksum file ${path.basename(checksumPath(file))}`);
  }
  const expected = /^([0-9a-f]{64})\b/i.exec(line.trim())?.[1]?.toLowerCase();
  if (!expected) throw new ChecksumError(`${checksumPath(file)} does not hold a sha256`);
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new ChecksumError(
      `${path.basename(file)} does not match its checksum (expected ${expected}, got ${actual}): not restoring`,
    );
  }
  return actual;
}
