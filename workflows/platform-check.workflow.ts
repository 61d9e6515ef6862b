import { CancellationScope, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PlatformCheckActivities } from '../activities/platform-check';
import type { PlatformCheckInput, PlatformCheckResult } from './contracts/platform-check';

const { runPlatformCheck, markPlatformCheckFailed } = proxyActivities<PlatformCheckActivities>({
  // A user is waiting on this: short timeouts, a few quick retries for transient database trouble.
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 5,
  },
});

/**
 * Foundation workflow: proves the path API -> Temporal -> worker -> database -> API works end to end.
 * The activity records the result on the platform_checks row; on failure the row is marked failed so it never
 * stays pending.
 */
export async function platformCheckWorkflow(input: PlatformCheckInput): Promise<PlatformCheckResult> {
  const { workflowId } = workflowInfo();
  try {
    return await runPlatformCheck.executeWithOptions(
      { summary: 'Check the database from the worker and record the result' },
      [{ ...input, workflowId }],
    );
  } catch (err) {
    const reason = err instanceof Error ? failureMessage(err) : String(err);
    // Non-cancellable so a cancelled run still records why it ended.
    await CancellationScope.nonCancellable(() =>
      markPlatformCheckFailed.executeWithOptions({ summary: 'Mark the platform check as failed' }, [
        { checkId: input.checkId, teamId: input.teamId, reason },
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
