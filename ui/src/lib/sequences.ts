/** The sequence editor's helpers (the API's shapes: $api/sequences). */
export const delayUnits = { minutes: 60, hours: 3600, days: 86400 } as const;
export type DelayUnit = keyof typeof delayUnits;

/** A step as the editor holds it: the delay as an amount of a unit. */
export interface DraftStep {
  key: number;
  subject: string;
  body: string;
  amount: number;
  unit: DelayUnit;
}

/** 172800 -> 2 days; 5400 -> 90 minutes (the largest unit that divides it). */
export function splitDelay(seconds: number): { amount: number; unit: DelayUnit } {
  if (seconds > 0 && seconds % delayUnits.days === 0)
    return { amount: seconds / delayUnits.days, unit: 'days' };
  if (seconds > 0 && seconds % delayUnits.hours === 0)
    return { amount: seconds / delayUnits.hours, unit: 'hours' };
  return { amount: Math.round(seconds / 60), unit: 'minutes' };
}

export function delaySeconds(step: Pick<DraftStep, 'amount' | 'unit'>): number {
  return Math.round(Number(step.amount) * delayUnits[step.unit]);
}

/** API field errors like `steps.1.body` -> { 1: { body: '…' } }; a `steps` error without index -> key -1. */
export function stepErrors(
  details: { path: string; message: string }[],
): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  for (const d of details) {
    const match = /(?:^|\.)steps(?:\.(\d+))?(?:\.(\w+))?/.exec(d.path);
    if (!match) continue;
    const index = match[1] === undefined ? -1 : Number(match[1]);
    const fieldName = match[2] === 'delaySeconds' ? 'delay' : (match[2] ?? 'step');
    out[index] ??= {};
    out[index][fieldName] ??= d.message;
  }
  return out;
}

/** The API's limit on a sequence name (api/schemas/sequences.ts). */
export const SEQUENCE_NAME_MAX = 120;

const triggerWords: Record<string, string> = {
  manual: 'You enroll contacts',
  sale: 'Buyers join on a sale',
};

export function triggerLabel(trigger: string): string {
  return triggerWords[trigger] ?? trigger;
}
