import { z } from 'zod';
import { topLevelSteps, type Step } from './steps';
import { triggerSchema, type Trigger } from './triggers';

/** An automation definition: what starts a run and the steps it takes. Versions are saved as this JSON. */
const DEFINITION_FORMAT_VERSION = 1;

/** How many runs of the automation may be under way at once, and what a trigger does when all are taken. */
const concurrencySchema = z.strictObject({
  max_runs: z.number().int().min(1).max(1_000, 'at most 1000 runs at once'),
  when_busy: z.enum(['queue', 'skip']).default('queue'),
});

export interface AutomationDefinition {
  version: typeof DEFINITION_FORMAT_VERSION;
  trigger: Trigger;
  steps: Step[];
  concurrency?: z.output<typeof concurrencySchema>;
}

export const definitionSchema: z.ZodType<AutomationDefinition, unknown> = z.strictObject({
  version: z.literal(DEFINITION_FORMAT_VERSION, {
    error: `the definition format version: ${DEFINITION_FORMAT_VERSION}`,
  }),
  trigger: triggerSchema,
  steps: topLevelSteps,
  concurrency: concurrencySchema.optional(),
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
