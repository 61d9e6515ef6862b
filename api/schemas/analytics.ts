import { uuid } from './common';
import { z } from './zod';
import { BASES, DIMENSIONS } from '../../data/analytics';

/**
 * The analytics API's shapes (contract between the API and the UI). Days are calendar days in the team's time
 * zone; `basis` says whether a sale counts on its own day or on the day of the click it came from.
 */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a day as YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'Not a calendar day',
  )
  .openapi({ example: '2026-11-25' });

const analyticsBases = BASES;
/** What a breakdown groups by: the rollup dimensions, plus campaign and product (from the campaign). */
const breakdownDimensions = ['campaign', 'product', ...DIMENSIONS] as const;
/** Dimensions a time series can be narrowed to (with `value`). */
const seriesDimensions = DIMENSIONS;

/** The filters every analytics read takes. Range at most 366 days; `to` is included. */
const analyticsRangeQuery = z.object({
  from: calendarDay
    .openapi({ description: 'First day (team time zone); default: 29 days before `to`' })
    .optional(),
  to: calendarDay.openapi({ description: 'Last day, included (team time zone); default: today' }).optional(),
  basis: z.enum(analyticsBases).default('sale').openapi({
    description:
      "'sale': sales count on the day they happened; 'click': on the day of the click they came from",
  }),
  campaignId: uuid.optional(),
});

export const timeSeriesQuery = analyticsRangeQuery.extend({
  linkId: uuid.optional(),
  dimension: z.enum(seriesDimensions).optional(),
  /** The dimension's value ('' for "not known"); required with `dimension`. */
  value: z.string().max(200).optional(),
});

export const breakdownQuery = analyticsRangeQuery.extend({
  dimension: z.enum(breakdownDimensions),
  limit: z.coerce.number().int().min(1).max(500).default(20),
});

const figures = z
  .object({
    clicks: z
      .number()
      .int()
      .openapi({ description: 'Clicks by people (bots and HEAD requests not counted)' }),
    uniqueClicks: z
      .number()
      .int()
      .openapi({ description: "Clicks that were a visitor's first on that campaign that day" }),
    botClicks: z.number().int().openapi({ description: 'Clicks by bots, link previewers and HEAD requests' }),
    sales: z.number().int(),
    rebills: z.number().int(),
    refunds: z.number().int(),
    chargebacks: z.number().int(),
    gross: z.number().openapi({ description: 'Sales and rebills, in the account currency' }),
    net: z.number().openapi({ description: 'Gross minus refunds and chargebacks' }),
    epc: z.number().nullable().openapi({ description: 'Net per click; null without clicks' }),
    conversionRate: z
      .number()
      .nullable()
      .openapi({ description: 'Sales per click (0..1); null without clicks' }),
    refundRate: z
      .number()
      .nullable()
      .openapi({ description: 'Refunds and chargebacks per sale and rebill (0..1); null without sales' }),
  })
  .openapi('AnalyticsFigures');

export const timeSeriesResponse = z
  .object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    basis: z.enum(analyticsBases),
    totals: figures,
    /** Every day of the range, in order, zeros included. */
    days: z.array(figures.extend({ day: z.string() })),
  })
  .openapi('AnalyticsTimeSeries');

export const breakdownResponse = z
  .object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    basis: z.enum(analyticsBases),
    dimension: z.enum(breakdownDimensions),
    /** Best net revenue first, then most clicks. */
    rows: z.array(
      figures.extend({
        /** The value grouped by: an id for campaign, product and link, else the value itself ('' = not known). */
        key: z.string(),
        /** What to show: the campaign, product or link name, or the value; "(none)" for ''. */
        label: z.string(),
      }),
    ),
  })
  .openapi('AnalyticsBreakdown');

export type AnalyticsFigures = z.output<typeof figures>;
export type TimeSeriesResponse = z.output<typeof timeSeriesResponse>;
export type BreakdownResponse = z.output<typeof breakdownResponse>;
export type AnalyticsBreakdownDimension = (typeof breakdownDimensions)[number];
