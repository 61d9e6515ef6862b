/** Platform check: proves API -> Temporal -> worker -> database -> API end to end (priority queue). */
export const PLATFORM_CHECK_WORKFLOW = 'platformCheckWorkflow';

/** One object argument, so fields can be added without breaking running or queued executions. */
export interface PlatformCheckInput {
  checkId: string;
  teamId: string;
  requestedBy: string | null;
}

/** What the worker saw; stored in platform_checks.result and returned by the workflow. */
export interface PlatformCheckResult {
  checkId: string;
  teamId: string;
  workflowId: string;
  database: { serverTime: string; version: string; latencyMs: number };
  team: { memberCount: number };
  pendingChecks: number;
  worker: { identity: string; taskQueue: string; attempt: number };
}

/** Business key: a second start for the same check finds the existing run instead of starting another. */
export const platformCheckWorkflowId = (checkId: string): string => `platform-check:${checkId}`;
