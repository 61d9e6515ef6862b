/**
 * What the builder needs to draw forms and the palette, produced from the same zod schema the API validates
 * with (lib/automations/definition): one JSON Schema per step type and per trigger type, and the shared $defs.
 */
import { definitionJsonSchema } from '../../../../lib/automations/definition';
import { stepTypes, type StepType } from '../../../../lib/automations/steps';

type Schema = Record<string, unknown>;

export interface BuilderCatalog {
  stepSchemas: Record<StepType, Schema>;
  triggerSchemas: Record<string, Schema>;
  /** $ref targets (`#/$defs/AutomationStep`, `#/$defs/AutomationSteps`, …). */
  defs: Record<string, Schema>;
  stepTypes: StepType[];
}

function constOf(variant: Schema, key: string): string | undefined {
  const props = variant.properties as Record<string, Schema> | undefined;
  const c = props?.[key]?.const;
  return typeof c === 'string' ? c : undefined;
}

let cached: BuilderCatalog | undefined;

export function builderCatalog(): BuilderCatalog {
  if (cached) return cached;
  const root = definitionJsonSchema();
  const defs = (root.$defs ?? {}) as Record<string, Schema>;
  const stepVariants = (defs.AutomationStep?.oneOf ?? []) as Schema[];
  const triggerVariants = ((root.properties as Record<string, Schema>).trigger?.oneOf ?? []) as Schema[];
  const stepSchemas = {} as Record<StepType, Schema>;
  for (const v of stepVariants) {
    const t = constOf(v, 'type');
    if (t) stepSchemas[t as StepType] = v;
  }
  const triggerSchemas: Record<string, Schema> = {};
  for (const v of triggerVariants) {
    const t = constOf(v, 'type');
    if (t) triggerSchemas[t] = v;
  }
  cached = { stepSchemas, triggerSchemas, defs, stepTypes: [...stepTypes] };
  return cached;
}
