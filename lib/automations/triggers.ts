import { z } from 'zod';
import { durationSchema, MAX_WAIT_MS } from './durations';
import { condition } from './fields';

/** What starts a run. Secrets (a webhook's token or signing key) live with the automation, never in its definition. */

/** Events the platform raises, for `event` triggers and `wait_for_event` steps. */
export const platformEvents = [
  'contact.created',
  'contact.tagged',
  'content.approved',
  'content.published',
  'email.refused',
  'bonus.delivered',
] as const;

/** ClickBank INS transaction types (TEST_* arrive from the ClickBank test button and the sandbox). */
const clickbankTransactionTypes = [
  'SALE',
  'BILL',
  'RFND',
  'CGBK',
  'INSF',
  'CANCEL-REBILL',
  'UNCANCEL-REBILL',
  'TEST',
  'TEST_SALE',
  'TEST_BILL',
  'TEST_RFND',
] as const;

const webhookTrigger = z.strictObject({
  type: z.literal('webhook'),
  auth: z.discriminatedUnion('scheme', [
    z.strictObject({ scheme: z.literal('token') }).describe('a secret token in the Authorization header'),
    z
      .strictObject({
        scheme: z.literal('standard_webhooks'),
        tolerance: durationSchema(3_600_000).default('5m'),
      })
      .describe('webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks)'),
  ]),
  /** Deliveries for which this gives false are recorded and skipped. */
  filter: condition
    .meta({
      description: 'Only calls for which this is true start a run',
      examples: ['has(trigger.email)'],
    })
    .optional(),
  /** Where the delivery key comes from when neither Idempotency-Key nor webhook-id is sent. */
  idempotency_key: z
    .string()
    .max(2_000)
    .meta({
      description: 'A value that is the same when the same call arrives twice, so it runs once',
      examples: ['{{ trigger.order.id }}'],
    })
    .optional(),
});

const scheduleTrigger = z
  .strictObject({
    type: z.literal('schedule'),
    cron: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({
        description: 'five fields (minute hour day month weekday)',
        examples: ['0 9 * * 1'],
      }),
    every: durationSchema(MAX_WAIT_MS, 60_000)
      .optional()
      .meta({ description: 'an interval, at least 1m', examples: ['1d'] }),
    timezone: z
      .string()
      .min(1)
      .max(64)
      .default('UTC')
      .meta({ description: 'an IANA time zone, e.g. Europe/Berlin', examples: ['Europe/Berlin'] }),
  })
  .refine((t) => (t.cron === undefined) !== (t.every === undefined), {
    error: 'give either cron or every',
    path: ['cron'],
  });

const clickbankTrigger = z.strictObject({
  type: z.literal('clickbank'),
  transaction_types: z
    .array(z.enum(clickbankTransactionTypes))
    .min(1, 'choose at least one transaction type')
    .meta({ description: 'Which notifications start a run: SALE is a sale, RFND a refund, BILL a rebill' })
    .default(['SALE']),
  vendor: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/, 'a ClickBank vendor nickname: letters and digits')
    .meta({ description: 'Only sales of this vendor; leave empty for all', examples: ['KetoBoost1'] })
    .optional(),
  item: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .meta({ description: 'Only this item number; leave empty for all', examples: ['1'] })
    .optional(),
  campaign_id: z
    .uuid()
    .meta({ description: 'Only sales that came through this campaign’s links' })
    .optional(),
});

const eventTrigger = z.strictObject({
  type: z.literal('event'),
  event: z.enum(platformEvents).meta({ description: 'What happens in Hopflow that starts a run' }),
  filter: condition
    .meta({
      description: 'Only events for which this is true start a run',
      examples: ['"buyer" in trigger.tags_added'],
    })
    .optional(),
});

const manualTrigger = z.strictObject({ type: z.literal('manual') });

export const triggerSchema = z.discriminatedUnion(
  'type',
  [webhookTrigger, scheduleTrigger, clickbankTrigger, eventTrigger, manualTrigger],
  { error: 'a trigger type: webhook, schedule, clickbank, event or manual' },
);

export type Trigger = z.output<typeof triggerSchema>;
