import { summarizeChanges, valueWords } from './automation-diff';
import { sideBySide } from './automation-side-by-side';

const welcome = {
  id: 'welcome',
  name: 'Welcome email',
  type: 'send_email',
  config: { to: '{{ trigger.email }}', subject: 'Hello', body: 'Hi there' },
};
const wait = { id: 'wait', name: 'Wait 2 days', type: 'wait', config: { duration: '2d' } };
const follow = {
  id: 'follow',
  name: 'Follow-up',
  type: 'send_email',
  config: { to: '{{ trigger.email }}', subject: 'Still there?', body: 'Hi' },
};

const v1 = {
  version: 1,
  trigger: { type: 'webhook', auth: { scheme: 'token' } },
  steps: [welcome, follow],
};

const texts = (before: unknown, after: unknown) => summarizeChanges(before, after).map((c) => c.text);

describe('summarizeChanges', () => {
  test('equal definitions have no changes', () => {
    expect(summarizeChanges(v1, structuredClone(v1))).toEqual([]);
  });

  test('a changed field names the step, the field and both values', () => {
    const v2 = { ...v1, steps: [{ ...welcome, config: { ...welcome.config, subject: 'Welcome!' } }, follow] };
    expect(texts(v1, v2)).toEqual(['Step ‘Welcome email’: subject changed from “Hello” to “Welcome!”']);
  });

  test('an added step reads as added, its neighbours do not move', () => {
    const v2 = { ...v1, steps: [welcome, wait, follow] };
    expect(summarizeChanges(v1, v2)).toEqual([
      { kind: 'added', stepId: 'wait', text: 'Step ‘Wait 2 days’ added' },
    ]);
  });

  test('a removed step and a renamed one', () => {
    const v2 = { ...v1, steps: [{ ...welcome, name: 'First email' }] };
    expect(texts(v1, v2)).toEqual([
      'Step ‘First email’: renamed from ‘Welcome email’',
      'Step ‘Follow-up’ removed',
    ]);
  });

  test('reordered steps read as moved', () => {
    const v2 = { ...v1, steps: [follow, welcome] };
    expect(texts(v1, v2).some((t) => /moved/.test(t))).toBe(true);
    expect(texts(v1, v2).some((t) => /added|removed/.test(t))).toBe(false);
  });

  test('a step moved into a branch lane is found there, and changes inside lanes name the inner step', () => {
    const branch = {
      id: 'check',
      name: 'Has a name?',
      type: 'branch',
      config: { branches: [{ when: 'has(trigger.name)', steps: [follow] }], otherwise: [] },
    };
    const v2 = { ...v1, steps: [welcome, branch] };
    expect(texts(v1, v2)).toEqual(['Step ‘Has a name?’ added', 'Step ‘Follow-up’ moved']);
    const changedInside = {
      ...branch,
      config: {
        branches: [
          {
            when: 'has(trigger.first_name)',
            steps: [{ ...follow, config: { ...follow.config, body: 'Hey' } }],
          },
        ],
        otherwise: [],
      },
    };
    expect(texts(v2, { ...v1, steps: [welcome, changedInside] })).toEqual([
      'Step ‘Has a name?’: branch 1 condition changed from “has(trigger.name)” to “has(trigger.first_name)”',
      'Step ‘Follow-up’: body changed from “Hi” to “Hey”',
    ]);
  });

  test('trigger changes: another kind of trigger, or a field of the same one', () => {
    const schedule = { ...v1, trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'UTC' } };
    expect(texts(v1, schedule)).toEqual([
      'Trigger changed from “when another app calls its web address (webhook)” to “on a schedule”',
    ]);
    const later = { ...schedule, trigger: { ...schedule.trigger, cron: '0 10 * * 1' } };
    expect(texts(schedule, later)).toEqual([
      'Trigger changed: cron changed from “0 9 * * 1” to “0 10 * * 1”',
    ]);
  });

  test('settings, added and removed fields, lists of values, and the kind of a step', () => {
    const v2 = {
      ...v1,
      concurrency: { max_runs: 5, when_busy: 'queue' },
      steps: [
        { ...welcome, if: 'trigger.consent == true' },
        { ...follow, type: 'wait', config: { duration: '1d' } },
      ],
    };
    const out = texts(v1, v2);
    expect(out[0]).toBe('Settings changed: concurrency set to {"max_runs":5,"when_busy":"queue"}');
    expect(out).toContain('Step ‘Welcome email’: condition (only if) set to “trigger.consent == true”');
    expect(out.find((t) => t.startsWith('Step ‘Follow-up’'))).toMatch(
      /kind changed from “Send an email” to “Wait a while”.*subject removed \(was “Still there\?”\).*duration set to “1d”/,
    );
    const cb = { version: 1, trigger: { type: 'clickbank', transaction_types: ['SALE'] }, steps: [] };
    const cb2 = { ...cb, trigger: { type: 'clickbank', transaction_types: ['SALE', 'TEST_SALE'] } };
    expect(texts(cb, cb2)).toEqual([
      'Trigger changed: transaction types changed from “SALE” to “SALE”, “TEST_SALE”',
    ]);
  });

  test('no definition yet: everything is added', () => {
    expect(texts(null, v1)).toEqual([
      expect.stringMatching(/^Trigger changed/),
      'Step ‘Welcome email’ added',
      'Step ‘Follow-up’ added',
    ]);
  });

  test('long values are cut', () => {
    expect(valueWords('x'.repeat(100))).toHaveLength(60);
    expect(valueWords(null)).toBe('nothing');
  });
});

describe('sideBySide', () => {
  test('pairs a changed line with its replacement and keeps line numbers per side', () => {
    const rows = sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows).toEqual([
      { left: { number: 1, text: 'a', changed: false }, right: { number: 1, text: 'a', changed: false } },
      { left: { number: 2, text: 'b', changed: true }, right: { number: 2, text: 'B', changed: true } },
      { left: { number: 3, text: 'c', changed: false }, right: { number: 3, text: 'c', changed: false } },
      { left: null, right: { number: 4, text: 'd', changed: true } },
    ]);
  });
});
