import { timestamp, uuid } from './common';
import { z } from './zod';

import { campaignStatuses } from '../../data/campaigns';

export { type CampaignStatus } from '../../data/campaigns';

const campaignStatusSchema = z.enum(campaignStatuses).openapi('CampaignStatus');
export const campaignParams = z.object({ teamId: uuid, campaignId: uuid });

const campaignName = z.string().trim().min(1, 'Enter a campaign name').max(120, 'At most 120 characters');

// A ClickBank vendor nickname: 5 to 10 letters and digits; HopLinks use lower case.
const vendorNickname = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5,10}$/, 'A ClickBank vendor nickname has 5 to 10 letters and digits')
  .transform((v) => v.toLowerCase())
  .openapi({ example: 'fitvendor' });

export const createCampaignBody = z
  .union(
    [
      z.strictObject({ name: campaignName, productId: uuid }),
      z.strictObject({ name: campaignName, vendor: vendorNickname }),
    ],
    { error: 'Choose a product or enter a vendor (one of productId and vendor)' },
  )
  .openapi('CreateCampaignBody', {
    description: 'Either a catalog productId or a ClickBank vendor nickname',
  });

export const updateCampaignBody = z
  .strictObject({
    name: campaignName.optional(),
    // Archiving has its own endpoint: it ends the campaign for good.
    status: z.enum(['draft', 'active', 'paused']).optional(),
  })
  .refine((b) => b.name !== undefined || b.status !== undefined, 'Send name or status');

export const listCampaignsQuery = z.object({ status: campaignStatusSchema.optional() });

const campaignSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    name: z.string(),
    productId: uuid.nullable(),
    vendor: z.string().nullable(),
    trackingId: z.string().openapi({ description: 'The tid ClickBank sends back with every sale' }),
    hoplink: z.string().openapi({
      description:
        'The plain HopLink (campaign tid): sales through it count for the campaign, not for a click',
    }),
    trackingUrl: z.string().nullable().openapi({
      description:
        "The campaign's main tracking link (`/r/{slug}`): share this one, so each click and its sales are counted",
      example: 'https://hopflow.example/r/3f9a1c07de',
    }),
    status: campaignStatusSchema,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Campaign');

export const campaignResponse = z.object({ campaign: campaignSchema });
export const campaignsResponse = z.object({ campaigns: z.array(campaignSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type Campaign = z.output<typeof campaignSchema>;
export type CampaignResponse = z.output<typeof campaignResponse>;
export type CampaignsResponse = z.output<typeof campaignsResponse>;
