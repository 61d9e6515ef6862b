// The nightly insights: an hourly dispatcher (Schedule `insights`) starts one teamInsightsWorkflow per team
// whose local time is 03:00; the API starts one by hand.

export const INSIGHTS_SCHEDULE_ID = 'insights';
/** Schedule-started dispatcher runs get `insights-dispatch-<scheduled time>`. */
export const INSIGHTS_DISPATCH_WORKFLOW_ID = 'insights-dispatch';
export const INSIGHTS_DISPATCH_WORKFLOW = 'insightsDispatchWorkflow';
export const TEAM_INSIGHTS_WORKFLOW = 'teamInsightsWorkflow';

type InsightTriggerSource = 'schedule' | 'manual';

export interface TeamInsightsInput {
  teamId: string;
  /** The team's local calendar day the insight covers (YYYY-MM-DD). */
  day: string;
  triggerSource: InsightTriggerSource;
}

/** A day's figures for the team: all campaigns together. */
interface InsightTotals {
  clicks: number;
  sales: number;
  refunds: number;
  /** Sales and rebills minus refunds and chargebacks, in the account currency. */
  revenue: number;
}

export interface TeamInsightsSummary {
  insightId: string;
  day: string;
  totals: InsightTotals;
  wroteWithClaude: boolean;
  emails: { sent: number; duplicate: number; skipped: number; refused: number };
}

export interface InsightsDispatchInput {
  triggerSource: InsightTriggerSource;
  /** ISO instant to decide for (default: the workflow's start time). */
  now?: string;
  /** Local hour the insight is due (default 3). */
  localHour?: number;
}

export interface InsightsDispatchSummary {
  now: string;
  started: string[];
  alreadyStarted: string[];
}

/** Business key: one insight run per team and day, so the hourly dispatcher never starts a day twice. */
export const teamInsightsWorkflowId = (teamId: string, day: string): string => `insights:${teamId}:${day}`;

export const teamInsightsSummaryText = (input: {
  teamId: string;
  day: string;
  triggerSource: string;
}): string => `Nightly insight for team ${input.teamId}, ${input.day} (${input.triggerSource})`;
