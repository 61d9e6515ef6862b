import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  backupFileName,
  backupKindOf,
  ChecksumError,
  sha256File,
  verifyChecksum,
  writeChecksumFile,
} from './files';
import { splitDatabaseUrl } from './pg-tools';
import { pruneBackups } from './retention';

describe('backup files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-backup-files-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names backups by UTC time and kind', () => {
    const at = new Date('2026-11-26T04:00:07.123Z');
    expect(backupFileName('pg_dump', at)).toBe('hopflow-20261126T040007Z.dump');
    expect(backupFileName('pglite', at)).toBe('hopflow-20261126T040007Z.tar.gz');
    expect(backupKindOf('/x/hopflow-20261126T040007Z.tar.gz')).toBe('pglite');
    expect(() => backupKindOf('notes.txt')).toThrow('not a backup');
  });

  it('verifies a file against its .sha256 and refuses a changed or unchecked one', async () => {
    const file = path.join(dir, 'hopflow-20261126T040000Z.dump');
    fs.writeFileSync(file, 'PGDMP backup bytes');
    await writeChecksumFile(file, await sha256File(file));
    expect(fs.readFileSync(`${file}.sha256`, 'utf8')).toMatch(
      /^[0-9a-f]{64} {2}hopflow-20261126T040000Z\.dump\n$/,
    );
    await expect(verifyChecksum(file)).resolves.toHaveLength(64);

    fs.appendFileSync(file, '!');
    await expect(verifyChecksum(file)).rejects.toThrow(ChecksumError);
    fs.rmSync(`${file}.sha256`);
    await expect(verifyChecksum(file)).rejects.toThrow('no checksum file');
  });

  it('retention deletes backups (and checksums) past the cutoff and leaves newer ones and strangers alone', async () => {
    const now = new Date('2026-11-26T04:00:00Z');
    const old = new Date(now.getTime() - 31 * 86_400_000);
    const recent = new Date(now.getTime() - 29 * 86_400_000);
    const files: [string, Date][] = [
      ['hopflow-20261026T040000Z.dump', old],
      ['hopflow-20261026T040000Z.dump.sha256', old],
      ['hopflow-20261028T040000Z.tar.gz', recent],
      ['hopflow-20261028T040000Z.tar.gz.sha256', recent],
      ['hopflow-20261020T040000Z.dump.partial', old],
      ['my-own-dump.sql', old],
    ];
    for (const [name, mtime] of files) {
      fs.writeFileSync(path.join(dir, name), 'x');
      fs.utimesSync(path.join(dir, name), mtime, mtime);
    }
    const result = await pruneBackups({ dir, retentionDays: 30, now });
    expect(result).toEqual({
      deleted: ['hopflow-20261026T040000Z.dump'],
      kept: ['hopflow-20261028T040000Z.tar.gz'],
    });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'hopflow-20261028T040000Z.tar.gz',
      'hopflow-20261028T040000Z.tar.gz.sha256',
      'my-own-dump.sql',
    ]);
    await expect(pruneBackups({ dir: path.join(dir, 'missing'), retentionDays: 30 })).resolves.toEqual({
      deleted: [],
      kept: [],
    });
  });

  it('keeps the password out of the connection string passed to pg_dump', () => {
    expect(splitDatabaseUrl('postgres://app:s%40cret@db.internal:5432/hopflow?sslmode=require')).toEqual({
      dbname: 'postgres://app@db.internal:5432/hopflow?sslmode=require',
      password: 's@cret',
    });
    expect(splitDatabaseUrl('postgres://postgres@127.0.0.1/x').password).toBeUndefined();
  });
});
