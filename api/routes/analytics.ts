import { toCsv, type CsvCell } from '../../lib/analytics/csv';
import { defineRoute, type ApiRoute } from '../http/route';
import {
  breakdownQuery,
  breakdownResponse,
  timeSeriesQuery,
  timeSeriesResponse,
  type AnalyticsFigures,
} from '../schemas/analytics';
import { teamParams } from '../schemas/teams';
import type { AnalyticsService } from '../services/analytics';

const figureColumns = [
  'clicks',
  'unique_clicks',
  'bot_clicks',
  'sales',
  'rebills',
  'refunds',
  'chargebacks',
  'gross',
  'net',
  'epc',
  'conversion_rate',
  'refund_rate',
];

/** Rounded for a spreadsheet: money (EPC too) to cents, rates (0..1) to four decimals, i.e. 0.01 %. */
const rounded = (n: number | null, places: number): number | null =>
  n === null ? null : Math.round(n * 10 ** places) / 10 ** places;
const cents = (n: number | null) => rounded(n, 2);
const rate = (n: number | null) => rounded(n, 4);

const figureCells = (f: AnalyticsFigures): CsvCell[] => [
  f.clicks,
  f.uniqueClicks,
  f.botClicks,
  f.sales,
  f.rebills,
  f.refunds,
  f.chargebacks,
  cents(f.gross),
  cents(f.net),
  cents(f.epc),
  rate(f.conversionRate),
  rate(f.refundRate),
];

const csvHeaders = (name: string) => ({
  'Content-Type': 'text/csv; charset=utf-8',
  // The name is built from checked days and a fixed word, so plain ASCII needs no encoding.
  'Content-Disposition': `attachment; filename="${name}.csv"`,
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
});

const rangeErrors = {
  400: { description: 'validation_failed: a bad day, a range ending before it starts or over 366 days' },
  404: { description: 'Not a member of the team, or campaign_not_found / link_not_found' },
};

export function analyticsRoutes(analytics: AnalyticsService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/analytics/series',
      summary: 'Daily figures over a range (team, campaign, link or one dimension value), every day included',
      tag: 'analytics',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: timeSeriesQuery,
      responses: { 200: { description: 'Time series', schema: timeSeriesResponse }, ...rangeErrors },
      handler: async ({ membership, query }) => ({ body: await analytics.timeSeries(membership, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/analytics/breakdown',
      summary: 'Figures per campaign, product, link, source, sub-id, device, browser, country or referrer',
      tag: 'analytics',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: breakdownQuery,
      responses: { 200: { description: 'Breakdown', schema: breakdownResponse }, ...rangeErrors },
      handler: async ({ membership, query }) => ({ body: await analytics.breakdown(membership, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/analytics/series.csv',
      summary: 'The time series as a CSV file (one row per day, then a total row)',
      tag: 'analytics',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: timeSeriesQuery,
      responses: { 200: { description: 'text/csv attachment' }, ...rangeErrors },
      handler: async ({ membership, query }) => {
        const s = await analytics.timeSeries(membership, query);
        const rows: CsvCell[][] = s.days.map((d) => [d.day, ...figureCells(d)]);
        rows.push(['total', ...figureCells(s.totals)]);
        return {
          text: toCsv(['day', ...figureColumns], rows),
          headers: csvHeaders(`analytics-${s.basis}-basis-${s.from}-to-${s.to}`),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/analytics/breakdown.csv',
      summary: 'A breakdown as a CSV file',
      tag: 'analytics',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: breakdownQuery,
      responses: { 200: { description: 'text/csv attachment' }, ...rangeErrors },
      handler: async ({ membership, query }) => {
        const b = await analytics.breakdown(membership, query);
        return {
          text: toCsv(
            // The name a person reads first, then the id a program matches on.
            ['label', b.dimension, ...figureColumns],
            b.rows.map((r) => [r.label, r.key, ...figureCells(r)]),
          ),
          headers: csvHeaders(`analytics-by-${b.dimension}-${b.basis}-basis-${b.from}-to-${b.to}`),
        };
      },
    }),
  ];
}
