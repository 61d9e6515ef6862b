import { proxyActivities } from '@temporalio/workflow';
import type { BackupActivities } from '../activities/backup';
import type { BackupInput, BackupSummary } from './contracts/backup';

const { backupDatabase } = proxyActivities<BackupActivities>({
  // A big database dumps for a while; a stuck pg_dump is caught by the heartbeat timeout instead.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 3 },
});

const { pruneOldBackups } = proxyActivities<BackupActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

/**
 * Nightly backup (the `backup` Schedule, 04:00 UTC): one dump with its checksum, then backups older than the
 * retention period are deleted. Retention runs only after a successful dump, so a failing dump never leaves
 * the folder emptier.
 */
export async function backupWorkflow(_input: BackupInput): Promise<BackupSummary> {
  const backup = await backupDatabase.executeWithOptions(
    { summary: 'Dump the database with its checksum' },
    [],
  );
  const pruned = await pruneOldBackups.executeWithOptions(
    { summary: 'Delete backups older than the retention period' },
    [{ backupRunId: backup.backupRunId }],
  );
  return { backup, pruned };
}
