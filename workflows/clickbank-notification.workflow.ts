import { CancellationScope, proxyActivities } from '@temporalio/workflow';
import type {
  ClickbankNotificationActivities,
  ClickbankNotificationRef,
  ClickbankNotificationSummary,
} from '../activities/clickbank-notifications';

/** One object argument: the stored webhook event to act on (the payload stays in the database). */
export type ClickbankNotificationInput = ClickbankNotificationRef;

const { recordClickbankNotification, markClickbankNotificationFailed } =
  proxyActivities<ClickbankNotificationActivities>({
    startToCloseTimeout: '30 seconds',
    // Database trouble is transient; a missing or unreadable event fails at once (non-retryable failures).
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 10,
    },
  });

/**
 * A ClickBank INS notification, after the webhook stored it: records the sale, rebill, refund or chargeback in
 * analytics (attributed to the campaign whose tid it carries) and marks the event processed. Started with the
 * workflow id `clickbank-ins:<teamId>:<dedupeKey>`, so a redelivered notification reaches this same run.
 */
export async function clickbankNotificationWorkflow(
  input: ClickbankNotificationInput,
): Promise<ClickbankNotificationSummary> {
  try {
    return await recordClickbankNotification.executeWithOptions(
      { summary: 'Record the ClickBank transaction in analytics' },
      [input],
    );
  } catch (err) {
    const reason = err instanceof Error ? failureMessage(err) : String(err);
    await CancellationScope.nonCancellable(() =>
      markClickbankNotificationFailed.executeWithOptions({ summary: 'Mark the notification as failed' }, [
        { webhookEventId: input.webhookEventId, reason },
      ]),
    );
    throw err;
  }
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
