import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dropPartitionedTables, loadPgliteDataDir } from '../data/backups';
import { ChecksumError } from '../lib/backup/files';
import { restoreBackup } from '../lib/backup/restore';
import { loadConfigOrExit } from '../lib/config';

const usage = `usage: npm run restore -- <backup file> [--database-url <url>] [--pglite-dir <folder>]

  <file>.dump     pg_restore --clean --if-exists --no-owner into --database-url (default: DATABASE_URL)
  <file>.tar.gz   unpack the PGlite data folder into --pglite-dir (default: the platform's data folder);
                  stop the platform and move the old folder aside first

The file's .sha256 is checked first: a missing or mismatching checksum restores nothing.
A bare file name is looked up in the backup folder (BACKUP_DIR).`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'pglite-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(usage);
    process.exit(values.help ? 0 : 64); // EX_USAGE
  }
  const config = loadConfigOrExit();
  const given = positionals[0]!;
  const file =
    fs.existsSync(given) || path.isAbsolute(given)
      ? path.resolve(given)
      : path.join(config.backup.dir, given);
  if (!fs.existsSync(file)) {
    console.error(`No such backup: ${file}`);
    process.exit(66); // EX_NOINPUT
  }
  const databaseUrl = values['database-url'] ?? config.database.url;
  const pgliteDir = path.resolve(values['pglite-dir'] ?? config.database.pgliteDir);
  const startedAt = Date.now();
  const result = await restoreBackup({
    file,
    databaseUrl,
    pgliteDir,
    pgRestorePath: config.backup.pgRestorePath,
    database: { dropPartitionedTables, loadPgliteDataDir },
  });
  const target = result.kind === 'pg_dump' ? redact(databaseUrl!) : pgliteDir;
  console.log(
    `Restored ${path.basename(file)} (sha256 ${result.sha256.slice(0, 12)}…) into ${target} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}

/** The URL without its password, for the log line. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof ChecksumError ? `Refusing to restore: ${err.message}` : err);
    process.exit(err instanceof ChecksumError ? 2 : 1);
  },
);
