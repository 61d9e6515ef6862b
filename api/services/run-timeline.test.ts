import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { buildTimeline, failureText } from './run-timeline';

type Event = temporal.api.history.v1.IHistoryEvent;
// fromObject turns plain numbers into the Long/Timestamp shapes the client hands us.
const event = (fields: object): Event => temporal.api.history.v1.HistoryEvent.fromObject(fields);
const pendingActivity = (fields: object) => temporal.api.workflow.v1.PendingActivityInfo.fromObject(fields);
const at = (seconds: number) => ({ seconds, nanos: 0 });
const summary = (text: string) => ({ summary: defaultPayloadConverter.toPayload(text) });

/** History events shaped as Temporal sends them (only the fields the timeline reads). */
const scheduled = (eventId: number, activityType: string, text?: string): Event =>
  event({
    eventId,
    eventTime: at(eventId),
    activityTaskScheduledEventAttributes: {
      activityId: String(eventId),
      activityType: { name: activityType },
    },
    ...(text ? { userMetadata: summary(text) } : {}),
  });
const started = (eventId: number, scheduledEventId: number, attempt: number): Event =>
  event({
    eventId,
    eventTime: at(eventId),
    activityTaskStartedEventAttributes: { scheduledEventId, attempt },
  });

describe('buildTimeline', () => {
  it('names steps by summary, orders them as scheduled and closes them from their end events', () => {
    const events: Event[] = [
      scheduled(5, 'writeBrief', 'Write the brief with Claude'),
      started(6, 5, 1),
      event({ eventId: 7, eventTime: at(7), activityTaskCompletedEventAttributes: { scheduledEventId: 5 } }),
      scheduled(11, 'publishContent'),
      started(12, 11, 3),
      event({
        eventId: 13,
        eventTime: at(13),
        activityTaskFailedEventAttributes: {
          scheduledEventId: 11,
          failure: {
            message: 'Activity task failed',
            cause: { message: 'WordPress refused the credentials' },
          },
        },
      }),
    ];
    expect(buildTimeline(events)).toEqual([
      {
        step: 'Write the brief with Claude',
        activityType: 'writeBrief',
        status: 'completed',
        startedAt: '1970-01-01T00:00:06.000Z',
        endedAt: '1970-01-01T00:00:07.000Z',
        attempt: 1,
      },
      {
        step: 'publishContent',
        activityType: 'publishContent',
        status: 'failed',
        startedAt: '1970-01-01T00:00:12.000Z',
        endedAt: '1970-01-01T00:00:13.000Z',
        attempt: 3,
        failure: 'WordPress refused the credentials',
      },
    ]);
  });

  it('completes steps still in progress from the pending activities: running, or retrying after a failure', () => {
    const { PendingActivityState } = temporal.api.enums.v1;
    const events = [scheduled(5, 'writeDraft', 'Write the draft'), scheduled(9, 'sendEmail', 'Send')];
    const timeline = buildTimeline(events, [
      pendingActivity({
        activityId: '5',
        state: PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        attempt: 1,
        lastStartedTime: at(6),
      }),
      pendingActivity({
        activityId: '9',
        state: PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED,
        attempt: 2,
        lastFailure: { message: 'Postmark is limiting how fast we can call it' },
      }),
    ]);
    expect(timeline.map((s) => [s.step, s.status, s.attempt, s.startedAt, s.failure])).toEqual([
      ['Write the draft', 'running', 1, '1970-01-01T00:00:06.000Z', undefined],
      ['Send', 'retrying', 2, null, 'Postmark is limiting how fast we can call it'],
    ]);
  });

  it('reports timeouts and cancellations, and reads the innermost failure message', () => {
    const events: Event[] = [
      scheduled(5, 'syncCatalog'),
      event({
        eventId: 6,
        eventTime: at(6),
        activityTaskTimedOutEventAttributes: {
          scheduledEventId: 5,
          failure: { message: 'activity Heartbeat timeout' },
        },
      }),
      scheduled(7, 'writeBrief'),
      event({ eventId: 8, eventTime: at(8), activityTaskCanceledEventAttributes: { scheduledEventId: 7 } }),
    ];
    expect(buildTimeline(events).map((s) => [s.activityType, s.status, s.failure])).toEqual([
      ['syncCatalog', 'timed_out', 'activity Heartbeat timeout'],
      ['writeBrief', 'canceled', undefined],
    ]);
    expect(failureText(undefined)).toBeUndefined();
    expect(failureText({ message: 'outer', cause: { message: '' } })).toBe('outer');
  });
});
