// Run with tsx in a plain Node process (Jest's sandbox rejects PGlite's dynamic import of its WASM):
//   tsx tests/support/scenarios/backup-pglite.ts <workDir>
// Makes a scratch PGlite database, backs it up while it is open (as the embedded platform would), restores the
// tarball into a fresh folder and prints what each side holds.
import fs from 'node:fs';
import path from 'node:path';
import { dropPartitionedTables, dumpPgliteDataDir, loadPgliteDataDir } from '../../../data/backups';
import { createDb } from '../../../db/connection';
import { restoreBackup } from '../../../lib/backup/restore';
import { writeBackup } from '../../../lib/backup/run';

async function rowsOf(pgliteDir: string): Promise<{ name: string; qty: number }[]> {
  const db = createDb({ database: { pgliteDir, poolMax: 1 } });
  try {
    return await db('backup_probe').select<{ name: string; qty: number }[]>('name', 'qty').orderBy('name');
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const workDir = process.argv[2];
  if (!workDir) throw new Error('usage: backup-pglite.ts <workDir>');
  const sourceDir = path.join(workDir, 'source');
  const backupDir = path.join(workDir, 'backups');
  const restoredDir = path.join(workDir, 'restored');

  const db = createDb({ database: { pgliteDir: sourceDir, poolMax: 1 } });
  let backup;
  try {
    await db.schema.createTable('backup_probe', (t) => {
      t.text('name').primary();
      t.integer('qty').notNullable();
    });
    await db('backup_probe').insert([
      { name: 'alpha', qty: 1 },
      { name: 'beta', qty: 2 },
      { name: 'gamma', qty: 3 },
    ]);
    // Backed up while the database is open and in use, as the nightly run does.
    backup = await writeBackup({
      dumpPglite: () => dumpPgliteDataDir(db),
      dir: backupDir,
      pgDumpPath: 'pg_dump',
    });
    await db('backup_probe').insert({ name: 'after-backup', qty: 4 });
  } finally {
    await db.destroy();
  }

  const restore = () =>
    restoreBackup({
      file: backup.file,
      pgliteDir: restoredDir,
      pgRestorePath: 'pg_restore',
      database: { dropPartitionedTables, loadPgliteDataDir },
    });
  await restore();
  let refusedNonEmpty = false;
  try {
    await restore();
  } catch {
    refusedNonEmpty = true;
  }
  const result = {
    backup: { ...backup, name: path.basename(backup.file), files: fs.readdirSync(backupDir).sort() },
    sourceRows: await rowsOf(sourceDir),
    restoredRows: await rowsOf(restoredDir),
    refusedNonEmpty,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
