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
  attempt: number;
  failure?: string | { message?: string } | null;
}

export interface RunDetail extends RunSummary {
  progress?: Record<string, unknown> | null;
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
