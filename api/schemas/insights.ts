import { timestamp, uuid } from './common';
import { z } from './zod';

const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a day as YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'Not a calendar day',
  )
  .openapi({ example: '2026-11-25' });

export const listInsightsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(90).default(14),
});

export const runInsightsBody = z
  .strictObject({
    // Default: the team's yesterday (in the team's time zone).
    day: calendarDay.optional(),
  })
  .default({});

export const insightsEmailBody = z.strictObject({ enabled: z.boolean() });

const figures = z.object({ clicks: z.number(), sales: z.number(), refunds: z.number(), revenue: z.number() });

const insightSchema = z
  .object({
    id: uuid,
    day: z.string(),
    summary: z.string(),
    model: z.string().nullable().openapi({ description: 'null for the plain "no activity" note' }),
    figures: z.object({
      day: z.string(),
      timeZone: z.string(),
      totals: figures,
      campaigns: z.array(figures.extend({ campaignId: uuid.nullable(), name: z.string() })),
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Insight');

export const latestInsightResponse = z.object({ insight: insightSchema.nullable() });
export const insightsResponse = z.object({ insights: z.array(insightSchema) });
export const runInsightsResponse = z.object({ workflowId: z.string(), day: z.string() });
export const insightsEmailResponse = z.object({ insightsEmail: z.object({ enabled: z.boolean() }) });
export type Insight = z.output<typeof insightSchema>;
export type LatestInsightResponse = z.output<typeof latestInsightResponse>;
export type RunInsightsResponse = z.output<typeof runInsightsResponse>;
export type InsightsEmailResponse = z.output<typeof insightsEmailResponse>;
