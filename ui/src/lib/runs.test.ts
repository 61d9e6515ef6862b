import { progressFacts, runStatusLabel, stepLabel } from './runs';

describe('run words', () => {
  it('says statuses in words, never snake case', () => {
    expect(runStatusLabel('timed_out')).toBe('Timed out');
    expect(runStatusLabel('completed')).toBe('Completed');
    expect(runStatusLabel('running', 'Waiting for review')).toBe('Waiting for review');
    expect(runStatusLabel('some_new_state')).toBe('Some new state');
  });

  it('names a step by its summary, else its activity in words', () => {
    expect(stepLabel('Email the buyer the bonus links', 'sendBonusEmail')).toBe(
      'Email the buyer the bonus links',
    );
    expect(stepLabel('sendTrackedEmail', 'sendTrackedEmail')).toBe('Send tracked email');
    expect(stepLabel('Mark content awaiting_review (review)', 'setContentStatus')).toBe(
      'Mark as waiting for review',
    );
    expect(stepLabel('Check the timed_out run', 'x')).toBe('Check the timed out run');
  });

  it('tells the review step from the approved one, and never shows an event name', () => {
    const review = stepLabel('Mark content awaiting_review (review)', 'setContentStatus');
    const approved = stepLabel('Mark content awaiting_review (publish)', 'setContentStatus');
    expect(approved).toBe('Approved: getting ready to publish');
    expect(approved).not.toBe(review);
    expect(stepLabel('Send contact.created to the runs waiting for it', 'signalEventListeners')).toBe(
      'Tell the automation runs waiting for “New contact”',
    );
    expect(stepLabel('Start the automations triggered by content.published', 'startEventAutomations')).toBe(
      'Start the automations that react to “Content published”',
    );
  });

  it('shows only readable progress values', () => {
    expect(
      progressFacts({
        status: 'generating',
        step: 'draft',
        percent: 50,
        contentId: 'x',
        tokens: { input: 1 },
      }),
    ).toEqual([
      ['Current step', 'Draft'],
      ['Writing done', '50%'],
    ]);
  });
});
