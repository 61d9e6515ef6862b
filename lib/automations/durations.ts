import { z } from 'zod';

/** Durations as builders write them: `90s`, `15m`, `2h`, `7d`, `2w`, or combined from largest to smallest (`1h30m`). */
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000];

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;
/** The longest wait or timeout: a run waiting longer is almost always a mistake (and outlives its version). */
export const MAX_WAIT_MS = 365 * DAY_MS;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  return UNIT_MS.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * unit, 0);
}

const DURATION_HINT = 'a duration such as 30s, 15m, 2h, 7d or 1h30m';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const describe = (ms: number): string =>
  ms % DAY_MS === 0
    ? plural(ms / DAY_MS, 'day')
    : ms % 60_000 === 0
      ? plural(ms / 60_000, 'minute')
      : plural(ms / 1000, 'second');

/** A duration field between `min` and `max` milliseconds. */
export const durationSchema = (max: number, min = SECOND_MS) =>
  z
    .string()
    .regex(/^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/, { error: DURATION_HINT, abort: true })
    .refine((text) => parseDuration(text) !== undefined, { error: DURATION_HINT, abort: true })
    .refine((text) => (parseDuration(text) ?? 0) >= min, `at least ${describe(min)}`)
    .refine((text) => (parseDuration(text) ?? 0) <= max, `at most ${describe(max)}`);
