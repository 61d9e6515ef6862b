import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { failureText } from './run-timeline';

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where Temporal stands with a step it retries: the attempt, its limit, when the next one starts, why. */
export interface StepRetryState {
  attempt: number;
  /** null: no limit. */
  maxAttempts: number | null;
  /** null: the attempt is running now. */
  nextAttemptAt: string | null;
  lastFailure: string | null;
  lastAttemptAt: string | null;
}

const isoOf = (ts: PendingActivity['nextAttemptScheduleTime']): string | null =>
  optionalTsToDate(ts)?.toISOString() ?? null;

/** A pending activity that has failed at least once (a first attempt still running is no retry). */
const isRetrying = (p: PendingActivity): boolean => (p.attempt ?? 1) > 1 || p.lastFailure != null;

/**
 * The step key an activity runs, read from the input of its ActivityTaskScheduled event: the interpreter's action
 * activities take `{ stepKey, … }` (activities/automation-actions.ts). Other activities (the content waiter) carry
 * no step key; they are matched by their summary, `<step name>: …`, to a step of that name still going.
 */
function stepKeysByActivityId(events: HistoryEvent[]): Map<string, { stepKey?: string; summary?: string }> {
  const keys = new Map<string, { stepKey?: string; summary?: string }>();
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled?.activityId) continue;
    let stepKey: string | undefined;
    let summary: string | undefined;
    try {
      const first = scheduled.input?.payloads?.[0];
      const input: unknown = first ? defaultPayloadConverter.fromPayload(first) : undefined;
      const key = (input as { stepKey?: unknown } | undefined)?.stepKey;
      if (typeof key === 'string') stepKey = key;
      const s: unknown = event.userMetadata?.summary
        ? defaultPayloadConverter.fromPayload(event.userMetadata.summary)
        : undefined;
      if (typeof s === 'string') summary = s;
    } catch {
      // An input this reader cannot decode names no step.
    }
    keys.set(scheduled.activityId, { stepKey, summary });
  }
  return keys;
}

/**
 * The steps of a running automation run that Temporal is retrying, by step key, from describe()'s pending
 * activities. Only when one has failed is the history read (to learn which step each activity runs), so a run
 * whose steps all go well costs one describe() call.
 */
export async function retryingSteps(
  client: Client,
  workflowId: string,
  steps: Record<string, { name: string; status: string }>,
): Promise<Record<string, StepRetryState>> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const pending = (description.raw.pendingActivities ?? []).filter(isRetrying);
  if (pending.length === 0) return {};
  const history = await handle.fetchHistory();
  const byActivity = stepKeysByActivityId(history.events ?? []);
  const going = Object.entries(steps).filter(([, s]) => s.status === 'running' || s.status === 'waiting');
  const result: Record<string, StepRetryState> = {};
  for (const p of pending) {
    const known = byActivity.get(p.activityId ?? '');
    let key = known?.stepKey;
    if (!key && known?.summary) {
      key = going.find(([, s]) => known.summary === s.name || known.summary?.startsWith(`${s.name}: `))?.[0];
    }
    if (!key) continue;
    const max = p.maximumAttempts ?? 0;
    result[key] = {
      attempt: p.attempt ?? 1,
      maxAttempts: max > 0 ? max : null,
      nextAttemptAt: isoOf(p.nextAttemptScheduleTime),
      lastFailure: failureText(p.lastFailure) ?? null,
      lastAttemptAt: isoOf(p.lastAttemptCompleteTime),
    };
  }
  return result;
}
