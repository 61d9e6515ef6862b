/**
 * Sample trigger payloads for the builder (variable picker values, test runs, dry runs): what a run of each
 * trigger type really reads as `trigger`, built with the same functions the platform uses to build it
 * (clickbankTriggerPayload, the platform event payloads, the Schedule's payload). A webhook's body is whatever
 * the caller sends; the sample is a lead as the template gallery expects it.
 */
import { parseInsNotification } from '../clickbank/ins';
import { clickbankTriggerPayload } from './clickbank-trigger';
import {
  bonusDeliveredPayload,
  contactCreatedPayload,
  contactTaggedPayload,
  contentApprovedPayload,
  contentPublishedPayload,
  emailRefusedPayload,
  type ContactFacts,
  type ContentFacts,
} from './platform-events';
import type { Trigger } from './triggers';

const SAMPLE_CAMPAIGN = '3f2a6b1e-8c1d-4c5e-9a7b-2d4e6f8a0b1c';

const contact: ContactFacts = {
  id: '5d0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  tags: ['lead', 'buyer'],
  status: 'active',
  source: 'api',
};

const content = (status: string, published: boolean): ContentFacts => ({
  id: '8e1f2a3b-4c5d-4e6f-9a0b-1c2d3e4f5a6b',
  campaignId: SAMPLE_CAMPAIGN,
  type: 'review',
  title: 'Keto Boost review',
  status,
  keywords: ['keto diet'],
  body: 'Keto Boost is…',
  publishAt: null,
  publishedUrl: published ? 'https://blog.example.com/keto-boost-review' : null,
  wordpressPostId: published ? 42 : null,
});

function clickbankSample(type: string) {
  const refund = ['RFND', 'CGBK', 'TEST_RFND'].includes(type);
  return clickbankTriggerPayload(
    parseInsNotification({
      transactionTime: '20261206T120000-0700',
      receipt: 'ABCD1234',
      transactionType: type,
      vendor: 'KetoBoost1',
      affiliate: 'yourid',
      role: 'AFFILIATE',
      totalAccountAmount: refund ? '-27.50' : '27.50',
      totalOrderAmount: refund ? -47 : 47,
      currency: 'USD',
      paymentMethod: 'VISA',
      trackingCodes: ['spring_sale'],
      lineItems: [{ itemNo: 1, productTitle: 'Keto Boost', accountAmount: 27.5, quantity: 1 }],
      customer: {
        billing: { firstName: 'Bo', lastName: 'Jones', fullName: 'Bo Jones', email: 'bo@example.com' },
      },
      version: 8,
    }),
    { tid: 'spring_sale', campaignId: SAMPLE_CAMPAIGN },
  );
}

const eventSamples: Record<string, () => unknown> = {
  'contact.created': () => contactCreatedPayload(contact, 'api'),
  'contact.tagged': () => contactTaggedPayload(contact, ['buyer'], 'api'),
  'content.approved': () =>
    contentApprovedPayload(content('approved', false), { publish: true, publishAt: null, notes: null }),
  'content.published': () =>
    contentPublishedPayload(content('published', true), {
      postId: 42,
      url: 'https://blog.example.com/keto-boost-review',
    }),
  'email.refused': () =>
    emailRefusedPayload(
      { to: contact.email, kind: 'automation', subject: 'Welcome, Ann!', key: 'auto:sample' },
      'the address is inactive',
      contact,
    ),
  'bonus.delivered': () =>
    bonusDeliveredPayload({
      receipt: 'ABCD1234',
      itemNo: '1',
      campaignId: SAMPLE_CAMPAIGN,
      buyerEmail: 'bo@example.com',
      contactId: contact.id,
      messageId: 'b7a1c2d3-0000-4000-8000-000000000001',
      bonuses: [
        {
          id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
          name: 'Keto recipe book',
          expiresAt: new Date('2027-01-05T12:00:00Z'),
        },
      ],
    }),
};

/** The trigger types and events the samples cover, as the trigger schema names them. */
type TriggerLike = Pick<Trigger, 'type'> & { event?: string; transaction_types?: readonly string[] };

/** A payload a run of this trigger really reads as `trigger` (see the module comment). */
export function sampleTriggerPayload(trigger: TriggerLike): Record<string, unknown> {
  switch (trigger.type) {
    case 'webhook':
      return { email: 'lead@example.com', name: 'Lee' };
    case 'clickbank':
      return clickbankSample(trigger.transaction_types?.[0] ?? 'SALE') as unknown as Record<string, unknown>;
    case 'event': {
      const build = trigger.event ? eventSamples[trigger.event] : undefined;
      return (build?.() ?? {}) as Record<string, unknown>;
    }
    case 'schedule':
      // temporal/automation-schedules.ts: the Schedule starts runs with its own id.
      return { schedule_id: 'auto-schedule:00000000-0000-4000-8000-000000000000' };
    case 'manual':
    default:
      return {};
  }
}
