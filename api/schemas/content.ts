import { contentLengths, contentTypes } from '../../lib/content/prompts';
import { contentStatuses } from '../../workflows/contracts/content-pipeline';
import { contentRevisionKinds } from '../../data/content-revisions';
import { timestamp, uuid } from './common';
import { z } from './zod';

export const contentParams = z.object({ teamId: uuid, contentId: uuid });

export const createContentBody = z.object({
  campaignId: uuid,
  type: z.enum(contentTypes),
  tone: z.string().trim().min(1, 'Enter a tone').max(60, 'At most 60 characters'),
  keywords: z
    .array(z.string().trim().min(1).max(60))
    .max(20, 'At most 20 keywords')
    .default([])
    .openapi({ example: ['keto', 'weight loss'] }),
  length: z.enum(contentLengths).default('medium'),
});

export const listContentQuery = z.object({ status: z.enum(contentStatuses).optional() });

/** Future-ness is the workflow validator's call (its clock); here only the shape. */
const publishAt = z.iso.datetime({ offset: true }).nullable();

export const reviewBody = z.object({
  decision: z.enum(['approve', 'reject', 'revise']),
  notes: z.string().trim().max(4000).optional(),
  publishAt: publishAt.optional(),
  publish: z.boolean().optional(),
  /** The revision being approved (what the reviewer saw); default: the newest draft or edit. */
  revisionId: uuid.optional(),
});

/** Long enough for the longest article with room for edits; Markdown (plain text for social posts). */
const CONTENT_TEXT_MAX = 100_000;

export const editBody = z.object({
  body: z
    .string()
    .trim()
    .min(1, 'Write some text before saving')
    .max(CONTENT_TEXT_MAX, `At most ${CONTENT_TEXT_MAX.toLocaleString('en-US')} characters`),
});

export const scheduleBody = z.object({ publishAt });

const contentSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    campaignId: uuid.nullable(),
    type: z.enum(contentTypes),
    title: z.string(),
    status: z.enum(contentStatuses),
    step: z.string().nullable(),
    tone: z.string(),
    keywords: z.array(z.string()),
    length: z.enum(contentLengths),
    brief: z.string().nullable(),
    outline: z.string().nullable(),
    body: z.string().nullable(),
    reviewNotes: z.string().nullable(),
    failure: z.string().nullable(),
    publishAt: timestamp.nullable(),
    publishedUrl: z.string().nullable(),
    wordpressPostId: z.number().nullable(),
    tokens: z.object({ input: z.number(), output: z.number() }),
    workflowId: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Content');

const contentProgressSchema = z
  .object({
    status: z.enum(contentStatuses),
    step: z.string().nullable(),
    percent: z.number(),
    tokens: z.object({ input: z.number(), output: z.number() }),
    publishAt: z.string().nullable(),
  })
  .openapi('ContentProgress');

export const contentResponse = z.object({
  content: contentSchema,
  progress: contentProgressSchema.optional(),
});
export const createdContentResponse = z.object({ content: contentSchema, workflowId: z.string() });
export const contentListResponse = z.object({ content: z.array(contentSchema) });

const revisionSchema = z
  .object({
    id: uuid,
    contentId: uuid,
    kind: z.enum(contentRevisionKinds),
    body: z.string().nullable(),
    note: z.string().nullable(),
    author: z.object({ id: uuid, name: z.string() }).nullable(),
    createdAt: timestamp,
  })
  .openapi('ContentRevision');

export const revisionListResponse = z.object({ revisions: z.array(revisionSchema) });
export const savedEditResponse = z.object({ revision: revisionSchema, content: contentSchema });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type Content = z.output<typeof contentSchema>;
export type ContentStatus = Content['status'];
export type ContentType = Content['type'];
export type ContentLength = Content['length'];
export type ContentResponse = z.output<typeof contentResponse>;
export type CreatedContentResponse = z.output<typeof createdContentResponse>;
export type ContentListResponse = z.output<typeof contentListResponse>;
export type ContentRevision = z.output<typeof revisionSchema>;
export type ContentRevisionKind = ContentRevision['kind'];
export type RevisionListResponse = z.output<typeof revisionListResponse>;
export type SavedEditResponse = z.output<typeof savedEditResponse>;
