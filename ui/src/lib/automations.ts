/**
 * Shared shapes of the automation builder and run viewer (the API's: $api/automations, $api/automation-runs;
 * the definition's: lib/automations). Pages and components of the builder import them from here.
 */
import type { AutomationDefinition } from '../../../lib/automations/definition';
import type { Step, StepType } from '../../../lib/automations/steps';

export type { AutomationDefinition, Step, StepType };

/**
 * Where a step sits in the definition, as the API's error paths spell it relative to `definition.`:
 * `steps[2]`, `steps[1].config.branches[0].steps[0]`, `steps[0].on_error[1]`.
 */
export type StepPath = string;

/** A field problem of one step: `field` relative to the step (`config.to`, `name`, `if`, `config.headers.X-Id`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Something a step's expressions can read, for the variable picker. */
export interface ScopeVariable {
  /** As written in an expression: `trigger.customer.email`, `steps.welcome.output.message_id`, `vars.first`. */
  path: string;
  /** A real value (from the sample payload or the last run), when known. */
  value?: unknown;
  /** Where the value came from, in words: "sample payload", "last run", "step output". */
  source: string;
}
