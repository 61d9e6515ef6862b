import { automationTemplates, instantiateTemplate } from './gallery';

const CAMPAIGN = '3f2a6b1e-8c1d-4c5e-9a7b-2d4e6f8a0b1c';
const SEQUENCE = '7b9d1f3a-5c7e-4a9b-8d1f-3a5c7e9b1d3f';
const sample: Record<string, string> = {
  campaign_id: CAMPAIGN,
  sequence_id: SEQUENCE,
  team_email: 'team@example.com',
  tag: 'buyer',
};

describe('automation templates', () => {
  it('offers at least six, with distinct ids, covering webhook, schedule, ClickBank and event triggers', () => {
    expect(automationTemplates.length).toBeGreaterThanOrEqual(6);
    expect(new Set(automationTemplates.map((t) => t.id)).size).toBe(automationTemplates.length);
    expect(new Set(automationTemplates.map((t) => t.trigger))).toEqual(
      new Set(['webhook', 'schedule', 'clickbank', 'event']),
    );
  });

  it.each(automationTemplates.map((t) => [t.id, t] as const))(
    '%s gives a valid definition',
    (_id, template) => {
      const result = instantiateTemplate(template, sample);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
    },
  );

  it('names each missing or wrong value by its key', () => {
    const lead = automationTemplates.find((t) => t.id === 'webhook-lead-drip')!;
    expect(instantiateTemplate(lead, { gap: 'soon' }).problems).toEqual([
      { path: 'values.campaign_id', message: 'required: campaign the emails promote' },
      { path: 'values.gap', message: 'a duration such as 30m, 2h or 2d' },
    ]);
  });

  it('uses the defaults a builder leaves empty', () => {
    const review = automationTemplates.find((t) => t.id === 'weekly-review-approval')!;
    const result = instantiateTemplate(review, { campaign_id: CAMPAIGN, timezone: '' });
    expect(result.ok && result.definition.trigger).toMatchObject({ type: 'schedule', timezone: 'UTC' });
  });
});
