import {
  CONTACT_NAME_MAX_LENGTH,
  CONTACT_SEARCH_COUNT_CAP,
  MAX_TAGS_PER_CONTACT,
  TAG_MAX_LENGTH,
} from '../../lib/contacts/fields';
import { email } from './auth';
import { timestamp, uuid } from './common';
import { z } from './zod';

const contactStatuses = ['active', 'unsubscribed', 'inactive'] as const;
const contactSources = ['import', 'sale', 'manual', 'api'] as const;

const contactStatusSchema = z.enum(contactStatuses).openapi('ContactStatus');
const contactSourceSchema = z.enum(contactSources).openapi('ContactSource');

const contactEmail = email;

/** Tags are compared lower-cased and trimmed: "VIP " and "vip" are one tag. */
const contactTag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'A tag cannot be empty')
  .max(TAG_MAX_LENGTH, `A tag has at most ${TAG_MAX_LENGTH} characters`)
  .openapi({ example: 'buyers' });

const contactTags = z
  .array(contactTag)
  .transform((tags) => [...new Set(tags)])
  .refine((tags) => tags.length <= MAX_TAGS_PER_CONTACT, `At most ${MAX_TAGS_PER_CONTACT} tags per contact`);

/** A first or last name; empty text clears it. */
const contactName = z
  .string()
  .trim()
  .max(CONTACT_NAME_MAX_LENGTH, `At most ${CONTACT_NAME_MAX_LENGTH} characters`)
  .transform((v) => (v === '' ? null : v))
  .nullable();

export const contactParams = z.object({ teamId: uuid, contactId: uuid });

export const createContactBody = z
  .strictObject({
    email: contactEmail,
    firstName: contactName.optional(),
    lastName: contactName.optional(),
    tags: contactTags.optional(),
  })
  .openapi('CreateContactBody');

export const updateContactBody = z
  .strictObject({
    firstName: contactName.optional(),
    lastName: contactName.optional(),
    tags: contactTags.optional().openapi({ description: 'Replaces the contact’s tags' }),
    status: z
      .enum(['active', 'unsubscribed'], "Set 'unsubscribed' (or keep 'active'); 'inactive' is set by bounces")
      .optional()
      .openapi({
        description:
          "'unsubscribed' takes a contact off the list; nobody but the reader (by opting in again) can make one active",
      }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Send firstName, lastName, tags or status')
  .openapi('UpdateContactBody');

export const listContactsQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({
    description:
      'Part of the email, first or last name, case-insensitive; a term without three letters or digits in a row matches the start of the email, first or last name ("jo sm": first name starting jo, last name starting sm)',
  }),
  tag: contactTag.optional(),
  status: contactStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(500)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor from this API')
    .optional()
    .openapi({ description: 'nextCursor of the previous page (same q, tag and status)' }),
});
export type ListContactsQuery = z.output<typeof listContactsQuery>;

/** `a,b` -> ['a','b'], each a valid tag; added to every imported row. */
export const importContactsQuery = z.object({
  tags: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').filter((t) => t.trim() !== ''))
    .pipe(contactTags)
    .openapi({
      description: 'Comma-separated tags added to every imported contact',
      example: 'webinar,2026',
    }),
  lineOffset: z.coerce.number().int().min(0).default(0).openapi({
    description:
      'Added to the reported line numbers: a client that sends a big file in pieces passes the line before the piece',
  }),
});

const contactSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    tags: z.array(z.string()),
    source: contactSourceSchema,
    status: contactStatusSchema,
    statusReason: z.string().nullable(),
    statusChangedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Contact');

export const contactResponse = z.object({ contact: contactSchema });
export const contactsResponse = z
  .object({
    contacts: z.array(contactSchema),
    total: z
      .number()
      .int()
      .openapi({
        description: `All contacts matching q, tag and status; a search (q) counts at most ${CONTACT_SEARCH_COUNT_CAP.toLocaleString('en-US')}`,
      }),
    totalCapped: z.boolean().openapi({
      description: `true when a search matches more than ${CONTACT_SEARCH_COUNT_CAP.toLocaleString('en-US')} contacts (total is then that cap)`,
    }),
    nextCursor: z.string().nullable(),
  })
  .openapi('ContactPage');
export const contactTagsResponse = z
  .object({ tags: z.array(z.object({ tag: z.string(), count: z.number().int() })) })
  .openapi('ContactTags');

const importSkipSchema = z.object({
  line: z.number().int().openapi({ description: 'Line in the file (1 = header), plus lineOffset if given' }),
  field: z.string(),
  message: z.string(),
});
/** What an import did to the contacts: the synchronous result and the job report both count these. */
const importCounts = {
  created: z.number().int(),
  updated: z.number().int().openapi({ description: 'Existing contacts that got new tags or names' }),
  unchanged: z.number().int(),
  duplicates: z
    .number()
    .int()
    .openapi({ description: 'Rows repeating an address seen earlier in the same file (merged into it)' }),
};
export const importResultSchema = z
  .object({
    ...importCounts,
    skipped: z.array(importSkipSchema),
    total: z.number().int().openapi({ description: 'Data rows in the file' }),
  })
  .openapi('ContactImportResult');
export type ContactImportResult = z.output<typeof importResultSchema>;

export const contactImportParams = z.object({ teamId: uuid, importId: uuid });

/** The import job's query: the same tags as the synchronous route (line numbers are the file's own). */
export const contactImportJobQuery = importContactsQuery.pick({ tags: true });

const contactImportJobSchema = z
  .object({
    id: uuid,
    status: z.enum(['queued', 'reading', 'importing', 'finished', 'failed']).openapi({
      description:
        'queued (stored, waiting for a worker), reading (the file is split into pieces), importing (piece by piece), finished or failed',
    }),
    tags: z.array(z.string()),
    fileBytes: z.number().int(),
    total: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Data rows in the file (null until the file is read)' }),
    rowsDone: z
      .number()
      .int()
      .openapi({ description: 'Rows of the file handled so far (rowsDone = total when done)' }),
    piecesTotal: z.number().int().nullable(),
    piecesDone: z.number().int(),
    ...importCounts,
    skippedCount: z
      .number()
      .int()
      .openapi({ description: 'Every row skipped so far (the detail lists at most the first 1,000)' }),
    error: z
      .object({
        message: z.string(),
        details: z.array(z.object({ path: z.string(), message: z.string() })),
      })
      .nullable()
      .openapi({ description: 'Why the import failed (details name the field, e.g. email)' }),
    workflowId: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .openapi('ContactImportJob');

export const contactImportJobResponse = z
  .object({
    import: contactImportJobSchema.extend({
      skipped: z.array(importSkipSchema).openapi({
        description:
          'Skipped rows so far, in file order: at most the first 1,000 (skippedCount has them all)',
      }),
    }),
  })
  .openapi('ContactImportJobDetail');
export const contactImportJobsResponse = z
  .object({ imports: z.array(contactImportJobSchema) })
  .openapi('ContactImportJobs');

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type ContactStatus = z.output<typeof contactStatusSchema>;
export type Contact = z.output<typeof contactSchema>;
export type ContactResponse = z.output<typeof contactResponse>;
export type ContactPage = z.output<typeof contactsResponse>;
export type ContactTags = z.output<typeof contactTagsResponse>;
export type TagCount = ContactTags['tags'][number];
export type ImportSkip = z.output<typeof importSkipSchema>;
