import { emptyRunNames, runSubject, runTitle, runWaitingFor } from './run-titles';

const c1 = '11111111-1111-4111-8111-111111111111';
const s1 = '22222222-2222-4222-8222-222222222222';
const k1 = '33333333-3333-4333-8333-333333333333';

describe('run titles', () => {
  const names = emptyRunNames();
  names.content.set(c1, {
    type: 'review_article',
    title: 'Keto',
    campaignName: 'Keto spring push',
    status: 'awaiting_review',
  });
  names.sequences.set(s1, 'Welcome');
  names.contacts.set(k1, 'ana@example.com');

  it('names a content run by its type and campaign, and says it waits for review', () => {
    const subject = runSubject('contentPipelineWorkflow', `content:${c1}`, 'anything');
    expect(runTitle(subject, names)).toBe('Review article for Keto spring push');
    expect(runWaitingFor(subject, names)).toBe('Waiting for review');
  });

  it('names a sequence run by the sequence and the contact, without doubling "sequence"', () => {
    expect(runTitle(runSubject('emailSequenceWorkflow', `seq:${s1}:${k1}`, null), names)).toBe(
      'Welcome sequence for ana@example.com',
    );
    const other = emptyRunNames();
    other.sequences.set(s1, 'Onboarding sequence');
    expect(runTitle(runSubject('emailSequenceWorkflow', `seq:${s1}:${k1}`, null), other)).toBe(
      'Onboarding sequence',
    );
  });

  it('never falls back to an id or a workflow type when a name is unknown', () => {
    const none = emptyRunNames();
    const titles = [
      runTitle(runSubject('contentPipelineWorkflow', `content:${c1}`, null), none),
      runTitle(runSubject('emailSequenceWorkflow', `seq:${s1}:${k1}`, null), none),
      runTitle(runSubject('someFutureWorkflow', 'future:abc', null), none),
      runTitle(runSubject('platformCheckWorkflow', `platform-check:${c1}`, `Platform check ${c1}`), none),
    ];
    expect(titles).toEqual(['Content draft', 'Email sequence', 'Background task', 'Platform check']);
    for (const t of titles) expect(t).not.toMatch(/[0-9a-f]{8}-|Workflow/);
  });

  it('reads ClickBank, insight, product sync and bonus runs', () => {
    const none = emptyRunNames();
    expect(
      runTitle(
        runSubject(
          'clickbankNotificationWorkflow',
          'clickbank-ins:t:k',
          `ClickBank SALE ABC123 for team ${c1}`,
        ),
        none,
      ),
    ).toBe('ClickBank sale, receipt ABC123');
    expect(runTitle(runSubject('teamInsightsWorkflow', `insights:${c1}:2026-12-05`, null), none)).toBe(
      'Nightly insight for Dec 5, 2026',
    );
    expect(runTitle(runSubject('catalogSyncWorkflow', 'catalog-sync', null), none)).toBe('Product sync');
    expect(runTitle(runSubject('bonusDeliveryWorkflow', 'bonus:R1:2', null), none)).toBe(
      'Bonus delivery for receipt R1',
    );
  });

  it("names an event's automation check in words, never by the event name", () => {
    const id = `auto-event:${s1}:contact.created:${k1}`;
    expect(
      runTitle(runSubject('automationEventWorkflow', id, `Platform event contact.created ${k1}`), names),
    ).toBe('New contact ana@example.com: checked automations');
    const tagged = runSubject('automationEventWorkflow', 'x', `Platform event contact.tagged import-1:${k1}`);
    expect(runTitle(tagged, names)).toBe('Contact tagged ana@example.com: checked automations');
    const published = runSubject('automationEventWorkflow', 'x', `Platform event content.published ${c1}`);
    expect(runTitle(published, names)).toBe('Content published “Keto”: checked automations');
    const none = emptyRunNames();
    const fromId = runSubject('automationEventWorkflow', `auto-event:${s1}:email.refused:h:abc`, null);
    expect(runTitle(fromId, none)).toBe('Email refused: checked automations');
    expect(
      runTitle(runSubject('automationEventWorkflow', 'x', 'Platform event bonus.delivered R1:1'), none),
    ).toBe('Bonus delivered: checked automations');
  });
});
