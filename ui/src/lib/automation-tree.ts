/**
 * The definition as a tree of lanes (lists of steps) for the builder: read and write by the API's paths
 * (`steps[1].config.branches[0].steps[0]`), insert, move, duplicate with fresh ids and delete. The functions
 * change the definition in place (the editor holds it in one `$state`, so every change is seen) and return
 * what they made.
 */
import type { AutomationDefinition, Step, StepPath, StepType } from '$lib/automations';

/** Where a list of steps sits: `steps`, `steps[1].config.otherwise`, `steps[0].on_error`. */
export type LanePath = string;

type Segment = string | number;

/** `steps[1].config.branches[0].steps` -> ['steps', 1, 'config', 'branches', 0, 'steps']. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function getAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function setAt(root: unknown, path: string, value: unknown): void {
  const segs = parsePath(path);
  if (segs.length === 0) throw new Error('cannot set the root');
  const last = segs.pop() as Segment;
  let cur = root as Record<string | number, unknown>;
  segs.forEach((seg, i) => {
    let next = cur[seg];
    if (next === null || typeof next !== 'object') {
      next = typeof (segs[i + 1] ?? last) === 'number' ? [] : {};
      cur[seg] = next;
    }
    cur = next as Record<string | number, unknown>;
  });
  cur[last] = value;
}

/** The steps of a lane; a lane not written yet (an `otherwise` left out) is created empty when asked to. */
export function laneAt(def: AutomationDefinition, lane: LanePath, create = false): Step[] {
  const found = getAt(def, lane);
  if (Array.isArray(found)) return found as Step[];
  const empty: Step[] = [];
  if (create) setAt(def, lane, empty);
  return create ? (getAt(def, lane) as Step[]) : empty;
}

export function stepAt(def: AutomationDefinition, path: StepPath): Step | undefined {
  const found = getAt(def, path);
  return found && typeof found === 'object' && !Array.isArray(found) ? (found as Step) : undefined;
}

/** `steps[1].config.otherwise[2]` -> { lane: 'steps[1].config.otherwise', index: 2 }. */
export function splitStepPath(path: StepPath): { lane: LanePath; index: number } {
  const m = /^(.*)\[(\d+)\]$/.exec(path);
  if (!m) throw new Error(`not a step path: ${path}`);
  return { lane: m[1] ?? '', index: Number(m[2]) };
}

export function stepPathOf(lane: LanePath, index: number): StepPath {
  return `${lane}[${index}]`;
}

/** A lane held by a step, with what the flow calls it. */
export interface ChildLane {
  path: LanePath;
  label: string;
  /** A branch path's condition. */
  when?: string;
  kind: 'branch' | 'otherwise' | 'each' | 'timeout' | 'error';
}

/**
 * The lanes inside a step, in the order the flow draws them: a branch's paths and "Otherwise", a for_each's
 * steps, a wait_for_event's timeout lane, and any step's `on_error` lane (only when it has one, or `withEmpty`).
 */
export function childLanes(step: Step, path: StepPath, withEmpty = false): ChildLane[] {
  const lanes: ChildLane[] = [];
  if (step.type === 'branch') {
    step.config.branches.forEach((b, i) =>
      lanes.push({
        path: `${path}.config.branches[${i}].steps`,
        label: `Path ${i + 1}`,
        when: typeof b.when === 'string' ? b.when : '',
        kind: 'branch',
      }),
    );
    lanes.push({ path: `${path}.config.otherwise`, label: 'Otherwise', kind: 'otherwise' });
  } else if (step.type === 'for_each') {
    lanes.push({ path: `${path}.config.steps`, label: 'For each item', kind: 'each' });
  } else if (step.type === 'wait_for_event') {
    lanes.push({
      path: `${path}.config.on_timeout`,
      label: 'If it does not happen in time',
      kind: 'timeout',
    });
  }
  if (withEmpty || (step.on_error && step.on_error.length > 0)) {
    lanes.push({ path: `${path}.on_error`, label: 'If this step fails', kind: 'error' });
  }
  return lanes;
}

/** Every step with its path, depth first in the order they appear. */
export function walkSteps(def: AutomationDefinition): { step: Step; path: StepPath }[] {
  const out: { step: Step; path: StepPath }[] = [];
  const visit = (lane: Step[], lanePath: LanePath) => {
    lane.forEach((step, i) => {
      const path = stepPathOf(lanePath, i);
      out.push({ step, path });
      for (const child of childLanes(step, path, true)) visit(laneAt(def, child.path), child.path);
    });
  };
  visit(def.steps ?? [], 'steps');
  return out;
}

