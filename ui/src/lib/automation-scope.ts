/**
 * What a step's expressions can read, for the variable picker (docs/automations.md, "What an expression can
 * read"): the trigger's fields (from a sample payload or the last run), the outputs of the steps that run before
 * it on its path, the variables those steps set and the current item of an enclosing for_each, and the run.
 * Pure: the editor and its tests call it with a definition, a step path and a sample.
 */
import { stepOutputs } from '../../../lib/automations/step-outputs';
import type { AutomationDefinition, ScopeVariable, Step, StepPath } from './automations';

export interface ScopeSample {
  trigger: unknown;
  /** `steps.<id>.output` of a run (the last run), when known. */
  steps?: Record<string, { output?: unknown } | undefined>;
  vars?: Record<string, unknown>;
}

const MAX_DEPTH = 4;
const MAX_ENTRIES = 200;
const LANES = new Set(['steps', 'otherwise', 'on_timeout', 'on_error']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b`, or `a["odd key"]` when the key is not a plain name. */
function join(prefix: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
}

/** Every field of a value as expression paths, arrays whole and through their first item. */
export function flattenValue(value: unknown, prefix: string, source: string): ScopeVariable[] {
  const out: ScopeVariable[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= MAX_ENTRIES) return;
    if (isRecord(v)) {
      if (depth >= MAX_DEPTH || Object.keys(v).length === 0) {
        out.push({ path, value: v, source });
        return;
      }
      for (const [k, child] of Object.entries(v)) walk(child, join(path, k), depth + 1);
      return;
    }
    out.push({ path, value: v, source });
    if (Array.isArray(v) && v.length > 0 && isRecord(v[0]) && depth < MAX_DEPTH) {
      walk(v[0], `${path}[0]`, depth + 1);
    }
  };
  walk(value, prefix, 0);
  return out;
}

interface Frame {
  lane: Step[];
  index: number;
  /** The step whose lane this is (none at the top level). */
  owner?: Step;
  laneKey: string;
}

/** The lanes the step at `path` sits in, outermost first. */
function framesOf(definition: AutomationDefinition, path: StepPath): Frame[] | null {
  const frames: Frame[] = [];
  let node: unknown = definition;
  let owner: Step | undefined;
  for (const segment of path.split('.')) {
    const m = /^([A-Za-z_]+)(?:\[(\d+)\])?$/.exec(segment);
    if (!m || !isRecord(node)) return null;
    const [, key, idx] = m;
    let next: unknown = node[key!];
    if (idx !== undefined) {
      if (!Array.isArray(next)) return null;
      const i = Number(idx);
      if (LANES.has(key!)) frames.push({ lane: next as Step[], index: i, owner, laneKey: key! });
      next = next[i];
      if (LANES.has(key!)) owner = next as Step;
    }
    node = next;
  }
  return node === undefined ? null : frames;
}

function outputsOf(step: Step, sample: ScopeSample): ScopeVariable[] {
  const ran = sample.steps?.[step.id]?.output;
  return stepOutputs[step.type].map(({ field, description }) => {
    const known = isRecord(ran) && field in ran;
    return {
      path: `steps.${step.id}.output.${field}`,
      ...(known ? { value: ran[field] } : {}),
      source: known ? 'last run' : description,
    };
  });
}

function varOf(step: Step, sample: ScopeSample): ScopeVariable | null {
  if (step.type !== 'set_variable') return null;
  const name = step.config.name;
  if (!name) return null;
  const value = step.config.value;
  if (sample.vars && name in sample.vars) {
    return { path: `vars.${name}`, value: sample.vars[name], source: 'last run' };
  }
  const literal = !(typeof value === 'string' && value.includes('{{'));
  return {
    path: `vars.${name}`,
    ...(literal ? { value } : {}),
    source: `set by “${step.name}”`,
  };
}

const runFields: [string, string][] = [
  ['id', 'this run'],
  ['automation_id', 'this automation'],
  ['team_id', 'your team'],
  ['version', 'the version it runs'],
  ['started_at', 'when it started'],
];

/** What the step at `stepPath` can read (see the module comment); the trigger first. */
export function scopeFor(
  definition: AutomationDefinition,
  stepPath: StepPath,
  sample: ScopeSample,
): ScopeVariable[] {
  const source = sample.steps ? 'last run' : 'sample';
  const vars: ScopeVariable[] = [];
  const steps: ScopeVariable[] = [];
  for (const frame of framesOf(definition, stepPath) ?? []) {
    if (frame.owner?.type === 'for_each' && frame.laneKey === 'steps') {
      const as = frame.owner.config.as || 'item';
      vars.push({ path: `vars.${as}`, source: `each item of “${frame.owner.name}”` });
    }
    if (frame.owner && frame.laneKey === 'on_error') {
      steps.push({ path: `steps.${frame.owner.id}.error.message`, source: 'why it failed' });
    }
    for (const earlier of frame.lane.slice(0, frame.index)) {
      steps.push(...outputsOf(earlier, sample));
      const v = varOf(earlier, sample);
      if (v) vars.push(v);
    }
  }
  const seenVars = new Set<string>();
  const uniqueVars = vars.filter((v) => !seenVars.has(v.path) && seenVars.add(v.path));
  return [
    ...flattenValue(sample.trigger ?? {}, 'trigger', source),
    ...steps,
    ...uniqueVars,
    ...runFields.map(([f, what]) => ({ path: `run.${f}`, source: what })),
  ];
}

/** A value as the picker shows it: short, one line. */
export function previewValue(value: unknown, max = 60): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
