/** Shapes of the sequences API, and the editor's helpers. */
export type SequenceTrigger = 'manual' | 'sale';
export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';

export interface Sequence {
  id: string;
  teamId: string;
  campaignId: string;
  name: string;
  trigger: SequenceTrigger;
  stepCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface SequenceStep {
  id: string;
  position: number;
  subject: string;
  body: string;
  delaySeconds: number;
}

export interface SequenceWithSteps extends Sequence {
  steps: SequenceStep[];
}

export interface SequenceRun {
  id: string;
  workflowId: string;
  contactId: string;
  contactEmail: string;
  status: RunStatus;
  triggerSource: SequenceTrigger;
  currentStep: number;
  totalSteps: number | null;
  nextSendAt: string | null;
  stopReason: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface EmailPreview {
  subject: string;
  text: string;
  html: string;
}

export interface EnrollResult {
  started: number;
  alreadyRunning: number;
  skipped: number;
}

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
