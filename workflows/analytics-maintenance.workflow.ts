import { proxyActivities } from '@temporalio/workflow';
import type { AnalyticsMaintenanceActivities } from '../activities/analytics-maintenance';
import type {
  AnalyticsMaintenanceInput,
  AnalyticsMaintenanceSummary,
} from './contracts/analytics-maintenance';

const { ensureAnalyticsPartitions, dropExpiredAnalyticsPartitions, forgetOldVisitors } =
  proxyActivities<AnalyticsMaintenanceActivities>({
    startToCloseTimeout: '10 minutes',
    // A lock timeout while the redirect writes is worth waiting out; the next day's run catches up anyway.
    retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
  });

/**
 * Daily analytics upkeep (the `analytics-maintenance` Schedule): partitions ahead first (the one that must not
 * fail for long: without it a new month's events pile into the default partition), then retention, then the
 * unique-visitor salts and first visits older than two days.
 */
export async function analyticsMaintenanceWorkflow(
  input: AnalyticsMaintenanceInput,
): Promise<AnalyticsMaintenanceSummary> {
  // Workflow time (Date is deterministic inside a workflow), or the instant a test asks for.
  const now = input.now ?? new Date().toISOString();
  const ensured = await ensureAnalyticsPartitions.executeWithOptions(
    { summary: 'Create the monthly event partitions a year ahead' },
    [{ now }],
  );
  const expired = await dropExpiredAnalyticsPartitions.executeWithOptions(
    { summary: 'Drop event partitions older than the retention' },
    [{ now }],
  );
  const forgotten = await forgetOldVisitors.executeWithOptions(
    { summary: 'Delete unique-visitor salts and first visits older than two days' },
    [{ now }],
  );
  return {
    partitionsCreated: ensured.created,
    partitionsDropped: expired.dropped,
    defaultRowsDeleted: expired.defaultRowsDeleted,
    retainedFrom: expired.retainedFrom,
    saltsDeleted: forgotten.salts,
    visitorsDeleted: forgotten.visitors,
    forgottenBefore: forgotten.before,
  };
}
