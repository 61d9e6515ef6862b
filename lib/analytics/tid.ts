/**
 * The ClickBank tracking id (tid) a tracked click sends to ClickBank, and how a sale's tid is read back.
 *
 * ClickBank's rules, as documented over the years: older HopLink docs allow at most 24 characters, letters and
 * digits only, drop the whole tid when it holds anything else and may report it in upper case; the current docs
 * allow up to 100 characters of lower-case letters, digits and underscores. A tid we make satisfies both: at most
 * 24 characters, `a-z0-9` only, and is read back case-insensitively.
 *
 * A click's tid is the campaign's click prefix (1 to 16 characters) followed by the click id (exactly 8 base-36
 * characters), so the campaign is known from the tid even when the click is not.
 */
export const TID_MAX_LENGTH = 24;
const CLICK_ID_LENGTH = 8;
export const CLICK_PREFIX_MAX_LENGTH = TID_MAX_LENGTH - CLICK_ID_LENGTH;
/** 36^8 ids: a sequence that hands out 1,000 per lease lasts 2.8 billion leases. */
export const CLICK_ID_LIMIT = 36 ** CLICK_ID_LENGTH;

const prefixPattern = /^[a-z0-9]{1,16}$/;
const clickIdPattern = /^[a-z0-9]{8}$/;

/** A click number (from a leased block) as its 8-character id. */
export function encodeClickId(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= CLICK_ID_LIMIT) {
    throw new RangeError(`click number ${n} is outside 0..36^8`);
  }
  return n.toString(36).padStart(CLICK_ID_LENGTH, '0');
}

/** The tid for one click of a campaign: prefix + click id, at most 24 letters and digits. */
export function clickTid(clickPrefix: string, clickId: string): string {
  if (!prefixPattern.test(clickPrefix))
    throw new RangeError(`bad click prefix ${JSON.stringify(clickPrefix)}`);
  if (!clickIdPattern.test(clickId)) throw new RangeError(`bad click id ${JSON.stringify(clickId)}`);
  return clickPrefix + clickId;
}

/** A tid as ClickBank may send it back (any case, stray spaces) in the form we store and compare. */
export const normalizeTid = (tid: string): string => tid.trim().toLowerCase();

/** The prefix and click id a tid would hold if it came from a tracked click; null when it cannot. */
export function splitClickTid(tid: string): { prefix: string; clickId: string } | null {
  const t = normalizeTid(tid);
  if (t.length <= CLICK_ID_LENGTH || t.length > TID_MAX_LENGTH) return null;
  const prefix = t.slice(0, -CLICK_ID_LENGTH);
  const clickId = t.slice(-CLICK_ID_LENGTH);
  return prefixPattern.test(prefix) && clickIdPattern.test(clickId) ? { prefix, clickId } : null;
}
