import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { loadStepOutputs, storeStepOutput } from '../data/automation-runs';
import type { ExpressionScope } from '../lib/automations/expressions';
import { AutomationFailure } from '../workflows/contracts/automation-run';

/**
 * Step outputs travel through the run's history inline up to this size; larger ones are stored in the database
 * and the history holds `{ $ref, bytes }`, so a run never approaches Temporal's payload and history limits.
 */
const INLINE_OUTPUT_BYTES = 64 * 1024;

interface OutputRef {
  $ref: string;
  bytes: number;
}

const isRef = (value: unknown): value is OutputRef =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as OutputRef).$ref === 'string' &&
  Object.keys(value).length === 2 &&
  typeof (value as OutputRef).bytes === 'number';

/** The output as the run keeps it: itself, or a reference to the stored row when it is large. */
export async function keepOutput(
  db: Knex,
  o: { teamId: string; workflowId: string; stepKey: string; value: unknown },
): Promise<unknown> {
  if (o.value === undefined) return null;
  const text = JSON.stringify(o.value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= INLINE_OUTPUT_BYTES) return o.value;
  const id = await storeStepOutput(db, { ...o, bytes });
  return { $ref: id, bytes } satisfies OutputRef;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Stored-output references within `depth` levels of plain objects. */
function collectRefs(value: unknown, depth: number, refs: string[]): void {
  if (isRef(value)) refs.push(value.$ref);
  else if (depth > 0 && isPlainObject(value)) {
    for (const v of Object.values(value)) collectRefs(v, depth - 1, refs);
  }
}

function replaceRefs(value: unknown, depth: number, stored: Map<string, unknown>): unknown {
  if (isRef(value)) return stored.get(value.$ref) ?? null;
  if (depth > 0 && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceRefs(v, depth - 1, stored)]));
  }
  return value;
}

/**
 * The scope with stored values read back: a large trigger payload, `steps.<id>.output` (and a set_variable's `output.value`) and `vars.<name>`
 * that are references to large values.
 */
export async function resolveScope(
  db: Knex,
  teamId: string,
  scope: ExpressionScope,
): Promise<ExpressionScope> {
  const refs: string[] = [];
  collectRefs(scope.trigger, 0, refs);
  collectRefs(scope.steps, 3, refs);
  collectRefs(scope.vars, 1, refs);
  if (refs.length === 0) return scope;
  const stored = await loadStepOutputs(db, teamId, refs);
  return {
    ...scope,
    trigger: replaceRefs(scope.trigger, 0, stored),
    steps: replaceRefs(scope.steps, 3, stored) as Record<string, unknown>,
    vars: replaceRefs(scope.vars, 1, stored) as Record<string, unknown>,
  };
}

/** An expression problem as a step failure: not retried (the same data gives the same error), names the path. */
export function expressionFailure(error: unknown, field: string): ApplicationFailure {
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({
    type: AutomationFailure.expression,
    message: `${field}: ${message}`,
    nonRetryable: true,
    details: [{ path: field }],
  });
}

/** A config value that is wrong at run time (a missing record, an address that is not one): not retried. */
export function stepConfigFailure(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: AutomationFailure.stepConfig,
    message: `${field}: ${message}`,
    nonRetryable: true,
    details: [{ path: field }],
  });
}
