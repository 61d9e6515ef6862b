import { timestamp, uuid } from './common';
import { z } from './zod';

export const bonusParams = z.object({ teamId: uuid, bonusId: uuid });
export const bonusRuleParams = z.object({ teamId: uuid, campaignId: uuid, ruleId: uuid });

const bonusName = z.string().trim().min(1, 'Enter a bonus name').max(200, 'At most 200 characters');
const bonusDescription = z.string().trim().max(2000, 'At most 2000 characters');
const bonusUrl = z
  .url({ protocol: /^https?$/, message: 'Enter an http or https link' })
  .max(2000, 'At most 2000 characters')
  .openapi({ example: 'https://example.com/bonus.pdf' });
const campaignIds = z.array(uuid).max(100, 'At most 100 campaigns');

/** Multipart forms send text: campaignIds may come as repeated fields, a JSON array or a comma list. */
const formCampaignIds = z.preprocess((value) => {
  if (value === undefined || value === '') return undefined;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.flatMap((v): unknown[] => {
    if (typeof v !== 'string') return [v];
    const text = v.trim();
    if (text.startsWith('[')) {
      try {
        return JSON.parse(text) as unknown[];
      } catch {
        return [text];
      }
    }
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  });
}, campaignIds.optional());

export const createBonusBody = z
  .strictObject({
    name: bonusName,
    description: bonusDescription.optional(),
    url: bonusUrl,
    campaignIds: campaignIds.optional(),
  })
  .openapi('CreateBonusBody', {
    description:
      'A link bonus as JSON. A file bonus is sent as multipart/form-data instead: a `file` part plus name, description and campaignIds fields.',
  });

/** The fields of a multipart upload (the file itself is the `file` part). */
export const createBonusForm = z.strictObject({
  name: bonusName,
  description: bonusDescription.optional(),
  campaignIds: formCampaignIds,
});

export const createBonusAliasBody = createBonusBody.extend({ teamId: uuid }).openapi('CreateBonusAliasBody', {
  description: 'POST /bonuses names the team in the body; /teams/{teamId}/bonuses is the canonical route.',
});
export const createBonusAliasForm = createBonusForm.extend({ teamId: uuid });

export const updateBonusBody = z
  .strictObject({
    name: bonusName.optional(),
    description: bonusDescription.nullable().optional(),
    url: bonusUrl.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Send name, description or url');

export const setBonusCampaignsBody = z.strictObject({ campaignIds });

export const listBonusesQuery = z.object({ campaignId: uuid.optional() });

export const deliveriesQuery = z.object({
  receipt: z.string().trim().min(1).max(64).optional(),
  email: z.string().trim().min(3).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const createBonusRuleBody = z.strictObject({
  vendor: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,20}$/, 'A ClickBank vendor nickname: letters and digits')
    .transform((v) => v.toLowerCase()),
  itemNo: z.string().trim().min(1).max(40).optional(),
});

const bonusSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    name: z.string(),
    description: z.string().nullable(),
    kind: z.enum(['url', 'file']),
    url: z.string().nullable(),
    file: z.object({ name: z.string(), contentType: z.string(), size: z.number().int() }).nullable(),
    campaignIds: z.array(uuid),
    deliveries: z.number().int(),
    downloads: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Bonus');

const deliverySchema = z
  .object({
    id: uuid,
    bonusId: uuid,
    bonusName: z.string(),
    campaignId: uuid.nullable(),
    contactId: uuid.nullable(),
    receipt: z.string(),
    itemNo: z.string(),
    buyerEmail: z.string(),
    status: z.enum(['active', 'revoked', 'expired']),
    expiresAt: timestamp,
    revokedAt: timestamp.nullable(),
    revokedReason: z.string().nullable(),
    downloadCount: z.number().int(),
    lastDownloadedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .openapi('BonusDelivery');

const bonusRuleSchema = z
  .object({
    id: uuid,
    campaignId: uuid,
    vendor: z.string(),
    itemNo: z.string().nullable(),
    createdAt: timestamp,
  })
  .openapi('BonusRule');

export const bonusResponse = z.object({ bonus: bonusSchema });
export const bonusesResponse = z.object({ bonuses: z.array(bonusSchema) });
export const deliveriesResponse = z.object({ deliveries: z.array(deliverySchema) });
export const bonusRuleResponse = z.object({ rule: bonusRuleSchema });
export const bonusRulesResponse = z.object({ rules: z.array(bonusRuleSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type Bonus = z.output<typeof bonusSchema>;
export type BonusDelivery = z.output<typeof deliverySchema>;
export type BonusesResponse = z.output<typeof bonusesResponse>;
export type DeliveriesResponse = z.output<typeof deliveriesResponse>;

export const bonusTestResponse = z
  .object({
    sentTo: z.string().openapi({ description: "The signed-in person's address the test goes to" }),
    workflowId: z.string(),
  })
  .openapi('BonusTestDelivery');
export type BonusTestDelivery = z.output<typeof bonusTestResponse>;
