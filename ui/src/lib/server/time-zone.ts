import type { Cookies } from '@sveltejs/kit';
import { TIME_ZONE_COOKIE, isTimeZone } from '$lib/time-zone';

/** The zone the browser reported in its cookie, or UTC before it has. */
export function readTimeZone(cookies: Cookies): string {
  const value = cookies.get(TIME_ZONE_COOKIE);
  return isTimeZone(value) ? value : 'UTC';
}
