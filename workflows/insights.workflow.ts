import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, WorkflowIdReusePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { EmailActivities, TrackedEmailResult } from '../activities/email';
import type { DueTeam, InsightActivities } from '../activities/insights';
import {
  teamInsightsSummaryText,
  teamInsightsWorkflowId,
  type InsightsDispatchInput,
  type InsightsDispatchSummary,
  type TeamInsightsInput,
  type TeamInsightsSummary,
} from './contracts/insights';
import { SearchAttr } from './contracts/search-attributes';
import { TaskQueue } from './contracts/task-queues';

const { computeInsightFigures, storeInsight, prepareInsightEmails } = proxyActivities<InsightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

const { writeInsightSummary } = proxyActivities<InsightActivities>({
  // AI generation runs on the slow queue, like the content pipeline.
  taskQueue: TaskQueue.slow,
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '1 minute',
  // Permanent Claude failures (bad key, not connected) arrive non-retryable from toActivityFailure.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 6 },
});

const { findTeamsDueForInsights } = proxyActivities<InsightActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

const { sendTrackedEmail } = proxyActivities<EmailActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 10 },
});

/**
 * One team's nightly insight: roll the day's events up, have Claude write a short note on the figures (a
 * plain "no activity" text when nothing happened), store it (team + day, a rerun replaces it) and email it to
 * the members who opted in. Each email has its own key, so a rerun of the same day sends nothing twice.
 */
export async function teamInsightsWorkflow(input: TeamInsightsInput): Promise<TeamInsightsSummary> {
  const ref = { teamId: input.teamId, day: input.day };
  const figures = await computeInsightFigures.executeWithOptions(
    { summary: `Roll up ${input.day}'s clicks, sales, refunds and revenue per campaign` },
    [ref],
  );
  const text = await writeInsightSummary.executeWithOptions(
    { summary: 'Write the insight with Claude (or the plain no-activity note)' },
    [{ ...ref, figures }],
  );
  const { insightId } = await storeInsight.executeWithOptions({ summary: 'Store the insight' }, [
    { ...ref, figures, text },
  ]);
  const emails = await prepareInsightEmails.executeWithOptions(
    { summary: 'Compose the email for members who opted in' },
    [ref],
  );
  const results: TrackedEmailResult[] = [];
  for (const email of emails) {
    results.push(
      await sendTrackedEmail.executeWithOptions({ summary: `Email the insight to ${email.to}` }, [email]),
    );
  }
  return {
    insightId,
    day: input.day,
    totals: figures.totals,
    wroteWithClaude: text.model !== null,
    emails: {
      sent: results.filter((r) => r.status === 'sent' && !r.duplicate).length,
      duplicate: results.filter((r) => r.status === 'sent' && r.duplicate).length,
      skipped: results.filter((r) => r.status === 'skipped').length,
      refused: results.filter((r) => r.status === 'refused').length,
    },
  };
}

/**
 * Hourly (the `insights` Schedule, minute 0): starts `insights:<team>:<yesterday>` for every team whose local
 * time is 03:00 now. Children are abandoned on completion (each team's run stands alone) and a day that
 * already ran is skipped, so a caught-up or repeated hour never doubles a team's insight.
 */
export async function insightsDispatchWorkflow(
  input: InsightsDispatchInput,
): Promise<InsightsDispatchSummary> {
  const now = input.now ?? new Date().toISOString();
  const due: DueTeam[] = await findTeamsDueForInsights.executeWithOptions(
    { summary: 'Find teams whose local time is 03:00' },
    [{ now, localHour: input.localHour ?? 3 }],
  );
  const summary: InsightsDispatchSummary = { now, started: [], alreadyStarted: [] };
  for (const team of due) {
    const child: TeamInsightsInput = {
      teamId: team.teamId,
      day: team.day,
      triggerSource: input.triggerSource,
    };
    const workflowId = teamInsightsWorkflowId(team.teamId, team.day);
    try {
      await startChild(teamInsightsWorkflow, {
        workflowId,
        args: [child],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SearchAttr.TeamId, value: team.teamId },
          { key: SearchAttr.TriggerSource, value: input.triggerSource },
        ],
        staticSummary: teamInsightsSummaryText(child),
      });
      summary.started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      summary.alreadyStarted.push(workflowId);
    }
  }
  return summary;
}
