/**
 * Builds a realistic ClickBank INS notification, encrypts it with the team's secret and POSTs it, the way
 * ClickBank's servers do. Used by the `npm run sandbox:ins` CLI and by the tests.
 */
import { randomBytes } from 'node:crypto';
import { encryptIns, type InsBody } from '../../lib/clickbank/ins';
import { SANDBOX_AFFILIATE } from './orders';

export interface InsNotificationOptions {
  type?: string;
  tid?: string;
  receipt?: string;
  itemNo?: string;
  email?: string;
  version?: number;
  vendor?: string;
  affiliate?: string;
  productTitle?: string;
  amount?: number;
  /** 'iso' (2023-07-28T02:07:57+00:00, default) or 'compact' (20220810T162015-0700): ClickBank sends both. */
  timeFormat?: 'iso' | 'compact';
  time?: Date;
}

export interface SendInsOptions extends InsNotificationOptions {
  url: string;
  secret: string;
  /** Deliver the same encrypted body this many times, as ClickBank does when it retries (default 1). */
  times?: number;
  timeoutMs?: number;
}

export interface InsDelivery {
  attempt: number;
  status: number;
  body: string;
}

export interface SendInsResult {
  notification: Record<string, unknown>;
  body: InsBody;
  rawBody: string;
  deliveries: InsDelivery[];
}

const randomReceipt = (): string =>
  Array.from(randomBytes(8), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');

function formatTime(date: Date, format: 'iso' | 'compact'): string {
  const iso = date.toISOString().slice(0, 19);
  if (format === 'iso') return `${iso}+00:00`;
  return `${iso.replace(/[-:]/g, '')}+0000`;
}

const negative = new Set(['RFND', 'CGBK', 'TEST_RFND', 'INSF']);

/** A notification with every field PROVIDERS.md lists (INS 6.0/7.0/8.0 top level and line items). */
export function buildInsNotification(opts: InsNotificationOptions = {}): Record<string, unknown> {
  const type = (opts.type ?? 'SALE').toUpperCase();
  const sign = negative.has(type) ? -1 : 1;
  const price = opts.amount ?? 47;
  const commission = Math.round(price * 0.75 * 100) / 100;
  const email = opts.email ?? 'buyer@example.com';
  const firstName = 'Sam';
  const lastName = 'Buyer';
  const person = {
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    email,
    phoneNumber: '5555550123',
    address: {
      address1: '1 Main St',
      city: 'Boise',
      county: 'Ada',
      state: 'ID',
      postalCode: '83702',
      country: 'US',
    },
  };
  const recurring = type === 'BILL' || type === 'TEST_BILL';
  return {
    transactionTime: formatTime(opts.time ?? new Date(), opts.timeFormat ?? 'iso'),
    receipt: opts.receipt ?? randomReceipt(),
    transactionType: type,
    vendor: opts.vendor ?? 'ketoboost1',
    affiliate: opts.affiliate ?? SANDBOX_AFFILIATE,
    role: 'AFFILIATE',
    totalAccountAmount: sign * commission,
    paymentMethod: 'VISA',
    totalOrderAmount: sign * price,
    totalTaxAmount: 0,
    totalShippingAmount: 0,
    currency: 'USD',
    orderLanguage: 'EN',
    trackingCodes: opts.tid ? [opts.tid] : [],
    lineItems: [
      {
        itemNo: opts.itemNo ?? '1',
        productTitle: opts.productTitle ?? 'Keto Boost Blueprint',
        shippable: false,
        recurring,
        accountAmount: sign * commission,
        quantity: 1,
        downloadUrl: 'https://example.com/download',
        lineItemType: 'ORIGINAL',
        productPrice: price,
        productDiscount: 0,
        taxAmount: 0,
        shippingAmount: 0,
        shippingLiable: false,
        affiliatePayout: sign * commission,
        jvPayout: 0,
        ...(recurring
          ? { paymentPlan: { rebillStatus: 'ACTIVE', rebillFrequency: 'MONTHLY', processedPayments: 2 } }
          : {}),
      },
    ],
    customer: { shipping: person, billing: person },
    upsell: null,
    hopfeed: null,
    vendorVariables: {},
    version: opts.version ?? 7,
    attemptCount: 1,
  };
}

/** Encrypts one notification and POSTs the same body `times` times; resolves with each answer. */
export async function sendInsNotification(opts: SendInsOptions): Promise<SendInsResult> {
  const notification = buildInsNotification(opts);
  const body = encryptIns(notification, opts.secret);
  const rawBody = JSON.stringify(body);
  const deliveries: InsDelivery[] = [];
  for (let attempt = 1; attempt <= (opts.times ?? 1); attempt++) {
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'ClickBank-INS-Sandbox/1.0' },
      body: rawBody,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    deliveries.push({ attempt, status: res.status, body: await res.text() });
  }
  return { notification, body, rawBody, deliveries };
}
