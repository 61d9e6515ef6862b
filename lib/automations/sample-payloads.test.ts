import { validateDefinition } from './validate';
import { evaluateTemplate } from './expressions';
import { platformEvents } from './triggers';
import { sampleTriggerPayload } from './sample-payloads';
import { stepOutputs } from './step-outputs';
import { stepTypes } from './steps';

const scope = (trigger: unknown) => ({ trigger, steps: {}, vars: {}, run: {} });

describe('sampleTriggerPayload', () => {
  it('gives a webhook lead with email and name', () => {
    expect(sampleTriggerPayload({ type: 'webhook' })).toEqual({ email: 'lead@example.com', name: 'Lee' });
  });

  it('gives a ClickBank sale as the platform builds it, refunds negative', () => {
    const sale = sampleTriggerPayload({ type: 'clickbank', transaction_types: ['SALE'] });
    expect(sale).toMatchObject({
      receipt: 'ABCD1234',
      transaction_type: 'SALE',
      amount: 27.5,
      customer: { email: 'bo@example.com', first_name: 'Bo' },
      line_items: [{ item_no: '1', product_title: 'Keto Boost' }],
    });
    expect(evaluateTemplate('{{ trigger.customer.email }}', scope(sale))).toBe('bo@example.com');
    const refund = sampleTriggerPayload({ type: 'clickbank', transaction_types: ['RFND'] });
    expect(refund).toMatchObject({ transaction_type: 'RFND', amount: -27.5 });
  });

  it.each(platformEvents.map((e) => [e]))('gives a %s event payload', (event) => {
    const payload = sampleTriggerPayload({ type: 'event', event });
    expect(Object.keys(payload).length).toBeGreaterThan(0);
  });

  it('gives a contact.tagged payload with the contact and the tags added', () => {
    const payload = sampleTriggerPayload({ type: 'event', event: 'contact.tagged' });
    expect(evaluateTemplate('{{ trigger.contact.email }}', scope(payload))).toBe('ann@example.com');
    expect(payload.tags_added).toEqual(['buyer']);
  });

  it('gives the Schedule id for a schedule and nothing for a manual start', () => {
    const schedule = sampleTriggerPayload({ type: 'schedule' });
    expect(Object.keys(schedule)).toEqual(['schedule_id']);
    expect(schedule.schedule_id).toMatch(/^auto-schedule:/);
    expect(sampleTriggerPayload({ type: 'manual' })).toEqual({});
  });

  it('lets the documented webhook lead welcome email render', () => {
    const def = validateDefinition({
      version: 1,
      trigger: { type: 'webhook', auth: { scheme: 'token' } },
      steps: [
        {
          id: 'welcome',
          name: 'Welcome',
          type: 'send_email',
          config: { to: '{{ trigger.email }}', subject: 'Hi {{ trigger.name }}', body: 'Hello' },
        },
      ],
    });
    expect(def.ok).toBe(true);
    const trigger = sampleTriggerPayload({ type: 'webhook' });
    expect(evaluateTemplate('Hi {{ trigger.name }}', scope(trigger))).toBe('Hi Lee');
  });
});

describe('stepOutputs', () => {
  it('names the output fields of every step type', () => {
    expect(Object.keys(stepOutputs).sort()).toEqual([...stepTypes].sort());
    for (const fields of Object.values(stepOutputs)) expect(fields.length).toBeGreaterThan(0);
  });
});
