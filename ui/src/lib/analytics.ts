/**
 * The figures pages' words and sums: which range and basis a URL asks for, how figures read, and what each
 * breakdown is called, for a marketer rather than a developer.
 */
import type {
  AnalyticsBreakdownDimension,
  AnalyticsFigures,
  BreakdownResponse,
  TimeSeriesResponse,
} from '$api/analytics';

export const RANGE_PRESETS = [7, 30, 90] as const;
export type Basis = 'sale' | 'click';

/** A figures page's data: its range, the daily series and the breakdowns it asked for. */
export interface AnalyticsView {
  range: RangeChoice;
  series: TimeSeriesResponse;
  breakdowns: Partial<Record<AnalyticsBreakdownDimension, BreakdownResponse>>;
}

/** What the page shows: the last N days, or the days the user picked. */
export interface RangeChoice {
  /** 7, 30, 90, or 0 for the user's own days. */
  preset: number;
  from: string;
  to: string;
  basis: Basis;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string | null): v is string =>
  v !== null && DAY.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** Today's date (YYYY-MM-DD) in the team's time zone. */
export function todayIn(zone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The range and basis in a page's query (`?days=7|30|90`, or `?from=&to=`; `?basis=sale|click`), defaulting to
 * the last 30 days by sale date. Days the user typed are kept in order and to at most 366 days, like the API.
 */
export function rangeFromQuery(query: URLSearchParams, today: string): RangeChoice {
  const basis: Basis = query.get('basis') === 'click' ? 'click' : 'sale';
  const from = query.get('from');
  const to = query.get('to');
  if (isDay(from) && isDay(to) && !query.has('days')) {
    const [first, last] = from <= to ? [from, to] : [to, from];
    const limited = addDays(last, -365) > first ? addDays(last, -365) : first;
    return { preset: 0, from: limited, to: last, basis };
  }
  const asked = Number(query.get('days'));
  const preset = (RANGE_PRESETS as readonly number[]).includes(asked) ? asked : 30;
  return { preset, from: addDays(today, -(preset - 1)), to: today, basis };
}

/** The API query for a range (plus extra filters). */
export function analyticsQuery(range: RangeChoice, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ from: range.from, to: range.to, basis: range.basis, ...extra }).toString();
}

/** A page link that keeps everything in `current` but changes `changes` (null removes a key). */
export function withQuery(current: URLSearchParams, changes: Record<string, string | null>): string {
  const q = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  const text = q.toString();
  return text ? `?${text}` : '?';
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const moneyRound = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const count = new Intl.NumberFormat('en-US');
// One decimal always, so "3.0%" and "3.3%" read alike side by side.
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export const formatMoney = (n: number): string => money.format(n);
/** Whole dollars, for chart axes. */
export const formatMoneyShort = (n: number): string => moneyRound.format(n);
export const formatCount = (n: number): string => count.format(n);
export const formatRate = (n: number | null): string => (n === null ? '—' : percent.format(n));
export const formatEpc = (n: number | null): string => (n === null ? '—' : money.format(n));

// Fixed three-letter months: Intl's en-GB says "Sept" in some versions, the charts' axes say "Sep".
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A calendar day as "7 Dec 2026" (it is already the team's day: no zone shift). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1] ?? ''} ${y}`;
}

/** Whether every day of the range is after today (nothing can have happened in it yet). */
export const isFutureRange = (range: RangeChoice, today: string): boolean => range.from > today;

export function rangeLabel(range: RangeChoice): string {
  return range.preset ? `Last ${range.preset} days` : `${formatDay(range.from)} – ${formatDay(range.to)}`;
}

export const BASIS_LABELS: Record<Basis, { label: string; hint: string }> = {
  sale: { label: 'Sale date', hint: 'Each sale counts on the day it was made.' },
  click: {
    label: 'Click date',
    hint: 'Each sale counts on the day its buyer clicked your link, so you see which days’ visitors paid off.',
  },
};

/** The breakdowns a campaign page offers, in the words a marketer uses. */
export const CAMPAIGN_BREAKDOWNS = [
  'source',
  'link',
  'sub1',
  'sub2',
  'sub3',
  'device',
  'country',
  'referrer',
  'browser',
] as const satisfies readonly AnalyticsBreakdownDimension[];
export type CampaignBreakdown = (typeof CAMPAIGN_BREAKDOWNS)[number];

export const DIMENSION_LABELS: Record<AnalyticsBreakdownDimension, string> = {
  campaign: 'Campaign',
  product: 'Product',
  link: 'Link',
  source: 'Source',
  sub1: 'Sub-id 1',
  sub2: 'Sub-id 2',
  sub3: 'Sub-id 3',
  device: 'Device',
  browser: 'Browser',
  country: 'Country',
  referrer: 'Came from (site)',
};

export function isCampaignBreakdown(v: string | null): v is CampaignBreakdown {
  return (CAMPAIGN_BREAKDOWNS as readonly string[]).includes(v ?? '');
}

const countryNames =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** What a row without a value means, per breakdown. */
const UNKNOWN: Record<AnalyticsBreakdownDimension, string> = {
  campaign: 'No campaign (tracking id not recognised)',
  product: 'No catalog product',
  link: 'No tracking link (plain HopLink)',
  source: 'No source (plain HopLink)',
  sub1: 'No sub-id',
  sub2: 'No sub-id',
  sub3: 'No sub-id',
  device: 'Not known',
  browser: 'Not known',
  country: 'Not known',
  referrer: 'No referrer (email, apps, typed)',
};

/** What a breakdown row reads as: country codes as names, devices in words, missing values said plainly. */
export function rowLabel(dimension: AnalyticsBreakdownDimension, key: string, label: string): string {
  if (key === '') return UNKNOWN[dimension];
  if (dimension === 'country') {
    try {
      return countryNames?.of(key.toUpperCase()) ?? label;
    } catch {
      return label;
    }
  }
  if (dimension === 'device') return label.charAt(0).toUpperCase() + label.slice(1);
  return label;
}

/** Whether any of the figures is not zero (an empty range shows the empty state). */
export const hasFigures = (f: AnalyticsFigures): boolean =>
  f.clicks + f.botClicks + f.sales + f.rebills + f.refunds + f.chargebacks > 0;
