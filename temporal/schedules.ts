import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsAction,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../lib/config';
import type { backupWorkflow } from '../workflows/backup.workflow';
import type { catalogSyncWorkflow } from '../workflows/catalog-sync.workflow';
import type { insightsDispatchWorkflow } from '../workflows/insights.workflow';
import {
  BACKUP_SCHEDULE_ID,
  BACKUP_WORKFLOW_ID,
  BACKUP_WORKFLOW_TYPE,
  INSIGHTS_DISPATCH_WORKFLOW_ID,
  INSIGHTS_DISPATCH_WORKFLOW_TYPE,
  INSIGHTS_SCHEDULE_ID,
} from './nightly-ids';
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

// Every hour at minute 0: the dispatcher starts the insight of each team whose local time is then 03:00
// (in zones with a half-hour offset that is 03:30 local).
export const insightsSpec: ScheduleSpec = {
  calendars: [{ hour: { start: 0, end: 23 }, minute: 0, comment: 'hourly: teams whose local time is 03:00' }],
  timezone: 'UTC',
};

const insightsAction: ScheduleOptionsStartWorkflowAction<typeof insightsDispatchWorkflow> = {
  type: 'startWorkflow',
  workflowType: INSIGHTS_DISPATCH_WORKFLOW_TYPE,
  workflowId: INSIGHTS_DISPATCH_WORKFLOW_ID,
  taskQueue: TaskQueue.main,
  args: [{ triggerSource: 'schedule' }],
  typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'schedule' }],
  staticSummary: 'Start the nightly insight of every team whose local time is 03:00',
};

const insightsPolicies = {
  overlap: ScheduleOverlapPolicy.SKIP,
  // A missed hour is caught up within the hour only: later, "now" no longer reads 03:00 for those teams.
  catchupWindow: '50 minutes',
} as const;

// 04:00 UTC every day.
export const backupSpec: ScheduleSpec = {
  calendars: [{ hour: 4, minute: 0, comment: 'nightly backup at 04:00 UTC' }],
  timezone: 'UTC',
};

const backupAction: ScheduleOptionsStartWorkflowAction<typeof backupWorkflow> = {
  type: 'startWorkflow',
  workflowType: BACKUP_WORKFLOW_TYPE,
  workflowId: BACKUP_WORKFLOW_ID,
  taskQueue: TaskQueue.main,
  args: [{ triggerSource: 'schedule' }],
  typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'schedule' }],
  staticSummary: 'Nightly database backup with checksum and retention',
};

const backupPolicies = {
  overlap: ScheduleOverlapPolicy.SKIP,
  // After an outage the night's backup still runs, once.
  catchupWindow: '12 hours',
} as const;

/**
 * Creates the platform's Schedules, or brings existing ones to this definition (idempotent: every api and
 * worker start calls it). `config` is accepted so future schedules can depend on settings.
 */
export async function ensureSchedules(client: Client, _config?: Pick<Config, 'temporal'>): Promise<void> {
  await ensureSchedule(
    client,
    CATALOG_SYNC_SCHEDULE_ID,
    catalogSyncSpec,
    catalogSyncAction,
    catalogSyncPolicies,
  );
  await ensureSchedule(client, INSIGHTS_SCHEDULE_ID, insightsSpec, insightsAction, insightsPolicies);
  await ensureSchedule(client, BACKUP_SCHEDULE_ID, backupSpec, backupAction, backupPolicies);
}

/** Creates one Schedule, or brings an existing one to this definition (keeping its other policies). */
async function ensureSchedule(
  client: Client,
  scheduleId: string,
  spec: ScheduleSpec,
  action: ScheduleOptionsAction,
  policies: ScheduleOptions['policies'],
): Promise<void> {
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec,
      action,
      policies: { ...previous.policies, ...policies },
    }));
  }
}
