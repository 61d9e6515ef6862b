import { DateTime } from 'luxon';

/** A zone luxon (and so PostgreSQL's IANA database) knows, else UTC: a bad value must not stop the night. */
export const usableZone = (zone: string | null | undefined): string =>
  zone && DateTime.now().setZone(zone).isValid ? zone : 'UTC';

/** Teams whose local time at `now` is `localHour`, with their yesterday. */
export function dueZones(
  zones: string[],
  now: Date,
  localHour: number,
): Map<string, { day: string; zone: string }> {
  const due = new Map<string, { day: string; zone: string }>();
  for (const stored of zones) {
    const zone = usableZone(stored);
    const local = DateTime.fromJSDate(now, { zone });
    if (local.hour !== localHour) continue;
    due.set(stored, { day: local.minus({ days: 1 }).toISODate()!, zone });
  }
  return due;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) `at` falls on in `zone`; a zone Intl does not know counts as UTC. */
export function localDay(at: Date, zone: string): string {
  let format = dayFormats.get(zone);
  if (!format) {
    try {
      // en-CA writes dates as YYYY-MM-DD.
      format = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      return localDay(at, 'UTC');
    }
    dayFormats.set(zone, format);
  }
  return format.format(at);
}
