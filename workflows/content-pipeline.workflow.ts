import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ContentActivities, ContentStepResult } from '../activities/content';
import {
  INVALID_TRANSITION,
  progressQuery,
  rescheduleUpdate,
  reviewUpdate,
  type ContentPipelineInput,
  type ContentPipelineResult,
  type ContentProgress,
  type ContentStatus,
  type RescheduleInput,
  type ReviewInput,
} from './contracts/content-pipeline';
import { TaskQueue } from './contracts/task-queues';

// Claude calls: slow queue, long streams with heartbeats; Temporal retries transient provider errors.
const claude = proxyActivities<ContentActivities>({
  taskQueue: TaskQueue.slow,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 6,
  },
});
// Row updates: quick, retried briefly for transient database trouble.
const db = proxyActivities<ContentActivities>({
  taskQueue: TaskQueue.main,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
// WordPress: a site may be slow or briefly down; permanent errors (auth, invalid) fail at once.
const wordpress = proxyActivities<ContentActivities>({
  taskQueue: TaskQueue.main,
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

const stepPercent = { brief: 25, outline: 50, draft: 75, polish: 100 } as const;

const invalid = (message: string): ApplicationFailure =>
  ApplicationFailure.create({ type: INVALID_TRANSITION, message, nonRetryable: true });

/**
 * Content pipeline (one run per content item, id `content:<id>`): brief -> outline -> draft -> polish with
 * Claude, then a human review (the `review` update), revisions with the reviewer's notes, and publishing to
 * WordPress now, at a durable time (movable or cancellable with `reschedule`), or as a WordPress draft. The
 * review carries the approved revision (the reviewer may have edited the text); the publish activity sends it.
 * Cancelling `reschedule` (publishAt null) returns the content to awaiting review.
 */
export async function contentPipelineWorkflow(input: ContentPipelineInput): Promise<ContentPipelineResult> {
  const { contentId, teamId } = input;
  const state: ContentProgress = {
    status: 'generating',
    step: null,
    percent: 0,
    tokens: { input: 0, output: 0 },
    publishAt: null,
  };
  let pendingReview: ReviewInput | undefined;
  /** Bumped by every accepted reschedule, so the timer loop notices a change. */
  let scheduleVersion = 0;
  /** Bumped after each decision has been recorded; update handlers wait for it before answering. */
  let decisionsRecorded = 0;

  setHandler(progressQuery, () => state);

  setHandler(
    reviewUpdate,
    async (review) => {
      pendingReview = review;
      const target = decisionsRecorded + 1;
      await condition(() => decisionsRecorded >= target);
      return state;
    },
    {
      validator: (review: ReviewInput) => {
        if (state.status !== 'awaiting_review' || pendingReview) {
          throw invalid(`The content is ${describe(state)}; it can be reviewed only while it awaits review`);
        }
        if (review.decision === 'revise' && !review.notes?.trim()) {
          throw invalid('Say what to change: revise needs notes');
        }
        if (review.decision !== 'approve' && (review.publishAt || review.publish !== undefined)) {
          throw invalid('publishAt and publish apply only to approve');
        }
        if (review.publishAt) {
          assertFuture(review.publishAt);
          if (review.publish === false)
            throw invalid('A WordPress draft cannot be scheduled: drop publishAt');
        }
      },
    },
  );

  setHandler(
    rescheduleUpdate,
    async ({ publishAt }) => {
      state.publishAt = publishAt;
      scheduleVersion++;
      const target = decisionsRecorded + 1;
      await condition(() => decisionsRecorded >= target);
      return state;
    },
    {
      validator: ({ publishAt }: RescheduleInput) => {
        if (state.status !== 'scheduled') {
          throw invalid(
            `The content is ${describe(state)}; only a scheduled publish can be moved or cancelled`,
          );
        }
        if (publishAt !== null) assertFuture(publishAt);
      },
    },
  );

  const setStatus = async (
    status: ContentStatus,
    step: string | null,
    extra: { publishAt?: string | null; reviewNotes?: string | null } = {},
  ) => {
    await db.setContentStatus.executeWithOptions(
      { summary: `Mark content ${status}${step ? ` (${step})` : ''}` },
      [{ contentId, teamId, status, step, ...extra }],
    );
    state.status = status;
    state.step = step;
  };

  const run = async (
    step: keyof typeof stepPercent,
    summary: string,
    activity: typeof claude.writeBrief,
    notes: string | null,
  ) => {
    state.status = 'generating';
    state.step = step;
    const result: ContentStepResult = await activity.executeWithOptions({ summary }, [
      { contentId, teamId, notes },
    ]);
    state.tokens.input += result.inputTokens;
    state.tokens.output += result.outputTokens;
    state.percent = stepPercent[step];
  };

  /** Lets update handlers answer before the run closes. */
  const finish = async (result: ContentPipelineResult): Promise<ContentPipelineResult> => {
    await condition(allHandlersFinished);
    return result;
  };

  try {
    await run('brief', 'Write the brief with Claude', claude.writeBrief, null);
    await run('outline', 'Write the outline with Claude', claude.writeOutline, null);
    await run('draft', 'Write the draft with Claude (streamed live)', claude.writeDraft, null);
    await run('polish', 'Polish the draft with Claude (streamed live)', claude.polishDraft, null);

    for (;;) {
      // publishAt is null here: not scheduled yet, or a schedule was just cancelled.
      await setStatus('awaiting_review', 'review', { publishAt: state.publishAt });
      decisionsRecorded++;
      await condition(() => pendingReview !== undefined);
      const review = pendingReview!;
      pendingReview = undefined;

      if (review.decision === 'reject') {
        await setStatus('rejected', 'review', { reviewNotes: review.notes ?? null });
        decisionsRecorded++;
        return await finish({ status: 'rejected', postId: null, url: null });
      }
      if (review.decision === 'revise') {
        const notes = review.notes ?? '';
        await setStatus('generating', 'draft', { reviewNotes: notes });
        decisionsRecorded++;
        state.percent = stepPercent.outline;
        await run('draft', 'Redraft with the reviewer notes (streamed live)', claude.writeDraft, notes);
        await run('polish', 'Polish the revised draft (streamed live)', claude.polishDraft, notes);
        continue;
      }

      // Approved.
      if (review.publish === false) {
        await setStatus('awaiting_review', 'publish');
        decisionsRecorded++;
        const saved = await wordpress.publishContent.executeWithOptions(
          { summary: 'Save as a WordPress draft' },
          [{ contentId, teamId, mode: 'draft', revisionId: review.revisionId }],
        );
        state.status = saved.status;
        return await finish({ status: saved.status, postId: saved.postId, url: null });
      }

      if (review.publishAt) {
        state.publishAt = review.publishAt;
        await setStatus('scheduled', 'publish', { publishAt: state.publishAt });
        decisionsRecorded++;
        const cancelled = await waitForPublishTime();
        if (cancelled) continue;
      } else {
        await setStatus('awaiting_review', 'publish');
        decisionsRecorded++;
      }
      // The same activity call as before revisions existed (older histories replay): it publishes the approved
      // revision's text, or for a social post only marks it ready to copy (status approved, no WordPress).
      const post = await wordpress.publishContent.executeWithOptions({ summary: 'Publish to WordPress' }, [
        { contentId, teamId, mode: 'publish', revisionId: review.revisionId },
      ]);
      state.status = post.status;
      return await finish({ status: post.status, postId: post.postId, url: post.url });
    }
  } catch (err) {
    const reason = isCancellation(err) ? 'The run was cancelled' : failureMessage(err);
    // Non-cancellable so a cancelled run still leaves the row failed rather than generating forever.
    await CancellationScope.nonCancellable(() =>
      db.setContentStatus.executeWithOptions({ summary: 'Mark content failed' }, [
        { contentId, teamId, status: 'failed', step: state.step, failure: reason },
      ]),
    );
    state.status = 'failed';
    throw err;
  }

  /** Durable timer to state.publishAt; a reschedule moves it. Resolves true when the publish was cancelled. */
  async function waitForPublishTime(): Promise<boolean> {
    for (;;) {
      const seen = scheduleVersion;
      const at = state.publishAt;
      if (at === null) {
        return true;
      }
      const changed = await condition(
        () => scheduleVersion !== seen,
        Math.max(1, Date.parse(at) - workflowNow()),
      );
      if (!changed) return false;
      if (state.publishAt === null) {
        // Cancelled: back to review (the loop records awaiting_review and releases the update).
        return true;
      }
      await setStatus('scheduled', 'publish', { publishAt: state.publishAt });
      decisionsRecorded++;
    }
  }
}

function describe(state: ContentProgress): string {
  return state.status === 'generating'
    ? `still generating (${state.step ?? 'starting'})`
    : state.status.replace('_', ' ');
}

/** The workflow's deterministic clock (the sandbox's Date is the time of the current workflow task). */
const workflowNow = (): number => new Date().getTime();

function assertFuture(iso: string): void {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw invalid(`publishAt is not a date: ${iso}`);
  // Workflow time (deterministic); a second of slack for clock skew between API and workflow task.
  if (at <= workflowNow() + 1000) throw invalid('publishAt must be in the future');
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
