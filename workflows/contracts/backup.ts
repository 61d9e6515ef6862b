// The nightly backup (Schedule `backup`, 04:00 UTC): one dump with its checksum, then retention.

export const BACKUP_SCHEDULE_ID = 'backup';
/** Schedule-started backups get `backup-<scheduled time>`. */
export const BACKUP_WORKFLOW_ID = 'backup';
export const BACKUP_WORKFLOW = 'backupWorkflow';

export interface BackupInput {
  triggerSource: 'schedule' | 'manual';
}

interface BackupDatabaseResult {
  backupRunId: string;
  kind: 'pg_dump' | 'pglite';
  /** File name inside config.backup.dir. */
  file: string;
  bytes: number;
  sha256: string;
}

interface PruneBackupsResult {
  deleted: string[];
  kept: number;
}

export interface BackupSummary {
  backup: BackupDatabaseResult;
  pruned: PruneBackupsResult;
}
