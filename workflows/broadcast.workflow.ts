import {
  CancellationScope,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BroadcastActivities } from '../activities/broadcasts';
import {
  broadcastProgressQuery,
  cancelBroadcastSignal,
  type BroadcastInput,
  type BroadcastProgress,
} from './contracts/broadcast';
import { databaseStep } from './activity-options';

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_PAGES_PER_RUN = 20;

const db = proxyActivities<BroadcastActivities>(databaseStep);
// One page: a database read, rendering and one Postmark batch request of up to 500 messages.
const sender = proxyActivities<BroadcastActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

/**
 * A broadcast (`broadcast:<id>`): a durable timer until sendAt (the cancel signal ends it there), then the tag's
 * active contacts page by page (keyset by id), each page one Postmark batch, progress recorded after each.
 * Activities return counts only, and the run continues as new every few pages, so a large audience never
 * builds a large history.
 */
export async function broadcastWorkflow(input: BroadcastInput): Promise<BroadcastProgress> {
  const { teamId, broadcastId } = input;
  const pageSize = Math.min(input.pageSize ?? DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  const progress: BroadcastProgress = {
    status: input.cursor === undefined ? 'scheduled' : 'sending',
    ...(input.totals ?? { recipients: 0, sent: 0, skipped: 0, refused: 0 }),
  };
  let cancelled = false;
  setHandler(cancelBroadcastSignal, () => {
    // Only a broadcast that has not begun can be cancelled.
    if (progress.status === 'scheduled') cancelled = true;
  });
  setHandler(broadcastProgressQuery, () => progress);

  const end = async (status: 'sent' | 'cancelled' | 'failed', failure?: string) => {
    progress.status = status;
    await CancellationScope.nonCancellable(() =>
      db.finishBroadcast.executeWithOptions({ summary: `Mark the broadcast ${status}` }, [
        { teamId, broadcastId, status, failure },
      ]),
    );
    return progress;
  };

  if (input.cursor === undefined) {
    const waitMs = Date.parse(input.sendAt) - new Date().getTime();
    if (waitMs > 0) await condition(() => cancelled, waitMs);
    if (cancelled) return end('cancelled');
    const begun = await db.beginBroadcast.executeWithOptions({ summary: 'Mark the broadcast sending' }, [
      { teamId, broadcastId },
    ]);
    // Cancelled through the API just before the timer fired.
    if (!begun) return end('cancelled');
    progress.status = 'sending';
  }

  let cursor: string | null = input.cursor ?? null;
  try {
    for (let page = 0; page < pagesPerRun; page++) {
      const sent = await sender.sendBroadcastPage.executeWithOptions(
        { summary: `Send page ${page + 1} (up to ${pageSize} contacts)` },
        [{ teamId, broadcastId, afterContactId: cursor, limit: pageSize }],
      );
      progress.recipients += sent.recipients;
      progress.sent += sent.sent;
      progress.skipped += sent.skipped;
      progress.refused += sent.refused;
      const { status: _status, ...totals } = progress;
      await db.recordBroadcastProgress.executeWithOptions({ summary: `${progress.sent} sent so far` }, [
        { teamId, broadcastId, totals },
      ]);
      if (sent.lastContactId === null || sent.recipients < pageSize) return await end('sent');
      cursor = sent.lastContactId;
    }
  } catch (err) {
    await end('failed', err instanceof Error ? failureMessage(err) : String(err));
    throw err;
  }
  const { status: _status, ...totals } = progress;
  return continueAsNew<typeof broadcastWorkflow>({ ...input, cursor: cursor ?? undefined, totals });
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
