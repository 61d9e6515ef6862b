import { DateTime } from 'luxon';
import { checkCondition, checkTemplate, STEP_ROOTS, type ReferenceContext } from './check-expressions';
import { MAX_LANE_STEPS } from './steps';
import { formatPath, isRecord, type DefinitionProblem, type PathKey } from './problems';

/**
 * The checks the schema cannot make, on the raw input (so they run even when the shape is wrong somewhere):
 * duplicate ids, expression syntax, references to steps that do not run before, unset variables.
 */

/** Steps in a whole definition, all lanes together. */
const MAX_DEFINITION_STEPS = 500;

interface Walk {
  problems: DefinitionProblem[];
  /** First place each step id was seen. */
  ids: Map<string, string>;
  allSteps: Set<string>;
  allVars: Set<string>;
  count: number;
}

interface Visible {
  steps: Set<string>;
  vars: Set<string>;
}

const copy = (v: Visible): Visible => ({ steps: new Set(v.steps), vars: new Set(v.vars) });

/** Config keys checked by their step type (conditions, lanes), not as plain text. */
const SPECIAL_KEYS: Record<string, readonly string[]> = {
  branch: ['branches', 'otherwise'],
  for_each: ['items', 'steps'],
  wait_for_event: ['match', 'on_timeout'],
  wait_until: ['until'],
};

/** An ISO date-time that says which zone it is in (`Z` or `+02:00`): a bare local time is ambiguous. */
const isIsoWithOffset = (text: string): boolean =>
  /T.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;

/** Every id and variable name, wherever it is, to tell "later or elsewhere" from "nowhere". */
function collect(steps: unknown, walk: Walk, depth = 0): void {
  if (!Array.isArray(steps) || depth > 50) return;
  for (const step of steps) {
    if (!isRecord(step)) continue;
    if (typeof step.id === 'string') walk.allSteps.add(step.id);
    const config = isRecord(step.config) ? step.config : {};
    if (step.type === 'set_variable' && typeof config.name === 'string') walk.allVars.add(config.name);
    if (step.type === 'for_each') walk.allVars.add(typeof config.as === 'string' ? config.as : 'item');
    for (const lane of lanesOf(step)) collect(lane.steps, walk, depth + 1);
  }
}

/** The lanes a step holds, with their paths relative to the step. */
function lanesOf(step: Record<string, unknown>): { steps: unknown; at: PathKey[] }[] {
  const config = isRecord(step.config) ? step.config : {};
  const lanes: { steps: unknown; at: PathKey[] }[] = [];
  if (step.type === 'branch') {
    if (Array.isArray(config.branches)) {
      config.branches.forEach((b, i) => {
        if (isRecord(b)) lanes.push({ steps: b.steps, at: ['config', 'branches', i, 'steps'] });
      });
    }
    lanes.push({ steps: config.otherwise, at: ['config', 'otherwise'] });
  }
  if (step.type === 'for_each') lanes.push({ steps: config.steps, at: ['config', 'steps'] });
  if (step.type === 'wait_for_event') lanes.push({ steps: config.on_timeout, at: ['config', 'on_timeout'] });
  lanes.push({ steps: step.on_error, at: ['on_error'] });
  return lanes;
}

/**
 * A for_each of more items than this runs its iterations in child runs (the interpreter's INLINE_ITEMS, in
 * workflows/automation-interpreter.ts), which events and approval decisions do not reach.
 */
const INLINE_LOOP_ITEMS = 25;
const WAITS_FOR_OTHERS = new Set(['wait_for_event', 'wait_for_approval']);

/** wait_for_event and wait_for_approval steps inside a list of steps, lanes included, with their paths. */
function waitsIn(steps: unknown, path: PathKey[], found: PathKey[][], depth = 0): void {
  if (!Array.isArray(steps) || depth > 20) return;
  steps.forEach((step, i) => {
    if (!isRecord(step)) return;
    if (typeof step.type === 'string' && WAITS_FOR_OTHERS.has(step.type)) found.push([...path, i, 'type']);
    for (const lane of lanesOf(step)) waitsIn(lane.steps, [...path, i, ...lane.at], found, depth + 1);
  });
}

function checkLoopWaits(step: Record<string, unknown>, path: PathKey[], walk: Walk): void {
  const config = isRecord(step.config) ? step.config : {};
  const maxItems = typeof config.max_items === 'number' ? config.max_items : 100;
  if (step.type !== 'for_each' || maxItems <= INLINE_LOOP_ITEMS) return;
  const found: PathKey[][] = [];
  waitsIn(config.steps, [...path, 'config', 'steps'], found);
  for (const at of found) {
    walk.problems.push({
      path: formatPath(at),
      message: `a loop of more than ${INLINE_LOOP_ITEMS} items (max_items) runs in parts that events and approvals cannot reach: set max_items to ${INLINE_LOOP_ITEMS} or less, or move this step out of the loop`,
    });
  }
}

