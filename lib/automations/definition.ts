import { z } from 'zod';
import { topLevelSteps, type Step } from './steps';
import { triggerSchema, type Trigger } from './triggers';

/** An automation definition: what starts a run and the steps it takes. Versions are saved as this JSON. */
const DEFINITION_FORMAT_VERSION = 1;

export interface AutomationDefinition {
  version: typeof DEFINITION_FORMAT_VERSION;
  trigger: Trigger;
  steps: Step[];
}

export const definitionSchema: z.ZodType<AutomationDefinition, unknown> = z.strictObject({
  version: z.literal(DEFINITION_FORMAT_VERSION, {
    error: `the definition format version: ${DEFINITION_FORMAT_VERSION}`,
  }),
  trigger: triggerSchema,
  steps: topLevelSteps,
});

/**
 * The JSON Schema of a definition, for the visual builder (forms, completion) and for outside tools. It
 * describes the shape; validateDefinition also checks expressions, references, ids, cron and time zones.
 */
export function definitionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(definitionSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
}
