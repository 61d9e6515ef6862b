import { z } from 'zod';
import { contentLengths, contentTypes } from '../content/prompts';
import { MAX_TAGS_PER_CONTACT, TAG_MAX_LENGTH } from '../contacts/fields';
import { durationSchema } from './durations';
import { contactRef, emailOrExpression, identifier, jsonValue, recordId, text } from './fields';

/** The configs of steps that act: each names the same records the API does (campaigns, sequences, content). */

export const generateContentConfig = z.strictObject({
  campaign_id: recordId('campaign').meta({ description: 'The campaign the content is written for' }),
  type: z.enum(contentTypes).meta({ description: 'What kind of content to write' }),
  tone: text('tone', 60)
    .meta({ description: 'How the text should sound', examples: ['friendly'] })
    .default('friendly'),
  keywords: z
    .array(text('keyword', 60))
    .max(20, 'at most 20 keywords')
    .meta({ description: 'Words the text should use, at most 20', examples: [['keto diet', 'weight loss']] })
    .default([]),
  length: z.enum(contentLengths).meta({ description: 'How long the text should be' }).default('medium'),
  /** true: the step waits until the draft is reviewed (approved, rejected or revised). */
  wait_for_review: z
    .boolean()
    .meta({ description: 'Wait until someone has reviewed the draft before going on' })
    .default(false),
});

export const sendEmailConfig = z.strictObject({
  to: emailOrExpression.meta({
    description: 'Who gets the email: an address, or a value from the trigger',
    examples: ['{{ trigger.email }}'],
  }),
  subject: text('subject', 200)
    .refine((s) => !/[\r\n]/.test(s), 'a subject is one line')
    .meta({ description: 'One line', examples: ['Welcome, {{ trigger.name }}!'] }),
  body: text('body', 20_000).meta({
    description: 'The text of the email; a blank line starts a new paragraph',
    examples: ['Hi {{ trigger.name }},\n\nThanks for signing up.'],
  }),
  /** The campaign whose sender, unsubscribe link and analytics the email uses. */
  campaign_id: recordId('campaign')
    .meta({ description: 'The campaign the email belongs to (for its statistics)' })
    .optional(),
});

const contactField = contactRef.meta({
  description: 'The contact: an email address, a contact id, or a value from the trigger',
  examples: ['{{ trigger.email }}'],
});

export const addToSequenceConfig = z.strictObject({
  sequence_id: recordId('sequence').meta({ description: 'The email sequence the contact starts' }),
  contact: contactField,
});

export const removeFromSequenceConfig = z.strictObject({
  sequence_id: recordId('sequence').meta({ description: 'The email sequence to stop' }),
  contact: contactField,
  reason: z
    .string()
    .max(200)
    .meta({ description: 'Why, kept with the contact', examples: ['removed by an automation'] })
    .default('removed by an automation'),
});

const tag = z.string().trim().toLowerCase().min(1, 'a tag cannot be empty').max(TAG_MAX_LENGTH);

export const tagContactConfig = z
  .strictObject({
    contact: contactField,
    add: z
      .array(tag)
      .max(MAX_TAGS_PER_CONTACT)
      .meta({ description: 'Tags to give the contact', examples: [['buyer']] })
      .default([]),
    remove: z
      .array(tag)
      .max(MAX_TAGS_PER_CONTACT)
      .meta({ description: 'Tags to take away from the contact', examples: [['lead']] })
      .default([]),
  })
  .refine((c) => c.add.length + c.remove.length > 0, {
    error: 'add or remove at least one tag',
    path: ['add'],
  });

export const deliverBonusConfig = z.strictObject({
  /** The ClickBank receipt and line item the bonus is for (usually from a clickbank trigger). */
  receipt: text('receipt', 2_000).meta({
    description: 'The ClickBank receipt of the sale',
    examples: ['{{ trigger.receipt }}'],
  }),
  item_no: text('item number', 2_000).meta({
    description: 'The item of the sale the bonus is for',
    examples: ['{{ trigger.line_items[0].item_no }}'],
  }),
  email: emailOrExpression.meta({
    description: 'Where to send the bonus',
    examples: ['{{ trigger.customer.email }}'],
  }),
  /** Deliver these bonuses; without it, the bonuses of the campaign the sale matches. */
  bonus_ids: z
    .array(recordId('bonus'))
    .max(20)
    .meta({ description: 'Leave empty to deliver the bonuses of the campaign the sale came from' })
    .optional(),
});

export const publishWordpressConfig = z.strictObject({
  content_id: recordId('content').meta({
    description: 'The content to publish',
    examples: ['{{ steps.draft.output.content_id }}'],
  }),
  status: z
    .enum(['publish', 'draft'])
    .meta({ description: 'Publish it, or save it as a draft on WordPress' })
    .default('publish'),
  /** An ISO time (or expression) to publish at; absent publishes at once. */
  publish_at: z
    .string()
    .max(2_000)
    .meta({
      description: 'When to publish, with its time zone offset; leave empty to publish at once',
      examples: ['2026-12-24T09:00:00+01:00'],
    })
    .optional(),
});

export const httpRequestConfig = z.strictObject({
  method: z
    .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    .meta({ description: 'GET reads, POST sends new data' })
    .default('GET'),
  url: z
    .string()
    .max(4_000)
    .refine((u) => /^https?:\/\//i.test(u) || u.trimStart().startsWith('{{'), 'an http or https URL')
    .meta({ description: 'The web address to call', examples: ['https://example.com/api/leads'] }),
  headers: z
    .record(z.string().max(200), z.string().max(4_000))
    .meta({ description: 'Extra headers, such as an API key', examples: [{ 'X-Api-Key': 'your key' }] })
    .default({}),
  body: jsonValue
    .meta({
      description: 'What to send: text, or JSON for most apps',
      examples: [{ email: '{{ trigger.email }}' }],
    })
    .optional(),
  timeout: durationSchema(60_000)
    .meta({ description: 'How long to wait for an answer, at most 1m', examples: ['10s'] })
    .default('10s'),
  max_response_bytes: z
    .number()
    .int()
    .min(1)
    .max(5 * 1024 * 1024, 'at most 5 MB')
    .meta({ description: 'The largest answer to read, in bytes (at most 5 MB)' })
    .default(1024 * 1024),
});

export const setVariableConfig = z.strictObject({
  name: identifier('a variable name').meta({
    description: 'Later steps read it as vars.<name>: lower-case letters, digits and _',
    examples: ['first_name'],
  }),
  value: jsonValue.meta({
    description: 'The value to remember: text, or a value from the trigger or an earlier step',
    examples: ['{{ trigger.name }}'],
  }),
});
