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

/** The scope with stored outputs read back (`steps.<id>.output` that are references). */
export async function resolveScope(
  db: Knex,
  teamId: string,
  scope: ExpressionScope,
): Promise<ExpressionScope> {
  const refs: string[] = [];
  for (const step of Object.values(scope.steps)) {
    const output = (step as { output?: unknown } | null)?.output;
    if (isRef(output)) refs.push(output.$ref);
  }
  if (refs.length === 0) return scope;
  const values = await loadStepOutputs(db, teamId, refs);
  const steps: Record<string, unknown> = {};
  for (const [id, step] of Object.entries(scope.steps)) {
    const output = (step as { output?: unknown } | null)?.output;
    steps[id] = isRef(output) ? { ...(step as object), output: values.get(output.$ref) ?? null } : step;
  }
  return { ...scope, steps };
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
