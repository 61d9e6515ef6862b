import type { IncomingHttpHeaders } from 'node:http';

/** Longest sub-id kept (longer ones are cut): enough for ad and keyword ids, small enough for every row. */
export const SUB_ID_MAX_LENGTH = 100;
const REFERRER_HOST_MAX_LENGTH = 253;
/** A source label, as tracking links hold them (`?src=` must be one too, else the link's own counts). */
const sourcePattern = /^[a-z0-9][a-z0-9_-]{0,31}$/;
// C0 and C1 controls and DEL: PostgreSQL refuses NUL in text, and none of them means anything in an id.
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f]/g;
// Half of a surrogate pair with no other half: not text, and PostgreSQL refuses it.
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text from a visitor's URL made safe to store: lone surrogates dropped, no control
 * characters, trimmed, cut to `max` code points without splitting a pair; empty -> null.
 */
export function cleanText(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  let text = value.replace(loneSurrogates, '').replace(controls, '').trim();
  if (text.length > max) text = Array.from(text).slice(0, max).join('').trim();
  return text === '' ? null : text;
}

export interface ClickParams {
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  /** A valid `src` label, else null (the link's own source applies). */
  source: string | null;
}

/** `s1..s3` and `src` from the query string (first value of each; anything else is ignored). */
export function clickParams(query: string): ClickParams {
  const params = new URLSearchParams(query);
  const src = params.get('src')?.trim().toLowerCase();
  return {
    sub1: cleanText(params.get('s1'), SUB_ID_MAX_LENGTH),
    sub2: cleanText(params.get('s2'), SUB_ID_MAX_LENGTH),
    sub3: cleanText(params.get('s3'), SUB_ID_MAX_LENGTH),
    source: src && sourcePattern.test(src) ? src : null,
  };
}

/** The host of the Referer header, lower-case, without `www.`; null when absent or not a URL. */
export function referrerHost(referer: string | undefined): string | null {
  if (!referer) return null;
  let host: string;
  try {
    host = new URL(referer).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host.startsWith('www.')) host = host.slice(4);
  return cleanText(host, REFERRER_HOST_MAX_LENGTH);
}

/** The two-letter country a trusted proxy put in `header`; Cloudflare's XX (unknown) and T1 (Tor) count as none. */
export function countryFrom(headers: IncomingHttpHeaders, header: string | null): string | null {
  if (!header) return null;
  const raw = headers[header];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toUpperCase();
  return value && /^[A-Z]{2}$/.test(value) && value !== 'XX' ? value : null;
}

/**
 * The visitor's address: the socket's, or behind a trusted proxy the first X-Forwarded-For entry (as Express's
 * `trust proxy` = true reads it).
 */
export function visitorAddress(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return remoteAddress ?? '';
}
