// Names shared by the insights workflows, their Schedule and the API (no workflow or Node imports, so both
// the workflow bundle and the API can load it).

export const INSIGHTS_SCHEDULE_ID = 'insights';
/** Schedule-started dispatcher runs get `insights-dispatch-<scheduled time>`. */
export const INSIGHTS_DISPATCH_WORKFLOW_ID = 'insights-dispatch';
export const INSIGHTS_DISPATCH_WORKFLOW_TYPE = 'insightsDispatchWorkflow';
export const TEAM_INSIGHTS_WORKFLOW_TYPE = 'teamInsightsWorkflow';

export const BACKUP_SCHEDULE_ID = 'backup';
/** Schedule-started backups get `backup-<scheduled time>`. */
export const BACKUP_WORKFLOW_ID = 'backup';
export const BACKUP_WORKFLOW_TYPE = 'backupWorkflow';

/** Business key: one insight run per team and day, so the hourly dispatcher never starts a day twice. */
export const teamInsightsWorkflowId = (teamId: string, day: string): string => `insights:${teamId}:${day}`;

export const teamInsightsSummaryText = (input: {
  teamId: string;
  day: string;
  triggerSource: string;
}): string => `Nightly insight for team ${input.teamId}, ${input.day} (${input.triggerSource})`;
