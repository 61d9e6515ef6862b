import { parseTransactionTime, isTestTransaction, type InsNotification } from '../clickbank/ins';

/** What a `clickbank` trigger's run reads as `trigger` (docs/automations.md, "Events and ClickBank triggers"). */
export interface ClickbankTriggerPayload {
  receipt: string;
  transaction_type: string;
  /** ISO 8601; null when ClickBank sent a time that cannot be read. */
  transaction_time: string | null;
  test: boolean;
  /** What the vendor receives (totalAccountAmount); negative for refunds and chargebacks. */
  amount: number | null;
  /** What the customer paid (totalOrderAmount). */
  order_amount: number | null;
  currency: string | null;
  vendor: string | null;
  affiliate: string | null;
  role: string | null;
  payment_method: string | null;
  /** The first non-blank tracking code (tid), which attributes the sale to a campaign. */
  tracking_id: string | null;
  tracking_codes: string[];
  /** The team's campaign whose tid the notification carries, or null. */
  campaign_id: string | null;
  customer: {
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    full_name: string | null;
    phone: string | null;
    country: string | null;
  };
  line_items: {
    item_no: string;
    product_title: string | null;
    amount: number | null;
    quantity: number | null;
    recurring: boolean;
    line_item_type: string | null;
  }[];
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/** The notification as a builder reads it: snake_case, every documented field present (null when absent). */
export function clickbankTriggerPayload(
  n: InsNotification,
  attribution: { tid: string | null; campaignId: string | null },
): ClickbankTriggerPayload {
  let time: string | null = null;
  try {
    time = parseTransactionTime(n.transactionTime).toISOString();
  } catch {
    time = null;
  }
  // Billing is who paid; shipping fills in what billing lacks (ClickBank sends either, or both).
  const billing = n.customer?.billing ?? null;
  const shipping = n.customer?.shipping ?? null;
  const pick = (field: 'email' | 'firstName' | 'lastName' | 'fullName' | 'phoneNumber') =>
    text(billing?.[field]) ?? text(shipping?.[field]);
  const address = billing?.address ?? shipping?.address ?? null;
  return {
    receipt: n.receipt,
    transaction_type: n.transactionType.toUpperCase(),
    transaction_time: time,
    test: isTestTransaction(n.transactionType),
    amount: num(n.totalAccountAmount),
    order_amount: num(n.totalOrderAmount),
    currency: text(n.currency),
    vendor: text(n.vendor),
    affiliate: text(n.affiliate),
    role: text(n.role),
    payment_method: text(n.paymentMethod),
    tracking_id: attribution.tid,
    tracking_codes: (n.trackingCodes ?? []).filter((c) => c.trim() !== ''),
    campaign_id: attribution.campaignId,
    customer: {
      email: pick('email')?.trim().toLowerCase() ?? null,
      first_name: pick('firstName'),
      last_name: pick('lastName'),
      full_name: pick('fullName'),
      phone: pick('phoneNumber'),
      country: text(address?.['country']),
    },
    line_items: n.lineItems.map((item) => ({
      item_no: item.itemNo,
      product_title: text(item.productTitle),
      amount: num(item.accountAmount),
      quantity: num(item.quantity),
      recurring: item.recurring ?? false,
      line_item_type: text(item.lineItemType),
    })),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Whether a notification starts an automation with this `clickbank` trigger (lib/automations/triggers.ts, as
 * stored on the automation): its type is one of `transaction_types` (SALE when none), and when given, the vendor
 * (nicknames are case-insensitive at ClickBank), an item among its line items, and the campaign its tid belongs
 * to all match.
 */
export function clickbankTriggerMatches(
  trigger: Readonly<Record<string, unknown>>,
  p: ClickbankTriggerPayload,
): boolean {
  const listed = Array.isArray(trigger['transaction_types'])
    ? (trigger['transaction_types'] as unknown[])
    : ['SALE'];
  const types = listed.filter((t): t is string => typeof t === 'string').map((t) => t.toUpperCase());
  if (!types.includes(p.transaction_type)) return false;
  const vendor = str(trigger['vendor']);
  if (vendor !== undefined && vendor.toLowerCase() !== (p.vendor ?? '').toLowerCase()) return false;
  const item = str(trigger['item']);
  if (item !== undefined && !p.line_items.some((i) => i.item_no.toLowerCase() === item.toLowerCase())) {
    return false;
  }
  const campaignId = str(trigger['campaign_id']);
  if (campaignId !== undefined && campaignId !== p.campaign_id) return false;
  return true;
}