function checkText(value: unknown, path: PathKey[], ctx: ReferenceContext, walk: Walk, depth = 0): void {
  if (depth > 20) return;
  if (typeof value === 'string') checkTemplate(value, path, ctx, walk.problems);
  else if (Array.isArray(value)) value.forEach((v, i) => checkText(v, [...path, i], ctx, walk, depth + 1));
  else if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) checkText(v, [...path, key], ctx, walk, depth + 1);
  }
}

function contextOf(visible: Visible, walk: Walk, self?: string, extraRoot?: string): ReferenceContext {
  return {
    steps: visible.steps,
    vars: visible.vars,
    allSteps: walk.allSteps,
    allVars: walk.allVars,
    self,
    roots: extraRoot ? new Set([...STEP_ROOTS, extraRoot]) : STEP_ROOTS,
  };
}

function checkStep(step: Record<string, unknown>, path: PathKey[], visible: Visible, walk: Walk): void {
  const id = typeof step.id === 'string' ? step.id : undefined;
  if (id !== undefined) {
    const first = walk.ids.get(id);
    if (first !== undefined) {
      walk.problems.push({
        path: formatPath([...path, 'id']),
        message: `duplicate step id "${id}" (also at ${first})`,
      });
    } else walk.ids.set(id, formatPath(path));
  }
  const ctx = contextOf(visible, walk, id);
  if (typeof step.if === 'string') checkCondition(step.if, [...path, 'if'], ctx, walk.problems);
  const config = isRecord(step.config) ? step.config : undefined;
  if (!config) return;
  const type = typeof step.type === 'string' ? step.type : '';
  const special = SPECIAL_KEYS[type] ?? [];
  for (const [key, value] of Object.entries(config)) {
    if (!special.includes(key)) checkText(value, [...path, 'config', key], ctx, walk);
  }
  if (type === 'branch' && Array.isArray(config.branches)) {
    config.branches.forEach((b, i) => {
      if (isRecord(b) && typeof b.when === 'string') {
        checkCondition(b.when, [...path, 'config', 'branches', i, 'when'], ctx, walk.problems);
      }
    });
  }
  if (type === 'for_each' && typeof config.items === 'string') {
    checkCondition(config.items, [...path, 'config', 'items'], ctx, walk.problems);
  }
  if (type === 'wait_for_event' && typeof config.match === 'string') {
    checkCondition(
      config.match,
      [...path, 'config', 'match'],
      contextOf(visible, walk, id, 'event'),
      walk.problems,
    );
  }
  if (type === 'wait_until' && typeof config.until === 'string') {
    if (config.until.includes('{{'))
      checkTemplate(config.until, [...path, 'config', 'until'], ctx, walk.problems);
    else if (!isIsoWithOffset(config.until.trim())) {
      walk.problems.push({
        path: formatPath([...path, 'config', 'until']),
        message:
          'an ISO date-time with its offset, such as 2026-03-01T09:00:00Z, or a {{ }} expression giving one',
      });
    }
  }
}

/** Walks one lane in order: each step sees the steps and variables before it on its path. */
function checkLane(steps: unknown, path: PathKey[], visible: Visible, walk: Walk, depth = 0): void {
  if (!Array.isArray(steps)) return;
  if (depth > 20) {
    walk.problems.push({ path: formatPath(path), message: 'steps are nested more than 20 levels deep' });
    return;
  }
  steps.slice(0, MAX_LANE_STEPS).forEach((step, i) => {
    if (!isRecord(step)) return;
    const at = [...path, i];
    if (++walk.count === MAX_DEFINITION_STEPS + 1) {
      walk.problems.push({
        path: formatPath(at),
        message: `at most ${MAX_DEFINITION_STEPS} steps in one automation`,
      });
    }
    checkStep(step, at, visible, walk);
    checkLoopWaits(step, at, walk);
    const id = typeof step.id === 'string' ? step.id : undefined;
    const config = isRecord(step.config) ? step.config : {};
    for (const lane of lanesOf(step)) {
      const inner = copy(visible);
      if (lane.at[0] === 'on_error' && id !== undefined) inner.steps.add(id); // its error is readable there
      if (step.type === 'for_each' && lane.at[0] === 'config') {
        inner.vars.add(typeof config.as === 'string' ? config.as : 'item');
      }
      checkLane(lane.steps, [...at, ...lane.at], inner, walk, depth + 1);
    }
    // Steps inside lanes may not have run; only the step itself is known to have finished after it.
    if (id !== undefined) visible.steps.add(id);
    if (step.type === 'set_variable' && typeof config.name === 'string') visible.vars.add(config.name);
  });
}

/** Runs the step checks over the whole definition's steps. */
export function checkSteps(steps: unknown, problems: DefinitionProblem[]): void {
  const walk: Walk = { problems, ids: new Map(), allSteps: new Set(), allVars: new Set(), count: 0 };
  collect(steps, walk);
  checkLane(steps, ['steps'], { steps: new Set(), vars: new Set() }, walk);
}
