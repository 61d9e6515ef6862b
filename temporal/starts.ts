import { randomUUID } from 'node:crypto';
import {
  ScheduleNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  BROADCAST_WORKFLOW,
  broadcastWorkflowId,
  type BroadcastInput,
  type BroadcastProgress,
} from '../workflows/contracts/broadcast';
import {
  CATALOG_SYNC_SCHEDULE_ID,
  CATALOG_SYNC_WORKFLOW,
  CATALOG_SYNC_WORKFLOW_ID,
  catalogSyncSummary,
  type CatalogSyncInput,
  type CatalogSyncSummary,
} from '../workflows/contracts/catalog-sync';
import {
  CLICKBANK_NOTIFICATION_WORKFLOW,
  clickbankNotificationWorkflowId,
  type ClickbankNotificationInput,
  type ClickbankNotificationResult,
} from '../workflows/contracts/clickbank-notification';
import {
  CONTACT_IMPORT_WORKFLOW,
  contactImportWorkflowId,
  type ContactImportInput,
  type ContactImportProgress,
} from '../workflows/contracts/contact-import';
import {
  CONTENT_PIPELINE_WORKFLOW,
  contentWorkflowId,
  type ContentPipelineInput,
  type ContentPipelineResult,
} from '../workflows/contracts/content-pipeline';
import {
  EMAIL_SEQUENCE_WORKFLOW,
  sequenceWorkflowId,
  type EmailSequenceInput,
  type SequenceProgress,
} from '../workflows/contracts/email-sequence';
import {
  TEAM_INSIGHTS_WORKFLOW,
  teamInsightsSummaryText,
  teamInsightsWorkflowId,
  type TeamInsightsInput,
  type TeamInsightsSummary,
} from '../workflows/contracts/insights';
import {
  PLATFORM_CHECK_WORKFLOW,
  platformCheckWorkflowId,
  type PlatformCheckInput,
  type PlatformCheckResult,
} from '../workflows/contracts/platform-check';
import {
  BONUS_TEST_WORKFLOW,
  bonusTestWorkflowId,
  type BonusTestInput,
  type BonusTestResult,
} from '../workflows/contracts/bonus-test';
import { SearchAttr } from '../workflows/contracts/search-attributes';
import { TaskQueue } from '../workflows/contracts/task-queues';

// One typed starter per workflow the API or an activity starts by hand: task queue, business-key id with its
// conflict and reuse policy, search attributes and the readable summary ops see in Temporal Web. Workflows are
// started by name with the contract's types, so API processes never load workflow code. (Schedules start the
// nightly and hourly runs: temporal/schedules.ts; parent workflows start their children.)

type Workflow<I, R> = (input: I) => Promise<R>;

/** The search attributes that apply (null: this run has none of that key). */
const present = (...pairs: (SearchAttributePair | null)[]): SearchAttributePair[] =>
  pairs.filter((pair): pair is SearchAttributePair => pair !== null);

/** The platform check: priority queue; a check runs once, even after it finished. */
export function startPlatformCheck(
  client: Client,
  input: PlatformCheckInput,
): Promise<WorkflowHandle<Workflow<PlatformCheckInput, PlatformCheckResult>>> {
  return client.workflow.start<Workflow<PlatformCheckInput, PlatformCheckResult>>(PLATFORM_CHECK_WORKFLOW, {
    taskQueue: TaskQueue.priority,
    workflowId: platformCheckWorkflowId(input.checkId),
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    typedSearchAttributes: present(
      { key: SearchAttr.TeamId, value: input.teamId },
      { key: SearchAttr.TriggerSource, value: 'api' },
      input.requestedBy ? { key: SearchAttr.UserId, value: input.requestedBy } : null,
    ),
    staticSummary: `Platform check ${input.checkId} for team ${input.teamId}`,
    // Nobody waits longer than this for a health check; a stuck run should end, not linger.
    workflowExecutionTimeout: '10 minutes',
  });
}

/** A sync run in progress: the manual one or the one the Schedule started. */
export interface RunningCatalogSync {
  workflowId: string;
  runId: string;
}

