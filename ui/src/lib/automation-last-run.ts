/**
 * The last run of an automation as the builder's sample: its trigger payload and the outputs and variables its
 * steps left (read from the run's state), for the variable picker and the values shown beside expressions.
 * Pure but for the `get` it is given (the server's API client).
 */
import { stepOutputs } from '../../../lib/automations/step-outputs';
import type { DryRunSample } from './automation-dry-run';
import type { AutomationDefinition } from './automations';
import { walkSteps } from './automation-tree';

/** A sample for the dry run and the variable picker, and where its values come from. */
export type BuilderSample = DryRunSample & {
  steps?: Record<string, { output?: unknown }>;
  source: 'last run' | 'sample';
};

export interface LastRunSample {
  workflowId: string;
  trigger: unknown;
  steps: Record<string, { output?: unknown }>;
  vars: Record<string, unknown>;
}

interface RunDetail {
  run: {
    payload?: unknown;
    state: {
      steps?: Record<string, { output?: unknown } | undefined>;
      vars?: Record<string, unknown>;
    } | null;
  };
}

/** Null when the automation has not run yet. */
export async function lastRunSample(
  get: <T>(path: string) => Promise<T>,
  teamPath: string,
  automationId: string,
): Promise<LastRunSample | null> {
  const { runs } = await get<{ runs: { workflowId: string }[] }>(
    `${teamPath}/automations/${automationId}/runs?limit=1`,
  );
  const last = runs[0];
  if (!last) return null;
  const { run } = await get<RunDetail>(`${teamPath}/automation-runs/${encodeURIComponent(last.workflowId)}`);
  const steps: Record<string, { output?: unknown }> = {};
  for (const [id, s] of Object.entries(run.state?.steps ?? {})) {
    if (s && 'output' in s) steps[id] = { output: s.output };
  }
  return { workflowId: last.workflowId, trigger: run.payload ?? {}, steps, vars: run.state?.vars ?? {} };
}

/** The sample the builder uses: the last run's values when it has run, else the trigger type's sample. */
export function builderSample(sampleTrigger: unknown, lastRun: LastRunSample | null): BuilderSample {
  if (lastRun)
    return { trigger: lastRun.trigger, steps: lastRun.steps, vars: lastRun.vars, source: 'last run' };
  return { trigger: sampleTrigger, source: 'sample' };
}

/**
 * The dry run's sample with a stand-in for every output and variable it does not know (no run yet, or a step
 * added since): `‹the email sent›`, so an expression reading an earlier step shows what it will hold instead of
 * failing with "not defined".
 */
export function withStandIns(sample: DryRunSample, definition: AutomationDefinition): DryRunSample {
  const steps: Record<string, unknown> = { ...(sample.steps ?? {}) };
  const vars: Record<string, unknown> = { ...(sample.vars ?? {}) };
  for (const { step } of walkSteps(definition)) {
    if (!(step.id in steps)) {
      const fields = stepOutputs[step.type] ?? [];
      steps[step.id] = { output: Object.fromEntries(fields.map((f) => [f.field, `‹${f.description}›`])) };
    }
    if (step.type === 'set_variable' && step.config.name && !(step.config.name in vars)) {
      vars[step.config.name] = `‹set by “${step.name}”›`;
    }
    if (step.type === 'for_each') {
      const as = step.config.as || 'item';
      if (!(as in vars)) vars[as] = `‹each item of “${step.name}”›`;
    }
  }
  return { trigger: sample.trigger, steps, vars };
}
