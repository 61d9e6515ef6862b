/**
 * ClickBank Instant Notification Service (INS): crypto, parsing and dedupe keys.
 *
 * Wire format (PROVIDERS.md): POST {notification: base64 AES-256-CBC ciphertext, iv: base64 16 bytes}; the
 * key is the first 32 characters of the lowercase hex SHA-1 of the account's secret key, used as ASCII bytes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

export type InsDecodeErrorCode = 'bad_base64' | 'bad_key_or_ciphertext' | 'bad_json' | 'bad_shape';

export class InsDecodeError extends Error {
  constructor(
    readonly code: InsDecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InsDecodeError';
  }
}

/** 32 ASCII bytes: lowercase hex SHA-1 of the secret, first 32 characters (not the binary digest). */
export function deriveInsKey(secret: string): Buffer {
  return Buffer.from(createHash('sha1').update(secret, 'utf8').digest('hex').slice(0, 32), 'ascii');
}

/** ClickBank sends "1.00" as text in some versions and 1 as a number in others. */
const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((v) => Number(v));

const lineItemSchema = z.looseObject({
  itemNo: z.union([z.string(), z.number()]).transform(String),
  productTitle: z.string().optional(),
  shippable: z.boolean().optional(),
  recurring: z.boolean().optional(),
  accountAmount: amount.optional(),
  quantity: amount.optional(),
  downloadUrl: z.string().nullish(),
  lineItemType: z.string().optional(),
  productPrice: amount.optional(),
  productDiscount: amount.optional(),
  taxAmount: amount.optional(),
  shippingAmount: amount.optional(),
  shippingLiable: z.boolean().optional(),
  affiliatePayout: amount.optional(),
  jvPayout: amount.optional(),
});

const personSchema = z.looseObject({
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  fullName: z.string().nullish(),
  email: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  address: z.record(z.string(), z.unknown()).nullish(),
});

/** INS notification, versions 6.0/7.0/8.0. Unknown fields are kept; unknown transaction types are valid. */
const insNotificationSchema = z.looseObject({
  transactionTime: z.string().min(1),
  receipt: z.string().min(1),
  transactionType: z.string().min(1),
  vendor: z.string().optional(),
  affiliate: z.string().nullish(),
  role: z.string().optional(),
  totalAccountAmount: amount.optional(),
  paymentMethod: z.string().nullish(),
  totalOrderAmount: amount.optional(),
  totalTaxAmount: amount.optional(),
  totalShippingAmount: amount.optional(),
  currency: z.string().optional(),
  orderLanguage: z.string().nullish(),
  trackingCodes: z.array(z.string()).nullish(),
  lineItems: z.array(lineItemSchema).default([]),
  customer: z.looseObject({ shipping: personSchema.nullish(), billing: personSchema.nullish() }).nullish(),
  upsell: z.unknown().optional(),
  hopfeed: z.unknown().optional(),
  vendorVariables: z.unknown().optional(),
  version: amount,
  attemptCount: amount.optional(),
});

export type InsNotification = z.output<typeof insNotificationSchema>;

export interface InsBody {
  notification: string;
  iv: string;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(field: string, value: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (!compact || compact.length % 4 !== 0 || !base64Pattern.test(compact)) {
    throw new InsDecodeError('bad_base64', `The "${field}" field is not valid base64.`);
  }
  return Buffer.from(compact, 'base64');
}

/** True when the text holds control characters other than tab/newline/carriage return (binary noise). */
function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

/** Decrypts the body to the plaintext JSON string without validating it. */
export function decryptInsPlaintext(body: unknown, secret: string): string {
  if (!body || typeof body !== 'object') {
    throw new InsDecodeError('bad_shape', 'Expected a JSON body {"notification": "...", "iv": "..."}.');
  }
  const { notification, iv } = body as Record<string, unknown>;
  if (typeof notification !== 'string' || typeof iv !== 'string') {
    throw new InsDecodeError('bad_shape', 'Expected string fields "notification" and "iv" in the body.');
  }
  const ivBytes = decodeBase64('iv', iv);
  const ciphertext = decodeBase64('notification', notification);
  if (ivBytes.length !== 16) {
    throw new InsDecodeError('bad_base64', `The "iv" field must decode to 16 bytes, got ${ivBytes.length}.`);
  }
  if (ciphertext.length % 16 !== 0) {
    throw new InsDecodeError(
      'bad_key_or_ciphertext',
      'The notification is not a whole number of AES blocks.',
    );
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', deriveInsKey(secret), ivBytes);
    plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new InsDecodeError(
      'bad_key_or_ciphertext',
      'The notification could not be decrypted: the INS secret key is wrong or the message was altered.',
    );
  }
  // A wrong key passes the padding check about 1 time in 256; its output is binary noise, not text.
  const text = plain.toString('utf8').replace(/[\0\s]+$/, '');
  if (text.includes('\uFFFD') || hasControlChars(text)) {
    throw new InsDecodeError(
      'bad_key_or_ciphertext',
      'The notification could not be decrypted: the INS secret key is wrong or the message was altered.',
    );
  }
  return text;
}

/** Decrypts and validates an INS body. Throws InsDecodeError with a clear message. */
export function decryptIns(body: unknown, secret: string): InsNotification {
  const text = decryptInsPlaintext(body, secret);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InsDecodeError('bad_json', 'The decrypted notification is not valid JSON.');
  }
  return parseInsNotification(json);
}

