import { parseInsNotification } from '../clickbank/ins';
import { clickbankTriggerPayload } from './clickbank-trigger';
import { evaluateCondition, evaluateTemplate, type ExpressionScope } from './expressions';
import { automationTemplates, instantiateTemplate } from './gallery';
import { contactTaggedPayload, emailRefusedPayload } from './platform-events';
import { evaluateActionConfig, isActionType, type ActionType } from './step-config';

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
      { path: 'values.campaign_id', message: 'Choose a campaign' },
      { path: 'values.gap', message: 'Enter a duration such as 30m, 2h or 2d' },
    ]);
  });

  it('uses the defaults a builder leaves empty', () => {
    const review = automationTemplates.find((t) => t.id === 'weekly-review-approval')!;
    const result = instantiateTemplate(review, { campaign_id: CAMPAIGN, timezone: '' });
    expect(result.ok && result.definition.trigger).toMatchObject({ type: 'schedule', timezone: 'UTC' });
  });
});

/**
 * Every template step read against the payloads its trigger really carries (built by the same functions the
 * platform uses), so a template never names a field that is not there.
 */
describe('automation templates against real payloads', () => {
  const contact = {
    id: '5d0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    email: 'ann@example.com',
    firstName: 'Ann',
    lastName: null,
    tags: ['buyer'],
    status: 'active',
    source: 'api',
  };
  const sale = (type: string) =>
    clickbankTriggerPayload(
      parseInsNotification({
        transactionTime: '20261206T120000-0700',
        receipt: 'ABCD1234',
        transactionType: type,
        vendor: 'KetoBoost1',
        totalAccountAmount: type === 'SALE' ? '27.50' : '-27.50',
        totalOrderAmount: 47,
        currency: 'USD',
        trackingCodes: ['spring_sale'],
        lineItems: [{ itemNo: 1, productTitle: 'Keto Boost', accountAmount: 27.5, quantity: 1 }],
        customer: { billing: { firstName: 'Bo', email: 'Bo@Example.com' } },
        version: 8,
      }),
      { tid: 'spring_sale', campaignId: CAMPAIGN },
    );
  const refused = (withContact: boolean) =>
    emailRefusedPayload(
      { to: 'ann@example.com', kind: 'bonus', subject: 'Your bonus', key: 'bonus:x' },
      'the address is inactive',
      withContact ? contact : undefined,
    );
  const payloads: Record<string, unknown[]> = {
    'sale-bonus-follow-up': [sale('SALE')],
    'weekly-review-approval': [{ schedule_id: 'auto-schedule:x' }],
    'refund-cleanup': [sale('RFND')],
    'webhook-lead-drip': [{ email: 'lead@example.com', name: 'Lee' }, { email: 'lead@example.com' }],
    'refused-email-tag': [refused(true), refused(false)],
    'tagged-contact-sequence': [contactTaggedPayload(contact, ['buyer'], 'api')],
  };
  // What the steps before give (activities/automation-actions.ts and the interpreter's wait_for_approval).
  const earlier = {
    draft: {
      output: { content_id: CAMPAIGN, status: 'awaiting_review', title: 'Keto Boost review', url: null },
    },
    approval: {
      output: { decision: 'approve', decided_by: 'u1', note: null, decided_at: 'x', timed_out: false },
    },
  };

  it('has sample payloads for every template', () => {
    expect(Object.keys(payloads).sort()).toEqual(automationTemplates.map((t) => t.id).sort());
  });

  it.each(automationTemplates.map((t) => [t.id, t] as const))(
    '%s reads only fields its trigger gives',
    (id, template) => {
      const result = instantiateTemplate(template, sample);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const definition = result.definition as unknown as {
        trigger: { filter?: string };
        steps: { id: string; type: string; if?: string; config: Record<string, unknown> }[];
      };
      for (const trigger of payloads[id]!) {
        const scope = { trigger, steps: earlier, vars: {}, run: {} } as unknown as ExpressionScope;
        if (definition.trigger.filter) expect(evaluateCondition(definition.trigger.filter, scope)).toBe(true);
        for (const step of definition.steps) {
          if (step.if && !evaluateCondition(step.if, scope)) continue;
          if (isActionType(step.type) && step.type !== 'generate_content') {
            expect(() => evaluateActionConfig(step.type as ActionType, step.config, scope)).not.toThrow();
          } else if (step.type === 'wait_for_approval') {
            expect(evaluateTemplate(String(step.config.message), scope)).toBe('Publish “Keto Boost review”?');
          }
        }
      }
    },
  );

  it('tags a refused address only when it is a contact, and says which it was', () => {
    const template = automationTemplates.find((t) => t.id === 'refused-email-tag')!;
    const result = instantiateTemplate(template, sample);
    if (!result.ok) throw new Error('invalid');
    const [tag, tell] = (
      result.definition as unknown as { steps: { if?: string; config: { body?: string } }[] }
    ).steps;
    const scope = (trigger: unknown) => ({ trigger, steps: {}, vars: {}, run: {} });
    expect(evaluateCondition(tag!.if!, scope(refused(true)))).toBe(true);
    expect(evaluateCondition(tag!.if!, scope(refused(false)))).toBe(false);
    expect(evaluateTemplate(tell!.config.body!, scope(refused(false)))).toContain('not one of your contacts');
  });
});
