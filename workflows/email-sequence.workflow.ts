import {
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { EmailActivities, TrackedEmailResult } from '../activities/email';
import type { SequenceActivities } from '../activities/sequences';
import { databaseStep, emailSend } from './activity-options';
import {
  sequenceProgressQuery,
  stopSequenceSignal,
  type EmailSequenceInput,
  type SequenceProgress,
  type SequenceRunOutcome,
} from './contracts/email-sequence';

// Database work: quick, retried through transient trouble.
const db = proxyActivities<SequenceActivities>(databaseStep);
// Postmark: transient errors are retried; a permanent refusal comes back as a 'refused' result.
const mail = proxyActivities<EmailActivities>(emailSend);

const endReason = (result: Exclude<TrackedEmailResult, { status: 'sent' }>): string =>
  result.status === 'skipped'
    ? `The contact is ${result.reason}`
    : `Postmark refused the address: ${result.reason}`;

/**
 * One contact's way through one sequence: the steps are loaded once (a snapshot: later edits do not change this
 * run), then for each step a durable timer, a render for this contact and a tracked send (at most once per
 * `seq:<sequence>:<contact>:<step>` key). The stop signal ends the run at once, even mid-timer; a skipped
 * (unsubscribed/inactive) or refused recipient ends it too, and a refusal stops the contact's other runs.
 */
export async function emailSequenceWorkflow(input: EmailSequenceInput): Promise<SequenceProgress> {
  const { workflowId } = workflowInfo();
  const progress: SequenceProgress = {
    status: 'running',
    sent: 0,
    totalSteps: 0,
    nextSendAt: null,
    stopReason: null,
  };
  let stopRequested: string | undefined;
  setHandler(stopSequenceSignal, ({ reason }) => {
    stopRequested ??= reason || 'Stopped';
  });
  setHandler(sequenceProgressQuery, () => progress);

  const finish = async (status: Exclude<SequenceRunOutcome, 'running'>, reason: string | null) => {
    progress.status = status;
    progress.stopReason = reason;
    progress.nextSendAt = null;
    await CancellationScope.nonCancellable(() =>
      db.finishSequenceRun.executeWithOptions({ summary: `Mark the run ${status}` }, [
        { workflowId, status, reason, currentStep: progress.sent },
      ]),
    );
    return progress;
  };

  // A run that ends another way (cancelled in Temporal Web, an activity out of retries) says so in its row.
  try {
    const snapshot = await db.loadSequenceSnapshot.executeWithOptions(
      { summary: 'Load the sequence steps (this run keeps them)' },
      [input],
    );
    if (!snapshot) return finish('failed', 'The sequence or the contact no longer exists');
    const { steps } = snapshot;
    progress.totalSteps = steps.length;

    /** Records where the run is and when the next step goes out (null when none is left). */
    const record = async (nextIndex: number) => {
      const next = steps[nextIndex];
      progress.nextSendAt = next
        ? new Date(new Date().getTime() + next.delaySeconds * 1000).toISOString()
        : null;
      await db.recordSequenceRunProgress.executeWithOptions(
        { summary: next ? `Step ${nextIndex + 1} due at ${progress.nextSendAt}` : 'All steps sent' },
        [{ workflowId, currentStep: nextIndex, totalSteps: steps.length, nextSendAt: progress.nextSendAt }],
      );
    };

    await record(0);
    for (const [index, step] of steps.entries()) {
      const delayMs = step.delaySeconds * 1000;
      if (stopRequested === undefined && delayMs > 0) {
        await condition(() => stopRequested !== undefined, delayMs);
      }
      if (stopRequested !== undefined) return finish('stopped', stopRequested);

      const email = await db.renderSequenceEmail.executeWithOptions(
        { summary: `Render step ${index + 1} of ${steps.length} for the contact` },
        [{ ...input, workflowId, campaignId: snapshot.campaignId, stepIndex: index, step }],
      );
      // null: the run was stopped in the database (deleted sequence, unsubscribe while Temporal was away).
      if (!email) return finish('stopped', stopRequested ?? 'The run is no longer active');
      if (stopRequested !== undefined) return finish('stopped', stopRequested);

      const result = await mail.sendTrackedEmail.executeWithOptions(
        { summary: `Send step ${index + 1}: ${email.subject}` },
        [email],
      );
      if (result.status !== 'sent') {
        const reason = endReason(result);
        await finish('stopped', reason);
        if (result.status === 'refused') {
          await db.stopContactSequences.executeWithOptions(
            { summary: "Stop the contact's other sequences" },
            [{ teamId: input.teamId, contactId: input.contactId, reason }],
          );
        }
        return progress;
      }
      progress.sent = index + 1;
      await record(index + 1);
    }
    return finish('completed', null);
  } catch (err) {
    if (isCancellation(err)) await finish('stopped', 'Cancelled in Temporal');
    else await finish('failed', failureMessage(err));
    throw err;
  }
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
