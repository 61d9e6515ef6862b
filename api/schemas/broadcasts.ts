import { timestamp, uuid } from './common';
import { bodyTemplate, subjectTemplate } from './sequences';
import { z } from './zod';

export const broadcastParams = z.object({ teamId: uuid, broadcastId: uuid });

const broadcastStatusSchema = z
  .enum(['scheduled', 'sending', 'sent', 'cancelled', 'failed'])
  .openapi('BroadcastStatus');

export const createBroadcastBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Enter a broadcast name').max(120, 'At most 120 characters'),
    subject: subjectTemplate,
    body: bodyTemplate,
    tag: z.string().trim().min(1, 'Name the tag to send to').max(64).toLowerCase(),
    campaignId: uuid.optional().openapi({
      description:
        "The campaign whose tracking link {{ hoplink }} becomes (its clicks count under 'broadcast')",
    }),
    sendAt: z.iso
      .datetime({ offset: true, error: 'Expected an ISO date-time such as 2026-12-01T09:00:00Z' })
      .optional()
      .openapi({ description: 'When to send (default: now); at most a minute in the past' }),
  })
  .openapi('CreateBroadcastBody');

const broadcastSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    name: z.string(),
    subject: z.string(),
    body: z.string(),
    tag: z.string(),
    campaignId: uuid.nullable(),
    sendAt: timestamp,
    status: broadcastStatusSchema,
    recipients: z.number().int(),
    sent: z.number().int(),
    skipped: z.number().int(),
    refused: z.number().int(),
    workflowId: z.string(),
    failure: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .openapi('Broadcast');

export const broadcastResponse = z.object({ broadcast: broadcastSchema });
export const broadcastsResponse = z.object({ broadcasts: z.array(broadcastSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type BroadcastStatus = z.output<typeof broadcastStatusSchema>;
export type Broadcast = z.output<typeof broadcastSchema>;
export type BroadcastsResponse = z.output<typeof broadcastsResponse>;
