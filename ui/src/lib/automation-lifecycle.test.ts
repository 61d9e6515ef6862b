import {
  activateLabel,
  deliveryWords,
  durationWords,
  problemWords,
  scheduleWords,
  statusWords,
  triggerGuide,
  versionLine,
} from './automation-lifecycle';

const version = (state: 'draft' | 'published') => ({ state }) as never;

describe('where an automation stands, in words', () => {
  test('status, live version and the Activate button', () => {
    expect(statusWords('draft').label).toBe('Not live yet');
    expect(statusWords('active').label).toBe('Live');
    expect(statusWords('paused').label).toBe('Paused');
    expect(versionLine({ liveVersion: null, latestVersion: version('draft') })).toBe('Not published yet');
    expect(versionLine({ liveVersion: 3, latestVersion: version('published') })).toBe('Live: version 3');
    expect(versionLine({ liveVersion: 3, latestVersion: version('draft') })).toBe(
      'Live: version 3 · Changes not published yet',
    );
    expect(activateLabel({ status: 'draft', liveVersion: null, latestVersion: version('draft') })).toBe(
      'Publish and turn on',
    );
    expect(activateLabel({ status: 'active', liveVersion: 2, latestVersion: version('draft') })).toBe(
      'Publish changes',
    );
    expect(activateLabel({ status: 'paused', liveVersion: 2, latestVersion: version('published') })).toBe(
      'Turn on again',
    );
  });

  test('deliveries', () => {
    expect(deliveryWords({ status: 'started', reason: null }).label).toBe('Started a run');
    expect(deliveryWords({ status: 'duplicate', reason: null }).label).toBe('Duplicate (already received)');
    expect(deliveryWords({ status: 'filtered', reason: 'the filter gave false' }).label).toBe(
      'Skipped by the filter',
    );
    expect(deliveryWords({ status: 'refused', reason: 'Bad signature' }).label).toBe(
      'Refused: Bad signature',
    );
  });

  test('schedules', () => {
    expect(scheduleWords({ cron: '0 9 * * 1', timezone: 'Europe/Berlin' })).toBe(
      'Every Monday at 09:00 (Europe/Berlin)',
    );
    expect(scheduleWords({ cron: '30 7 * * *' })).toBe('Every day at 07:30 (UTC)');
    expect(scheduleWords({ cron: '0 8 1 * *', timezone: 'UTC' })).toBe(
      'On day 1 of every month at 08:00 (UTC)',
    );
    expect(scheduleWords({ cron: '*/5 * * * *', timezone: 'UTC' })).toBe(
      'On the pattern “*/5 * * * *” (UTC)',
    );
    expect(scheduleWords({ every: '2h' })).toBe('Every 2 hours');
    expect(durationWords('1d')).toBe('1 day');
  });

  test('other triggers say what starts them and how to try', () => {
    expect(triggerGuide({ type: 'clickbank', transaction_types: ['SALE', 'TEST_SALE'] }).tryIt).toContain(
      'Send a test sale from the ClickBank sandbox',
    );
    expect(triggerGuide({ type: 'manual' }).tryIt).toBe('Start a test run from the Steps tab.');
    expect(triggerGuide({ type: 'event', event: 'contact.tagged' }).starts).toContain(
      'a contact gets a new tag',
    );
  });

  test('activation problems name the step and the field', () => {
    const definition = {
      trigger: { type: 'schedule' },
      steps: [
        {
          id: 'check',
          name: 'Has a name?',
          type: 'branch',
          config: {
            branches: [{ when: 'x', steps: [{ id: 'mail', name: 'Welcome email', type: 'send_email' }] }],
          },
        },
      ],
    };
    expect(
      problemWords(
        definition,
        'definition.steps[0].config.branches[0].steps[0].config.to',
        'Enter an address',
      ),
    ).toBe('Step ‘Welcome email’, to: Enter an address');
    expect(problemWords(definition, 'definition.steps[0].config.branches[0].when', 'Bad condition')).toBe(
      'Step ‘Has a name?’, branch 1 condition: Bad condition',
    );
    expect(problemWords(definition, 'definition.trigger.cron', 'Not a cron')).toBe(
      'Trigger, cron: Not a cron',
    );
  });
});
