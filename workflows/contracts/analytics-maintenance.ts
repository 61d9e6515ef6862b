// Daily analytics upkeep (Schedule `analytics-maintenance`, 02:15 UTC): monthly partitions of analytics_events
// made ahead, partitions past the retention dropped, old unique-visitor salts and first visits forgotten.

export const ANALYTICS_MAINTENANCE_SCHEDULE_ID = 'analytics-maintenance';
/** Schedule-started runs get `analytics-maintenance-<scheduled time>`. */
export const ANALYTICS_MAINTENANCE_WORKFLOW_ID = 'analytics-maintenance';
export const ANALYTICS_MAINTENANCE_WORKFLOW = 'analyticsMaintenanceWorkflow';

export interface AnalyticsMaintenanceInput {
  triggerSource: 'schedule' | 'manual';
  /** ISO instant to count months and days from (default: the workflow's start time); tests set it. */
  now?: string;
}

export interface AnalyticsMaintenanceSummary {
  /** Monthly partitions created ahead. */
  partitionsCreated: number;
  /** Partitions of months before `retainedFrom`, detached and dropped. */
  partitionsDropped: string[];
  /** Rows of those months the default partition held, deleted. */
  defaultRowsDeleted: number;
  /** First month (YYYY-MM-01) whose raw events are kept. */
  retainedFrom: string;
  /** Daily salts and first-visit rows of days before `forgottenBefore`, deleted. */
  saltsDeleted: number;
  visitorsDeleted: number;
  forgottenBefore: string;
}