/** The running manual sync, else the running Schedule-started one, else null. */
export async function findRunningCatalogSync(client: Client): Promise<RunningCatalogSync | null> {
  try {
    const described = await client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID).describe();
    if (described.status.name === 'RUNNING')
      return { workflowId: described.workflowId, runId: described.runId };
  } catch (err) {
    if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
  }
  try {
    const schedule = await client.schedule.getHandle(CATALOG_SYNC_SCHEDULE_ID).describe();
    const running = schedule.info.runningActions[0];
    if (running) {
      return { workflowId: running.workflow.workflowId, runId: running.workflow.firstExecutionRunId };
    }
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  return null;
}

export interface StartedCatalogSync extends RunningCatalogSync {
  /** False when the call joined a sync that was already running. */
  started: boolean;
}

/**
 * Starts a manual sync, or joins the one already running (manual or scheduled). The id conflict policy
 * USE_EXISTING makes concurrent starts share one run; a per-call memo tells the caller whether it started it.
 */
export async function startCatalogSync(
  client: Client,
  opts: { userId?: string } = {},
): Promise<StartedCatalogSync> {
  const scheduled = await findRunningCatalogSync(client);
  if (scheduled && scheduled.workflowId !== CATALOG_SYNC_WORKFLOW_ID) return { ...scheduled, started: false };

  const requestId = randomUUID();
  const handle = await client.workflow.start<Workflow<CatalogSyncInput, CatalogSyncSummary>>(
    CATALOG_SYNC_WORKFLOW,
    {
      taskQueue: TaskQueue.main,
      workflowId: CATALOG_SYNC_WORKFLOW_ID,
      workflowIdConflictPolicy: 'USE_EXISTING',
      // The catalog is synced again and again under the same id.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [{ triggerSource: 'manual' }],
      memo: { requestId },
      typedSearchAttributes: present(
        { key: SearchAttr.TriggerSource, value: 'manual' },
        opts.userId ? { key: SearchAttr.UserId, value: opts.userId } : null,
      ),
      staticSummary: catalogSyncSummary('manual'),
    },
  );
  const runId = handle.firstExecutionRunId;
  const described = await client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID, runId).describe();
  const memo = described.memo as { requestId?: unknown } | undefined;
  return { workflowId: CATALOG_SYNC_WORKFLOW_ID, runId, started: memo?.requestId === requestId };
}

/** One pipeline run per content item, ever: a second start (even after it ended) fails, never runs twice. */
export function startContentPipeline(
  client: Client,
  s: { input: ContentPipelineInput; campaignId: string; userId: string; summary: string },
): Promise<WorkflowHandle<Workflow<ContentPipelineInput, ContentPipelineResult>>> {
  return client.workflow.start<Workflow<ContentPipelineInput, ContentPipelineResult>>(
    CONTENT_PIPELINE_WORKFLOW,
    {
      taskQueue: TaskQueue.main,
      workflowId: contentWorkflowId(s.input.contentId),
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [s.input],
      typedSearchAttributes: [
        { key: SearchAttr.TeamId, value: s.input.teamId },
        { key: SearchAttr.CampaignId, value: s.campaignId },
        { key: SearchAttr.ContentId, value: s.input.contentId },
        { key: SearchAttr.TriggerSource, value: 'api' },
        { key: SearchAttr.UserId, value: s.userId },
      ],
      staticSummary: s.summary,
    },
  );
}

/** A bonus email to the person who asked, as a test (one run per click). */
export function startBonusTest(
  client: Client,
  input: BonusTestInput,
): Promise<WorkflowHandle<Workflow<BonusTestInput, BonusTestResult>>> {
  return client.workflow.start<Workflow<BonusTestInput, BonusTestResult>>(BONUS_TEST_WORKFLOW, {
    taskQueue: TaskQueue.main,
    workflowId: bonusTestWorkflowId(input.bonusId, input.requestId),
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: input.teamId },
      { key: SearchAttr.TriggerSource, value: 'manual' },
      { key: SearchAttr.UserId, value: input.userId },
    ],
    staticSummary: 'Bonus test email to the person who asked',
  });
}

