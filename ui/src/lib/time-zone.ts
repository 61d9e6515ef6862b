/**
 * The time zone dates are shown and entered in: the browser's own, remembered in a cookie so the server
 * renders the same text the browser would (no hydration mismatch, no UTC surprises).
 */
import { page } from '$app/state';

export const TIME_ZONE_COOKIE = 'hf_tz';

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The zone of the page being rendered (server or browser); UTC until the browser has told us its own. */
export function currentTimeZone(): string {
  const zone = (page.data as { timeZone?: unknown } | undefined)?.timeZone;
  return isTimeZone(zone) ? zone : 'UTC';
}

/** The browser's zone, or null when it cannot be read (server side, or an unusual browser). */
function browserTimeZone(): string | null {
  if (typeof Intl === 'undefined') return null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return isTimeZone(zone) ? zone : null;
}

/** Stores the browser's zone for the server's next render; true when it changed. */
export function rememberBrowserTimeZone(known: string | undefined): boolean {
  const zone = browserTimeZone();
  if (!zone || zone === known) return false;
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
  return true;
}
