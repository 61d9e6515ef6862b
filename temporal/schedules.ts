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
import {
  ANALYTICS_MAINTENANCE_SCHEDULE_ID,
  ANALYTICS_MAINTENANCE_WORKFLOW,
  ANALYTICS_MAINTENANCE_WORKFLOW_ID,
  type AnalyticsMaintenanceInput,
} from '../workflows/contracts/analytics-maintenance';
import {
  BACKUP_SCHEDULE_ID,
  BACKUP_WORKFLOW_ID,
  BACKUP_WORKFLOW,
  type BackupInput,
} from '../workflows/contracts/backup';
import {
  CATALOG_SYNC_SCHEDULE_ID,
  CATALOG_SYNC_WORKFLOW,
  CATALOG_SYNC_WORKFLOW_ID,
  catalogSyncSummary,
  type CatalogSyncInput,
} from '../workflows/contracts/catalog-sync';
import {
  INSIGHTS_DISPATCH_WORKFLOW_ID,
  INSIGHTS_DISPATCH_WORKFLOW,
  INSIGHTS_SCHEDULE_ID,
  type InsightsDispatchInput,
} from '../workflows/contracts/insights';
import { SearchAttr } from '../workflows/contracts/search-attributes';
import { TaskQueue } from '../workflows/contracts/task-queues';

/** What a Schedule starts: a workflow whose one argument can be `{ triggerSource: 'schedule' }`. */
type ScheduledWorkflow = (input: { triggerSource: 'schedule' }) => Promise<unknown>;
// Compile-time check that each scheduled workflow's input accepts that argument.
const scheduledWorkflowsAcceptInput: { triggerSource: 'schedule' } extends CatalogSyncInput &
  InsightsDispatchInput &
  BackupInput &
  AnalyticsMaintenanceInput
  ? true
  : never = true;
void scheduledWorkflowsAcceptInput;

/**
 * The action of a platform Schedule: start `workflowType` on the main queue, marked as scheduled for ops.
 * Temporal appends the scheduled time to `workflowId`, so each run has its own id.
 */
const scheduledStart = (
  workflowType: string,
  workflowId: string,
  staticSummary: string,
): ScheduleOptionsStartWorkflowAction<ScheduledWorkflow> => ({
  type: 'startWorkflow',
  workflowType,
  workflowId,
  taskQueue: TaskQueue.main,
  args: [{ triggerSource: 'schedule' }],
  typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'schedule' }],
  staticSummary,
});

interface PlatformSchedule {
  id: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
  policies: ScheduleOptions['policies'];
}

// Every hour at minute 0: the dispatcher starts the insight of each team whose local time is then 03:00
// (in zones with a half-hour offset that is 03:30 local).
const insightsSpec: ScheduleSpec = {
  calendars: [{ hour: { start: 0, end: 23 }, minute: 0, comment: 'hourly: teams whose local time is 03:00' }],
  timezone: 'UTC',
};

// 04:00 UTC every day.
const backupSpec: ScheduleSpec = {
  calendars: [{ hour: 4, minute: 0, comment: 'nightly backup at 04:00 UTC' }],
  timezone: 'UTC',
};

// 02:15 UTC every day: before the 04:00 backup, after most of the world's midnight (salts of a new UTC day).
const analyticsMaintenanceSpec: ScheduleSpec = {
  calendars: [{ hour: 2, minute: 15, comment: 'daily analytics partitions, retention and salts' }],
  timezone: 'UTC',
};

const platformSchedules: PlatformSchedule[] = [
  {
    id: CATALOG_SYNC_SCHEDULE_ID,
    spec: { intervals: [{ every: '1 hour' }] },
    action: scheduledStart(CATALOG_SYNC_WORKFLOW, CATALOG_SYNC_WORKFLOW_ID, catalogSyncSummary('schedule')),
    policies: {
      // A sync still running an hour later is not doubled up.
      overlap: ScheduleOverlapPolicy.SKIP,
      // After an outage, one missed hour is caught up; older ones are pointless (the next run syncs everything).
      catchupWindow: '1 hour',
    },
  },
  {
    id: INSIGHTS_SCHEDULE_ID,
    spec: insightsSpec,
    action: scheduledStart(
      INSIGHTS_DISPATCH_WORKFLOW,
      INSIGHTS_DISPATCH_WORKFLOW_ID,
      'Start the nightly insight of every team whose local time is 03:00',
    ),
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // A missed hour is caught up within the hour only: later, "now" no longer reads 03:00 for those teams.
      catchupWindow: '50 minutes',
    },
  },
  {
    id: BACKUP_SCHEDULE_ID,
    spec: backupSpec,
    action: scheduledStart(
      BACKUP_WORKFLOW,
      BACKUP_WORKFLOW_ID,
      'Nightly database backup with checksum and retention',
    ),
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // After an outage the night's backup still runs, once.
      catchupWindow: '12 hours',
    },
  },
  {
    id: ANALYTICS_MAINTENANCE_SCHEDULE_ID,
    spec: analyticsMaintenanceSpec,
    action: scheduledStart(
      ANALYTICS_MAINTENANCE_WORKFLOW,
      ANALYTICS_MAINTENANCE_WORKFLOW_ID,
      'Analytics upkeep: event partitions ahead, retention, old visitor salts',
    ),
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // Missed days need no catching up one by one: each run does all that is due.
      catchupWindow: '12 hours',
    },
  },
];

/**
 * Creates the platform's Schedules, or brings existing ones to this definition (idempotent: every api and
 * worker start calls it). `config` is accepted so future schedules can depend on settings.
 */
export async function ensureSchedules(client: Client, _config?: Pick<Config, 'temporal'>): Promise<void> {
  for (const schedule of platformSchedules) await ensureSchedule(client, schedule);
}

/** Creates one Schedule, or brings an existing one to this definition (keeping its other policies). */
async function ensureSchedule(
  client: Client,
  { id: scheduleId, spec, action, policies }: PlatformSchedule,
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