/** One run per broadcast, ever. */
export function startBroadcast(
  client: Client,
  s: { input: BroadcastInput; userId: string; name: string; tag: string },
): Promise<WorkflowHandle<Workflow<BroadcastInput, BroadcastProgress>>> {
  return client.workflow.start<Workflow<BroadcastInput, BroadcastProgress>>(BROADCAST_WORKFLOW, {
    taskQueue: TaskQueue.main,
    workflowId: broadcastWorkflowId(s.input.broadcastId),
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [s.input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: s.input.teamId },
      { key: SearchAttr.TriggerSource, value: 'manual' },
      { key: SearchAttr.UserId, value: s.userId },
    ],
    staticSummary: `Broadcast "${s.name}" to tag ${s.tag}`,
  });
}

/** One run per contact import, ever. */
export function startContactImport(
  client: Client,
  s: { input: ContactImportInput; userId: string; fileBytes: number },
): Promise<WorkflowHandleWithFirstExecutionRunId<Workflow<ContactImportInput, ContactImportProgress>>> {
  return client.workflow.start<Workflow<ContactImportInput, ContactImportProgress>>(CONTACT_IMPORT_WORKFLOW, {
    taskQueue: TaskQueue.main,
    workflowId: contactImportWorkflowId(s.input.importId),
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [s.input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: s.input.teamId },
      { key: SearchAttr.TriggerSource, value: 'api' },
      { key: SearchAttr.UserId, value: s.userId },
    ],
    staticSummary: `Contact import ${s.input.importId} (${Math.ceil(s.fileBytes / 1024)} KB CSV)`,
  });
}

/**
 * `seq:<sequence>:<contact>`: a running run is joined (USE_EXISTING, which also repairs a row whose start once
 * failed); a finished one is never restarted (REJECT_DUPLICATE: the start throws
 * WorkflowExecutionAlreadyStartedError).
 */
export function startEmailSequence(
  client: Client,
  s: {
    input: EmailSequenceInput;
    campaignId: string;
    triggerSource: string;
    sequenceName: string;
    contactEmail: string;
  },
): Promise<WorkflowHandle<Workflow<EmailSequenceInput, SequenceProgress>>> {
  return client.workflow.start<Workflow<EmailSequenceInput, SequenceProgress>>(EMAIL_SEQUENCE_WORKFLOW, {
    taskQueue: TaskQueue.main,
    workflowId: sequenceWorkflowId(s.input.sequenceId, s.input.contactId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [s.input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: s.input.teamId },
      { key: SearchAttr.CampaignId, value: s.campaignId },
      { key: SearchAttr.TriggerSource, value: s.triggerSource },
    ],
    staticSummary: `Sequence "${s.sequenceName}" for ${s.contactEmail}`,
  });
}

/**
 * A stored INS notification: a running run is joined; a finished one is never repeated (the start throws
 * WorkflowExecutionAlreadyStartedError, which means the notification was handled).
 */
export function startClickbankNotification(
  client: Client,
  s: { input: ClickbankNotificationInput; campaignId?: string; summary: string },
): Promise<WorkflowHandle<Workflow<ClickbankNotificationInput, ClickbankNotificationResult>>> {
  return client.workflow.start<Workflow<ClickbankNotificationInput, ClickbankNotificationResult>>(
    CLICKBANK_NOTIFICATION_WORKFLOW,
    {
      taskQueue: TaskQueue.main,
      workflowId: clickbankNotificationWorkflowId(s.input.teamId, s.input.dedupeKey),
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [s.input],
      typedSearchAttributes: present(
        { key: SearchAttr.TeamId, value: s.input.teamId },
        { key: SearchAttr.TriggerSource, value: 'clickbank-ins' },
        s.campaignId ? { key: SearchAttr.CampaignId, value: s.campaignId } : null,
      ),
      staticSummary: s.summary,
    },
  );
}

/** A team's insight for a day: a running one is joined, a finished one runs again (the insight is replaced). */
export function startTeamInsights(
  client: Client,
  input: TeamInsightsInput,
): Promise<WorkflowHandle<Workflow<TeamInsightsInput, TeamInsightsSummary>>> {
  return client.workflow.start<Workflow<TeamInsightsInput, TeamInsightsSummary>>(TEAM_INSIGHTS_WORKFLOW, {
    taskQueue: TaskQueue.main,
    workflowId: teamInsightsWorkflowId(input.teamId, input.day),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: input.teamId },
      { key: SearchAttr.TriggerSource, value: input.triggerSource },
    ],
    staticSummary: teamInsightsSummaryText(input),
  });
}
