/** Wall-clock values of a date-time field in a named zone, to and from instants (ISO strings). */
import { fromAbsolute, parseDateTime, toZoned } from '@internationalized/date';

/** `2026-12-24T09:30` in `zone` as an ISO instant; null when empty or not a date. */
export function localToIso(local: string, zone: string): string | null {
  if (!local) return null;
  try {
    return toZoned(parseDateTime(local), zone).toDate().toISOString();
  } catch {
    return null;
  }
}

/** An ISO instant as the `YYYY-MM-DDTHH:mm` a datetime-local field shows in `zone`; '' when unreadable. */
export function isoToLocal(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const z = fromAbsolute(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(z.year).padStart(4, '0')}-${pad(z.month)}-${pad(z.day)}T${pad(z.hour)}:${pad(z.minute)}`;
}
