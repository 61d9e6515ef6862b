import { timestamp, uuid } from './common';
import { z } from './zod';

import { productSorts } from '../../data/products';

export { type ProductSort } from '../../data/products';

export const listProductsQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: 'Full-text search on title and description' }),
  category: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'A category name at any level of the path (top level or subcategory)' }),
  sort: z.enum(productSorts).default('gravity'),
  order: z.enum(['desc', 'asc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z
    .string()
    .max(500)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor from this API')
    .optional()
    .openapi({ description: 'nextCursor of the previous page (same q, category, sort and order)' }),
  includeLeft: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Also list products that have left the marketplace feed' }),
});
export type ListProductsQuery = z.output<typeof listProductsQuery>;

export const productParams = z.object({ productId: uuid });

const productSummarySchema = z
  .object({
    id: uuid,
    clickbankId: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    categoryPath: z.array(z.string()),
    gravity: z.number(),
    commissionRate: z.number().nullable(),
    avgEarningsPerSale: z.number().nullable(),
    initialEarningsPerSale: z.number().nullable(),
    hasRecurring: z.boolean(),
    leftFeedAt: timestamp.nullable(),
  })
  .openapi('ProductSummary');

const productDetailSchema = productSummarySchema
  .extend({
    avgRebillTotal: z.number().nullable(),
    pctPerSaleFromRebill: z.number().nullable(),
    popularityRank: z.number().int().nullable(),
    activateDate: z.string().nullable(),
    raw: z.record(z.string(), z.unknown()).openapi({ description: 'The marketplace feed row as received' }),
    syncedAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('ProductDetail');

export const productsPageResponse = z.object({
  products: z.array(productSummarySchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().openapi({ description: 'Products the search matches (counted up to 10,000)' }),
  totalCapped: z.boolean().openapi({ description: 'True when more than 10,000 match' }),
});

export const productResponse = z.object({
  product: productDetailSchema,
  gravityHistory: z.array(z.object({ day: z.string(), gravity: z.number() })),
});

export const categoriesResponse = z.object({
  categories: z.array(z.object({ name: z.string(), count: z.number().int() })),
});

export const syncStartedResponse = z.object({
  workflowId: z.string(),
  runId: z.string(),
  started: z.boolean().openapi({ description: 'false when the call joined a sync already running' }),
});

const syncProgressSchema = z.object({
  phase: z.string(),
  sitesProcessed: z.number().int(),
  upserted: z.number().int(),
  categories: z.number().int(),
  startedAt: timestamp,
});

export const syncStatusResponse = z.object({
  running: z.boolean(),
  workflowId: z.string().nullable(),
  progress: syncProgressSchema.nullable(),
  lastCompleted: z
    .object({
      finishedAt: timestamp,
      products: z.number().int(),
      upserted: z.number().int(),
      categories: z.number().int(),
      left: z.number().int(),
    })
    .nullable(),
});

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type ProductSummary = z.output<typeof productSummarySchema>;
export type ProductPage = z.output<typeof productsPageResponse>;
export type ProductResponse = z.output<typeof productResponse>;
export type GravityPoint = ProductResponse['gravityHistory'][number];
export type CategoriesResponse = z.output<typeof categoriesResponse>;
export type SyncStarted = z.output<typeof syncStartedResponse>;
export type SyncStatus = z.output<typeof syncStatusResponse>;
