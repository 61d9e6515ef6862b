/** Labels and filters for the runs API (the team's workflows from Temporal visibility; shapes: $api/runs). */
import type { RunStatus } from '$api/runs';

/** The statuses the run list filters by (a run that continued as new lives on under the same id). */
export const runStatuses = [
  'running',
  'completed',
  'failed',
  'canceled',
  'terminated',
  'timed_out',
] as const satisfies readonly RunStatus[];

export function isRunning(status: string): boolean {
  return status.toLowerCase() === 'running';
}

/** The team-scoped workflow types a user can filter by (the catalog sync is platform-wide, not a team's). */
export const runTypes = [
  { value: 'contentPipelineWorkflow', label: 'Content pipeline' },
  { value: 'clickbankNotificationWorkflow', label: 'ClickBank notification' },
  { value: 'platformCheckWorkflow', label: 'Platform check' },
] as const;

export function runTypeLabel(type: string): string {
  return runTypes.find((t) => t.value === type)?.label ?? type;
}

export function runStatusLabel(status: string): string {
  return status.toLowerCase().replace(/_/g, ' ');
}
