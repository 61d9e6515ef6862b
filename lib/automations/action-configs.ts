import { z } from 'zod';
import { contentLengths, contentTypes } from '../content/prompts';
import { MAX_TAGS_PER_CONTACT, TAG_MAX_LENGTH } from '../contacts/fields';
import { durationSchema } from './durations';
import { contactRef, emailOrExpression, identifier, jsonValue, recordId, text } from './fields';

/** The configs of steps that act: each names the same records the API does (campaigns, sequences, content). */

export const generateContentConfig = z.strictObject({
  campaign_id: recordId('campaign'),
  type: z.enum(contentTypes),
  tone: text('tone', 60).default('friendly'),
  keywords: z.array(text('keyword', 60)).max(20, 'at most 20 keywords').default([]),
  length: z.enum(contentLengths).default('medium'),
  /** true: the step waits until the draft is reviewed (approved, rejected or revised). */
  wait_for_review: z.boolean().default(false),
});

export const sendEmailConfig = z.strictObject({
  to: emailOrExpression,
  subject: text('subject', 200).refine((s) => !/[\r\n]/.test(s), 'a subject is one line'),
  body: text('body', 20_000),
  /** The campaign whose sender, unsubscribe link and analytics the email uses. */
  campaign_id: recordId('campaign').optional(),
});

export const addToSequenceConfig = z.strictObject({
  sequence_id: recordId('sequence'),
  contact: contactRef,
});

export const removeFromSequenceConfig = z.strictObject({
  sequence_id: recordId('sequence'),
  contact: contactRef,
  reason: z.string().max(200).default('removed by an automation'),
});

const tag = z.string().trim().toLowerCase().min(1, 'a tag cannot be empty').max(TAG_MAX_LENGTH);

export const tagContactConfig = z
  .strictObject({
    contact: contactRef,
    add: z.array(tag).max(MAX_TAGS_PER_CONTACT).default([]),
    remove: z.array(tag).max(MAX_TAGS_PER_CONTACT).default([]),
  })
  .refine((c) => c.add.length + c.remove.length > 0, {
    error: 'add or remove at least one tag',
    path: ['add'],
  });

export const deliverBonusConfig = z.strictObject({
  /** The ClickBank receipt and line item the bonus is for (usually from a clickbank trigger). */
  receipt: text('receipt', 2_000),
  item_no: text('item number', 2_000),
  email: emailOrExpression,
  /** Deliver these bonuses; without it, the bonuses of the campaign the sale matches. */
  bonus_ids: z.array(recordId('bonus')).max(20).optional(),
});

export const publishWordpressConfig = z.strictObject({
  content_id: recordId('content'),
  status: z.enum(['publish', 'draft']).default('publish'),
  /** An ISO time (or expression) to publish at; absent publishes at once. */
  publish_at: z.string().max(2_000).optional(),
});

export const httpRequestConfig = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z
    .string()
    .max(4_000)
    .refine((u) => /^https?:\/\//i.test(u) || u.trimStart().startsWith('{{'), 'an http or https URL'),
  headers: z.record(z.string().max(200), z.string().max(4_000)).default({}),
  body: jsonValue.optional(),
  timeout: durationSchema(60_000).default('10s'),
  max_response_bytes: z
    .number()
    .int()
    .min(1)
    .max(5 * 1024 * 1024, 'at most 5 MB')
    .default(1024 * 1024),
});

export const setVariableConfig = z.strictObject({
  name: identifier('a variable name'),
  value: jsonValue,
});