export function parseInsNotification(json: unknown): InsNotification {
  const result = insNotificationSchema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InsDecodeError('bad_shape', `The notification is not a ClickBank INS message (${where}).`);
  }
  return result.data;
}

/** Encrypts a notification the way ClickBank does (random IV). Used by the sandbox sender and tests. */
export function encryptIns(payload: unknown, secret: string): InsBody {
  // ClickBank's IVs are 16 printable characters; random bytes are equally valid for AES-CBC.
  const iv = Buffer.from(randomBytes(12).toString('base64').slice(0, 16), 'ascii');
  const cipher = createCipheriv('aes-256-cbc', deriveInsKey(secret), iv);
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return { notification: ciphertext.toString('base64'), iv: iv.toString('base64') };
}

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const compactPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}:?\d{2})$/;

/** Accepts ISO-8601 (`2023-07-28T02:07:57+00:00`) and compact (`20220810T162015-0700`) times. */
export function parseTransactionTime(value: string): Date {
  const v = value.trim();
  let iso: string | undefined;
  if (isoPattern.test(v)) iso = v;
  const m = compactPattern.exec(v);
  if (m) {
    const zone = m[7] === 'Z' ? 'Z' : `${m[7]!.slice(0, 3)}:${m[7]!.slice(-2)}`;
    iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
  }
  const date = iso ? new Date(iso) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InsDecodeError('bad_shape', `Unrecognised transactionTime "${value}".`);
  }
  return date;
}

export const isTestTransaction = (transactionType: string): boolean =>
  transactionType.toUpperCase().startsWith('TEST');

export const isMaskedReceipt = (receipt: string): boolean => receipt.includes('*');

/**
 * Key that identifies one notification across ClickBank's redeliveries:
 * `${receipt}:${transactionType}:${itemNos joined by +}`; TEST messages and masked receipts cannot be
 * told apart by receipt, so they use a hash of the raw POST body (a redelivery repeats the same body).
 */
export function insDedupeKey(
  notification: Pick<InsNotification, 'receipt' | 'transactionType'> & {
    lineItems?: ReadonlyArray<{ itemNo: string | number }>;
  },
  rawBody: string | Buffer,
): string {
  if (isTestTransaction(notification.transactionType) || isMaskedReceipt(notification.receipt)) {
    return `test:${createHash('sha256').update(rawBody).digest('hex')}`;
  }
  const items = (notification.lineItems ?? []).map((i) => String(i.itemNo)).join('+');
  return `${notification.receipt}:${notification.transactionType}:${items}`;
}

/** The notification's tracking id (tid): its first non-blank tracking code, as ClickBank sent it. */
export const notificationTid = (n: Pick<InsNotification, 'trackingCodes'>): string | undefined =>
  n.trackingCodes?.find((code) => code.trim() !== '');

const revocationReasons: Record<string, 'refund' | 'chargeback'> = { RFND: 'refund', CGBK: 'chargeback' };

/** What a refund (RFND) or chargeback (CGBK) notification means for bonuses; undefined for other types. */
export const revocationReasonOf = (transactionType: string): 'refund' | 'chargeback' | undefined =>
  revocationReasons[transactionType.toUpperCase()];

/** ClickBank transaction types that move money and so become analytics events. */
/** The analytics event types a ClickBank notification can become. */
export type AnalyticsEventType = 'sale' | 'rebill' | 'refund' | 'chargeback';

const analyticsTypes: Record<string, AnalyticsEventType> = {
  SALE: 'sale',
  BILL: 'rebill',
  RFND: 'refund',
  CGBK: 'chargeback',
};

/** The analytics event a notification becomes, or why it becomes none (test messages, other types). */
export function analyticsTypeFor(notification: Pick<InsNotification, 'transactionType' | 'receipt'>) {
  if (isTestTransaction(notification.transactionType) || isMaskedReceipt(notification.receipt)) {
    return { type: undefined, reason: 'ClickBank test notification' };
  }
  const type = analyticsTypes[notification.transactionType.toUpperCase()];
  return type
    ? { type, reason: undefined }
    : { type: undefined, reason: `${notification.transactionType} is not counted in analytics` };
}
