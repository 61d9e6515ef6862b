import type { AutomationRunStateView, AutomationStepState } from '$api/automation-runs';
import {
  durationWords,
  errorWithoutPath,
  outputRows,
  readableValue,
  retryWords,
  stepTree,
  triggerSourceWord,
  waitWords,
  waitingApprovals,
} from './automation-runs';

const step = (key: string, over: Partial<AutomationStepState> = {}): AutomationStepState => ({
  key,
  id: key.split('.').at(-1) ?? key,
  name: key,
  type: 'set_variable',
  status: 'succeeded',
  attempts: 1,
  ...over,
});

function runState(steps: AutomationStepState[]): AutomationRunStateView {
  return {
    status: 'running',
    automationId: '00000000-0000-4000-8000-000000000001',
    versionId: '00000000-0000-4000-8000-000000000002',
    version: 1,
    startedAt: '2026-12-08T09:00:00.000Z',
    order: steps.map((s) => s.key),
    steps: Object.fromEntries(steps.map((s) => [s.key, s])),
    vars: {},
    currentStep: null,
    pendingEvents: 0,
  };
}

describe('automation run words', () => {
  it('says what started a run', () => {
    expect(triggerSourceWord('webhook')).toBe('Webhook');
    expect(triggerSourceWord('manual')).toBe('Test run');
    expect(triggerSourceWord('clickbank', 'SALE:R1:1')).toBe('ClickBank sale');
    expect(triggerSourceWord('clickbank', 'RFND:R1:1')).toBe('ClickBank refund');
    expect(triggerSourceWord('resume')).toBe('Resumed run');
  });

  it('says waits with their day and time in the reader’s zone', () => {
    const until = '2026-12-08T09:00:00.000Z';
    expect(waitWords({ kind: 'timer', until }, 'UTC')).toBe('Waiting until Tue 8 Dec, 09:00 UTC');
    expect(waitWords({ kind: 'approval', approvers: { roles: ['editor'], userIds: [] } }, 'UTC')).toBe(
      'Waiting for approval from editors',
    );
    expect(waitWords({ kind: 'event', event: 'signal:paid' }, 'UTC')).toBe('Waiting for the signal “paid”');
  });

  it('says where a retry stands', () => {
    const retry = {
      attempt: 2,
      maxAttempts: 5,
      nextAttemptAt: '2026-12-08T10:42:05.000Z',
      lastFailure: 'HTTP 503',
      lastAttemptAt: null,
    };
    expect(retryWords(retry, 'UTC')).toBe('Attempt 2 of 5, next try at 10:42:05');
    expect(retryWords({ ...retry, maxAttempts: null, nextAttemptAt: null }, 'UTC')).toBe(
      'Attempt 2, trying now',
    );
  });

  it('says durations in words', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 8) + ms).toISOString();
    expect(durationWords(at(0), at(400))).toBe('under a second');
    expect(durationWords(at(0), at(2_500))).toBe('2.5 s');
    expect(durationWords(at(0), at(185_000))).toBe('3 min 5 s');
    expect(durationWords(at(0), at(3 * 86_400_000))).toBe('3 days');
    expect(durationWords(at(0), null)).toBe('—');
  });

  it('drops the setting a message starts with, and reads outputs as rows', () => {
    expect(errorWithoutPath({ message: 'config.to: trigger.x is not defined', path: 'config.to' })).toBe(
      'trigger.x is not defined',
    );
    expect(errorWithoutPath({ message: 'boom' })).toBe('boom');
    expect(outputRows({ a: 1, b: 'x' })).toEqual([
      ['a', 1],
      ['b', 'x'],
    ]);
    expect(outputRows([1, 2])).toEqual([['Value', [1, 2]]]);
    expect(readableValue('short').long).toBe(false);
    expect(readableValue({ text: 'x'.repeat(300) }).long).toBe(true);
  });
});

describe('stepTree', () => {
  it('indents for_each iterations and the steps of a branch under their step', () => {
    const t = (s: number) => `2026-12-08T09:00:${String(s).padStart(2, '0')}.000Z`;
    const nodes = stepTree(
      runState([
        step('first', { startedAt: t(0), endedAt: t(1) }),
        step('choose', { type: 'branch', startedAt: t(2), endedAt: t(6) }),
        step('yes', { startedAt: t(3), endedAt: t(4) }),
        step('loop', { type: 'for_each', startedAt: t(7), endedAt: t(10) }),
        step('loop[0].send', { startedAt: t(8), endedAt: t(9) }),
        step('loop[1].send', { startedAt: t(8), endedAt: t(9) }),
        step('last', { startedAt: t(11) }),
      ]),
    );
    expect(nodes.map((n) => [n.step.key, n.depth, n.iteration])).toEqual([
      ['first', 0, null],
      ['choose', 0, null],
      ['yes', 1, null],
      ['loop', 0, null],
      ['loop[0].send', 1, 'Item 1'],
      ['loop[1].send', 1, 'Item 2'],
      ['last', 0, null],
    ]);
  });

  it('finds the steps waiting for approval', () => {
    const s = runState([
      step('a'),
      step('ok', { type: 'wait_for_approval', status: 'waiting', wait: { kind: 'approval' } }),
      step('t', { type: 'wait', status: 'waiting', wait: { kind: 'timer' } }),
    ]);
    expect(waitingApprovals(s).map((x) => x.key)).toEqual(['ok']);
    expect(waitingApprovals(null)).toEqual([]);
  });
});
