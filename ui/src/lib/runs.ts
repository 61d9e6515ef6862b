/** Shapes of the runs API (the team's workflows from Temporal visibility). */
export interface RunSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  summary: string | null;
  startTime: string;
  closeTime: string | null;
  temporalUrl: string;
}

export interface TimelineStep {
  step: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  activityType?: string;
  attempt: number;
  failure?: string | { message?: string } | null;
}

export interface RunDetail extends RunSummary {
  progress?: Record<string, unknown> | null;
  failure?: string;
  timeline: TimelineStep[];
}

export const runStatuses = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out'] as const;

export function isRunning(status: string): boolean {
  return status.toLowerCase() === 'running';
}

export function failureText(failure: TimelineStep['failure']): string | null {
  if (!failure) return null;
  return typeof failure === 'string' ? failure : (failure.message ?? JSON.stringify(failure));
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