/** Every step inside a step (its lanes, nested), not the step itself. */
export function nestedSteps(step: Step): Step[] {
  const out: Step[] = [];
  const visit = (s: Step) => {
    for (const child of childLanes(s, 'self', true)) {
      const lane = getAt({ self: s }, child.path);
      if (!Array.isArray(lane)) continue;
      for (const inner of lane as Step[]) {
        out.push(inner);
        visit(inner);
      }
    }
  };
  visit(step);
  return out;
}

export function allIds(def: AutomationDefinition): Set<string> {
  return new Set(walkSteps(def).map((s) => s.step.id));
}

/** `send_email`, `send_email_2`, `send_email_3`… the first free one. */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^[^a-z]+/, '')
      .replace(/_\d+$/, '')
      .slice(0, 50) || 'step';
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) {
    const id = `${clean}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function insertStep(def: AutomationDefinition, lane: LanePath, index: number, step: Step): StepPath {
  const list = laneAt(def, lane, true);
  const at = Math.max(0, Math.min(index, list.length));
  list.splice(at, 0, step);
  return stepPathOf(lane, at);
}

/** Moves a step within its lane; returns its new path (the same path when it cannot move that way). */
export function moveStep(def: AutomationDefinition, path: StepPath, to: number): StepPath {
  const { lane, index } = splitStepPath(path);
  const list = laneAt(def, lane);
  if (to < 0 || to >= list.length || to === index) return path;
  const [step] = list.splice(index, 1);
  if (step) list.splice(to, 0, step);
  return stepPathOf(lane, to);
}

export function removeStep(def: AutomationDefinition, path: StepPath): Step | undefined {
  const { lane, index } = splitStepPath(path);
  const list = laneAt(def, lane);
  return list.splice(index, 1)[0];
}

function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A copy of the step right after it, the copy and every step inside it with fresh ids. */
export function duplicateStep(def: AutomationDefinition, path: StepPath): StepPath {
  const original = stepAt(def, path);
  if (!original) return path;
  const copy = plainCopy(original);
  const taken = allIds(def);
  for (const s of [copy, ...nestedSteps(copy)]) {
    s.id = uniqueId(s.id, taken);
    taken.add(s.id);
  }
  copy.name = `${copy.name} (copy)`.slice(0, 200);
  const { lane, index } = splitStepPath(path);
  return insertStep(def, lane, index + 1, copy);
}

/** Settings a new step of each type starts with: valid where a sensible value exists, blanks to fill in. */
const starterConfigs: Record<StepType, () => Record<string, unknown>> = {
  send_email: () => ({ to: '{{ trigger.email }}', subject: '', body: '' }),
  add_to_sequence: () => ({ sequence_id: '', contact: '{{ trigger.email }}' }),
  remove_from_sequence: () => ({ sequence_id: '', contact: '{{ trigger.email }}' }),
  tag_contact: () => ({ contact: '{{ trigger.email }}', add: [], remove: [] }),
  deliver_bonus: () => ({
    receipt: '{{ trigger.receipt }}',
    item_no: '{{ trigger.line_items[0].item_no }}',
    email: '{{ trigger.customer.email }}',
  }),
  generate_content: () => ({ campaign_id: '', type: 'review_article' }),
  publish_wordpress: () => ({ content_id: '' }),
  http_request: () => ({ method: 'POST', url: 'https://' }),
  set_variable: () => ({ name: 'value', value: '' }),
  branch: () => ({ branches: [{ when: '', steps: [] }], otherwise: [] }),
  for_each: () => ({ items: '', as: 'item', steps: [] }),
  wait: () => ({ duration: '1d' }),
  wait_until: () => ({ until: '' }),
  wait_for_event: () => ({ event: 'contact.tagged', timeout: '7d', on_timeout: [] }),
  wait_for_approval: () => ({ approvers: { roles: ['owner', 'admin'], user_ids: [] }, timeout: '7d' }),
};

/** Names in words for new steps (the palette's label is a verb phrase, a fine first name). */
export function newStep(type: StepType, label: string, taken: Set<string>): Step {
  return { id: uniqueId(type, taken), name: label, type, config: starterConfigs[type]() } as Step;
}

/** A blank automation's definition. */
export function blankDefinition(): AutomationDefinition {
  return { version: 1, trigger: { type: 'manual' }, steps: [] } as unknown as AutomationDefinition;
}
