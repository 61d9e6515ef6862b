// @temporalio/proto is the client's own protocol package (same version), used here for its enums and types.
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;
type Payload = temporal.api.common.v1.IPayload;

type StepStatus = 'scheduled' | 'running' | 'retrying' | 'completed' | 'failed' | 'timed_out' | 'canceled';

export interface TimelineStep {
  /** The activity summary set by the workflow (what the step does), else the activity type. */
  step: string;
  activityType: string;
  status: StepStatus;
  startedAt: string | null;
  endedAt: string | null;
  attempt: number;
  failure?: string;
}

/** A user-metadata payload (summaries are plain JSON strings); anything unreadable counts as absent. */
function payloadText(payload: Payload | null | undefined): string | undefined {
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The innermost message: activity failures wrap the application error that says what went wrong. */
export function failureText(failure: Failure | null | undefined): string | undefined {
  let current = failure;
  let message: string | undefined;
  while (current) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

const iso = (ts: HistoryEvent['eventTime']): string | null => optionalTsToDate(ts)?.toISOString() ?? null;
const eventKey = (id: HistoryEvent['eventId']): string => String(id ?? '');

/**
 * One step per activity the workflow scheduled, in order, from the run's history. History writes the
 * ActivityTaskStarted event only when an attempt ends, so a step still in progress is completed from the
 * describe() call's pending activities (running or waiting to retry, with its attempt and last failure).
 */
export function buildTimeline(events: HistoryEvent[], pending: PendingActivity[] = []): TimelineStep[] {
  const steps = new Map<string, TimelineStep & { activityId: string }>();
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const activityType = scheduled.activityType?.name ?? 'activity';
      steps.set(eventKey(event.eventId), {
        step: payloadText(event.userMetadata?.summary) ?? activityType,
        activityType,
        activityId: scheduled.activityId ?? '',
        status: 'scheduled',
        startedAt: null,
        endedAt: null,
        attempt: 1,
      });
      continue;
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const step = steps.get(eventKey(started.scheduledEventId));
      if (step) {
        step.status = 'running';
        step.startedAt = iso(event.eventTime);
        step.attempt = started.attempt ?? step.attempt;
        const lastFailure = failureText(started.lastFailure);
        if (lastFailure) step.failure = lastFailure;
      }
      continue;
    }
    const ended = activityEnd(event);
    const step = ended && steps.get(eventKey(ended.scheduledEventId));
    if (ended && step) {
      step.status = ended.status;
      step.endedAt = iso(event.eventTime);
      const message = failureText(ended.failure);
      if (ended.status === 'completed') delete step.failure;
      else if (message) step.failure = message;
    }
  }
  const byActivityId = new Map(pending.map((p) => [p.activityId ?? '', p]));
  return [...steps.values()].map(({ activityId, ...step }) => {
    const live =
      step.status === 'scheduled' || step.status === 'running' ? byActivityId.get(activityId) : undefined;
    if (!live) return step;
    const lastFailure = failureText(live.lastFailure);
    // SCHEDULED after a failed attempt means waiting to retry.
    const status: StepStatus =
      live.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        ? 'running'
        : (live.attempt ?? 1) > 1
          ? 'retrying'
          : 'scheduled';
    return {
      ...step,
      status,
      attempt: live.attempt ?? step.attempt,
      startedAt: step.startedAt ?? iso(live.lastStartedTime),
      ...(lastFailure ? { failure: lastFailure } : {}),
    };
  });
}

/** The closing event of one activity (completed, failed, timed out or canceled), if this is one. */
function activityEnd(
  event: HistoryEvent,
): { scheduledEventId: HistoryEvent['eventId']; status: StepStatus; failure?: Failure | null } | undefined {
  const completed = event.activityTaskCompletedEventAttributes;
  if (completed) return { scheduledEventId: completed.scheduledEventId, status: 'completed' };
  const failed = event.activityTaskFailedEventAttributes;
  if (failed) return { scheduledEventId: failed.scheduledEventId, status: 'failed', failure: failed.failure };
  const timedOut = event.activityTaskTimedOutEventAttributes;
  if (timedOut) {
    return { scheduledEventId: timedOut.scheduledEventId, status: 'timed_out', failure: timedOut.failure };
  }
  const canceled = event.activityTaskCanceledEventAttributes;
  if (canceled) return { scheduledEventId: canceled.scheduledEventId, status: 'canceled' };
  return undefined;
}
