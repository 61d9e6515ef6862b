import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../lib/config';
import type { catalogSyncWorkflow } from '../workflows/catalog-sync.workflow';
import { SearchAttr } from './search-attributes';
import {
  CATALOG_SYNC_SCHEDULE_ID,
  CATALOG_SYNC_WORKFLOW_ID,
  CATALOG_SYNC_WORKFLOW_TYPE,
  catalogSyncSummary,
} from './start-catalog-sync';
import { TaskQueue } from './task-queues';

const catalogSyncSpec: ScheduleSpec = { intervals: [{ every: '1 hour' }] };

const catalogSyncAction: ScheduleOptionsStartWorkflowAction<typeof catalogSyncWorkflow> = {
  type: 'startWorkflow',
  workflowType: CATALOG_SYNC_WORKFLOW_TYPE,
  // Temporal appends the scheduled time, so each hourly run has its own id.
  workflowId: CATALOG_SYNC_WORKFLOW_ID,
  taskQueue: TaskQueue.main,
  args: [{ triggerSource: 'schedule' }],
  typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'schedule' }],
  staticSummary: catalogSyncSummary('schedule'),
};

const catalogSyncPolicies = {
  // A sync still running an hour later is not doubled up.
  overlap: ScheduleOverlapPolicy.SKIP,
  // After an outage, one missed hour is caught up; older ones are pointless (the next run syncs everything).
  catchupWindow: '1 hour',
} as const;

/**
 * Creates the platform's Schedules, or brings existing ones to this definition (idempotent: every api and
 * worker start calls it). `config` is accepted so future schedules can depend on settings.
 */
export async function ensureSchedules(client: Client, _config?: Pick<Config, 'temporal'>): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: CATALOG_SYNC_SCHEDULE_ID,
      spec: catalogSyncSpec,
      action: catalogSyncAction,
      policies: catalogSyncPolicies,
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(CATALOG_SYNC_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec: catalogSyncSpec,
      action: catalogSyncAction,
      policies: { ...previous.policies, ...catalogSyncPolicies },
    }));
  }
}
