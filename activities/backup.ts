import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import { pruneBackups } from '../lib/backup/retention';
import { writeBackup } from '../lib/backup/run';
import {
  completeBackupRun,
  dumpPgliteDataDir,
  failBackupRun,
  insertBackupRun,
  recordPrunedBackups,
} from '../data/backups';

export interface BackupActivityDeps {
  db: Knex;
  config: Pick<Config, 'backup' | 'database' | 'embedded'>;
}

export interface BackupDatabaseResult {
  backupRunId: string;
  kind: 'pg_dump' | 'pglite';
  /** File name inside config.backup.dir. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface PruneBackupsInput {
  backupRunId?: string;
  /** ISO time retention counts back from (default now); tests set it. */
  now?: string;
}

export interface PruneBackupsResult {
  deleted: string[];
  kept: number;
}

export function createBackupActivities({ db, config }: BackupActivityDeps) {
  return {
    /**
     * One backup into config.backup.dir: pg_dump (custom format) with DATABASE_URL, a tarball of the PGlite
     * data folder under the embedded default. Heartbeats the bytes written so a stuck dump is noticed; each
     * attempt is logged in backup_runs.
     */
    async backupDatabase(): Promise<BackupDatabaseResult> {
      const ctx = Context.current();
      const kind = config.embedded ? 'pglite' : 'pg_dump';
      const backupRunId = await insertBackupRun(db, kind, ctx.info.workflowExecution?.workflowId ?? null);
      let bytes = 0;
      const beat = setInterval(() => ctx.heartbeat({ bytes }), 5_000);
      try {
        const done = await writeBackup(
          {
            databaseUrl: config.embedded ? undefined : config.database.url,
            dumpPglite: () => dumpPgliteDataDir(db),
            dir: config.backup.dir,
            pgDumpPath: config.backup.pgDumpPath,
          },
          {
            signal: ctx.cancellationSignal,
            onProgress: (written) => {
              bytes = written;
            },
          },
        );
        await completeBackupRun(db, backupRunId, {
          file: path.basename(done.file),
          bytes: done.bytes,
          sha256: done.sha256,
        });
        return {
          backupRunId,
          kind: done.kind,
          file: path.basename(done.file),
          bytes: done.bytes,
          sha256: done.sha256,
        };
      } catch (err) {
        // The backup's own error is the one to report, not a failure to log it.
        await failBackupRun(db, backupRunId, (err as Error).message).catch(() => undefined);
        throw err;
      } finally {
        clearInterval(beat);
      }
    },

    /** Deletes backups older than config.backup.retentionDays (with their checksum files). */
    async pruneOldBackups(input: PruneBackupsInput = {}): Promise<PruneBackupsResult> {
      const result = await pruneBackups({
        dir: config.backup.dir,
        retentionDays: config.backup.retentionDays,
        now: input.now ? new Date(input.now) : new Date(),
      });
      if (input.backupRunId) {
        await recordPrunedBackups(db, input.backupRunId, result.deleted.length);
      }
      return { deleted: result.deleted, kept: result.kept.length };
    },
  };
}

export type BackupActivities = ReturnType<typeof createBackupActivities>;
