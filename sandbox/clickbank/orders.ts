/**
 * Deterministic affiliate orders for the sandbox REST API. Each day's orders come from a PRNG seeded by the
 * date, so any range asks the same rows for the same days, and a receipt encodes its day and row so
 * `orders2/{receipt}` can find it again.
 */
import { seedFrom, seededRandom } from './random';

export interface SandboxLineItem {
  itemNo: string;
  productTitle: string;
  recurring: boolean;
  shippable: boolean;
  customerAmount: number;
  accountAmount: number;
  quantity: number;
  lineItemType: string;
}

export interface SandboxOrder {
  transactionTime: string;
  receipt: string;
  trackingId: string;
  transactionType: string;
  role: string;
  vendor: string;
  affiliate: string;
  totalOrderAmount: number;
  totalAccountAmount: number;
  currency: string;
  paymentMethod: string;
  email: string;
  firstName: string;
  lastName: string;
  country: string;
  lineItemData: SandboxLineItem[];
}

export const SANDBOX_AFFILIATE = 'sandboxaff';
export const SANDBOX_TRACKING_IDS = [
  'fb_ads',
  'email_welcome',
  'yt_review',
  'blog_post',
  'tt_video',
  '',
] as const;

const vendors = [
  ['ketoboost1', 'Keto Boost Blueprint'],
  ['tinnifix', 'Tinnitus Relief Protocol'],
  ['dogsmart', 'Brain Training for Dogs'],
  ['wealthfreq', 'Wealth Frequency Audio'],
  ['solarplan', 'DIY Solar Power Guide'],
  ['gutglow', 'Gut Health Reset'],
] as const;
const firstNames = ['Ava', 'Liam', 'Maya', 'Noah', 'Sofia', 'Ethan', 'Chloe', 'Lucas'];
const lastNames = ['Smith', 'Garcia', 'Nguyen', 'Brown', 'Khan', 'Miller', 'Rossi', 'Silva'];
const types = [
  'SALE',
  'SALE',
  'SALE',
  'SALE',
  'SALE',
  'SALE',
  'SALE',
  'BILL',
  'BILL',
  'RFND',
  'CGBK',
] as const;
const DAY_MS = 86_400_000;

const dayNumber = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Receipts look like ClickBank's 8 characters: 2 letters + the day and row in base 36. */
function receiptFor(day: number, row: number, letters: string): string {
  return `${letters}${(day * 16 + row).toString(36).toUpperCase().padStart(6, '0')}`;
}

export function ordersForDay(isoDate: string): SandboxOrder[] {
  const day = dayNumber(isoDate);
  const rng = seededRandom(seedFrom(`orders:${isoDate}`));
  const count = rng.int(3, 12);
  const orders: SandboxOrder[] = [];
  for (let row = 0; row < count; row++) {
    const [vendor, title] = rng.pick(vendors);
    const type = rng.pick(types);
    const price = rng.pick([37, 47, 49, 67, 69, 97, 147, 197]);
    const sign = type === 'RFND' || type === 'CGBK' ? -1 : 1;
    const commission = round2(price * rng.pick([0.5, 0.6, 0.75]) * sign);
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    const letters = String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25));
    const seconds = Math.floor((row + rng.next()) * (86_400 / count));
    const time = new Date(day * DAY_MS + seconds * 1000 + 8 * 3_600_000); // ClickBank reports Pacific time
    const local = new Date(time.getTime() - 8 * 3_600_000).toISOString().slice(0, 19);
    orders.push({
      transactionTime: `${local}-08:00`,
      receipt: receiptFor(day, row, letters),
      trackingId: rng.pick(SANDBOX_TRACKING_IDS),
      transactionType: type,
      role: 'AFFILIATE',
      vendor,
      affiliate: SANDBOX_AFFILIATE,
      totalOrderAmount: price * sign,
      totalAccountAmount: commission,
      currency: 'USD',
      paymentMethod: rng.pick(['VISA', 'MSTR', 'PYPL', 'AMEX']),
      email: `${first}.${last}@example.com`.toLowerCase(),
      firstName: first,
      lastName: last,
      country: rng.pick(['US', 'US', 'CA', 'GB', 'AU']),
      lineItemData: [
        {
          itemNo: '1',
          productTitle: title,
          recurring: type === 'BILL',
          shippable: false,
          customerAmount: price * sign,
          accountAmount: commission,
          quantity: 1,
          lineItemType: 'ORIGINAL',
        },
      ],
    });
  }
  return orders;
}

export interface OrderQuery {
  startDate: string;
  endDate: string;
  type?: string;
  tid?: string;
}

export const MAX_RANGE_DAYS = 366;

export function listSandboxOrders(query: OrderQuery): SandboxOrder[] {
  const start = dayNumber(query.startDate);
  const end = dayNumber(query.endDate);
  const rows: SandboxOrder[] = [];
  for (let day = start; day <= end; day++) rows.push(...ordersForDay(isoDay(day)));
  return rows.filter(
    (o) =>
      (!query.type || o.transactionType === query.type.toUpperCase()) &&
      (query.tid === undefined || o.trackingId === query.tid),
  );
}

export function findSandboxOrder(receipt: string): SandboxOrder | undefined {
  const encoded = Number.parseInt(receipt.slice(2), 36);
  if (receipt.length !== 8 || !Number.isFinite(encoded)) return undefined;
  const day = Math.floor(encoded / 16);
  return ordersForDay(isoDay(day)).find((o) => o.receipt === receipt.toUpperCase());
}
