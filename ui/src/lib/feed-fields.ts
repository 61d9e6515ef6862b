/** ClickBank's feed row for a product, labelled and formatted for a marketer (never the feed's field names). */
import { formatMoney, formatNumber, formatPercent } from './catalog';

type Format = (value: unknown) => string;

const asNumber = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
};

const money: Format = (v) => formatMoney(asNumber(v));
const percent: Format = (v) => formatPercent(asNumber(v));
const number: Format = (v) => formatNumber(asNumber(v), 1);
const rank: Format = (v) => (asNumber(v) === null ? String(v) : `#${formatNumber(asNumber(v))}`);
const yesNo: Format = (v) =>
  v === true || v === 'true' ? 'Yes' : v === false || v === 'false' ? 'No' : String(v);

/** "2019-03-04" -> "4 Mar 2019" (a calendar day, read in UTC). */
const day: Format = (v) => {
  const date = new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? String(v)
    : date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
};

/** Known feed fields in the order shown; title and description are on the page already. */
const known: [string, string, Format][] = [
  ['id', 'Vendor', String],
  ['activateDate', 'Listed since', day],
  ['gravity', 'Gravity', number],
  ['popularityRank', 'Popularity rank in its category', rank],
  ['commission', 'Commission', percent],
  ['percentPerSale', 'Commission per sale', percent],
  ['percentPerRebill', 'Commission per rebill', percent],
  ['initialEarningsPerSale', 'Earnings on the first sale', money],
  ['averageEarningsPerSale', 'Average earnings per sale', money],
  ['totalRebillAmt', 'Average rebill earnings', money],
  ['referred', 'Sales from referred affiliates', percent],
  ['hasRecurringProducts', 'Has subscriptions', yesNo],
];

const hidden = new Set(['title', 'description']);

/** "someNewField" -> "Some new field". */
function words(key: string): string {
  const text = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** The feed row's plain values as [label, value] pairs: known fields first in a fixed order, then the rest. */
export function feedFields(raw: Record<string, unknown> | null | undefined): [string, string][] {
  const row = raw ?? {};
  const shown = (v: unknown) => v !== null && v !== undefined && v !== '' && typeof v !== 'object';
  const out: [string, string][] = [];
  for (const [key, label, format] of known) {
    if (shown(row[key])) out.push([label, format(row[key])]);
  }
  const knownKeys = new Set(known.map(([k]) => k));
  for (const [key, value] of Object.entries(row)) {
    if (knownKeys.has(key) || hidden.has(key) || !shown(value)) continue;
    out.push([words(key), typeof value === 'number' ? formatNumber(value, 2) : String(value)]);
  }
  return out;
}
