import { timestamp, uuid } from './common';
import { z } from './zod';

export const trackingLinksParams = z.object({ teamId: uuid, campaignId: uuid });
export const trackingLinkParams = z.object({ teamId: uuid, campaignId: uuid, linkId: uuid });

const linkName = z.string().trim().min(1, 'Enter a name for the link').max(120, 'At most 120 characters');

// The same rules as the table (and as the redirect's `?src=` override): short, lower case, URL- and CSV-safe.
const source = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,31}$/,
    'A source is 1 to 32 letters, digits, - or _, starting with a letter or digit (e.g. youtube, newsletter)',
  )
  .openapi({ example: 'youtube' });

const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]{2,39}$/,
    'A link address is 3 to 40 letters, digits or -, starting with a letter or digit',
  )
  .openapi({ example: 'summer-video' });

export const createTrackingLinkBody = z
  .strictObject({
    name: linkName,
    source,
    slug: slug.optional().openapi({ description: 'The `/r/{slug}` part; a random one when left out' }),
  })
  .openapi('CreateTrackingLinkBody');

export const updateTrackingLinkBody = z
  .strictObject({ name: linkName.optional(), source: source.optional() })
  .refine((b) => b.name !== undefined || b.source !== undefined, 'Send name or source');

export const listTrackingLinksQuery = z.object({
  archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'Include archived links' }),
});

const trackingLinkSchema = z
  .object({
    id: uuid,
    campaignId: uuid,
    name: z.string(),
    slug: z.string(),
    source: z.string().openapi({ description: 'The source its clicks (and their sales) are counted under' }),
    isPrimary: z
      .boolean()
      .openapi({ description: "The campaign's main link: the one its content and emails use" }),
    url: z.string().openapi({ example: 'https://hopflow.example/r/summer-video' }),
    createdAt: timestamp,
    archivedAt: timestamp.nullable(),
  })
  .openapi('TrackingLink');

export const trackingLinkResponse = z.object({ link: trackingLinkSchema });
export const trackingLinksResponse = z.object({ links: z.array(trackingLinkSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type TrackingLink = z.output<typeof trackingLinkSchema>;
export type TrackingLinkResponse = z.output<typeof trackingLinkResponse>;
export type TrackingLinksResponse = z.output<typeof trackingLinksResponse>;
