/**
 * What changed between two versions of an automation, in words ("Step ‘Welcome email’: subject changed from …
 * to …", "Step ‘Wait 2 days’ added", "Trigger changed"). Steps are matched by id wherever they sit (lanes of
 * branches, repeats, error handlers), so a moved step reads as moved, not as removed and added; the changes of
 * one step, of the trigger and of the settings come from jsondiffpatch. Pure: the versions page and the unit
 * test share it.
 */
import { create, type Delta } from 'jsondiffpatch';
import { stepLabel, triggerWords, type TriggerType } from './automation-words';

type ChangeKind = 'added' | 'removed' | 'changed' | 'moved' | 'trigger' | 'settings';

export interface Change {
  kind: ChangeKind;
  /** The step's id, for step changes. */
  stepId?: string;
  text: string;
}

type Json = Record<string, unknown>;

interface FlatStep {
  id: string;
  name: string;
  /** The step without its lanes (nested steps are compared on their own). */
  own: Json;
  /** Which list the step sits in: `top`, `<parent id>.branches[0]`, `<parent id>.otherwise`, … */
  lane: string;
  index: number;
}

const differ = create({
  // Steps are matched by id; items without one (a branch, a header) are the same item at the same place.
  objectHash: (item, index) =>
    isRecord(item) && typeof item.id === 'string' ? `id:${item.id}` : `at:${index}`,
});

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stepsOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Every step of a definition, depth first, keyed by id. */
function flatten(definition: unknown): Map<string, FlatStep> {
  const out = new Map<string, FlatStep>();
  const walk = (steps: Json[], lane: string) => {
    steps.forEach((step, index) => {
      const id = typeof step.id === 'string' ? step.id : `${lane}[${index}]`;
      const config = isRecord(step.config) ? { ...step.config } : step.config;
      const lanes: [string, Json[]][] = [];
      if (isRecord(config)) {
        if (Array.isArray(config.branches)) {
          const branches = config.branches.filter(isRecord);
          branches.forEach((b, i) => lanes.push([`${id}.branches[${i}]`, stepsOf(b.steps)]));
          config.branches = branches.map((b) => {
            const { steps: _steps, ...rest } = b;
            return rest;
          });
        }
        for (const key of ['otherwise', 'steps', 'on_timeout']) {
          if (Array.isArray(config[key])) {
            lanes.push([`${id}.${key}`, stepsOf(config[key])]);
            delete config[key];
          }
        }
      }
      const { on_error: onError, ...rest } = step;
      if (Array.isArray(onError)) lanes.push([`${id}.on_error`, stepsOf(onError)]);
      out.set(id, {
        id,
        name: typeof step.name === 'string' && step.name ? step.name : stepLabel(String(step.type)),
        own: { ...rest, config },
        lane,
        index,
      });
      for (const [name, children] of lanes) walk(children, name);
    });
  };
  walk(stepsOf(isRecord(definition) ? definition.steps : undefined), 'top');
  return out;
}

/** A value as a person reads it in a sentence: text in quotes (cut when long), lists joined. */
export function valueWords(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'nothing';
  if (typeof value === 'string') return `“${value.length > 60 ? `${value.slice(0, 57)}…` : value}”`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return value.length ? value.map(valueWords).join(', ') : 'nothing';
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** `config.retry.max_attempts` -> "max attempts"; `config.branches[0].when` -> "branch 1 condition". */
function fieldWords(path: (string | number)[]): string {
  const parts = path[0] === 'config' ? path.slice(1) : path;
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === 'branches' && typeof parts[i + 1] === 'number') {
      words.push(`branch ${(parts[i + 1] as number) + 1}`);
      i++;
    } else if (part === 'when') words.push('condition');
    else if (part === 'if') words.push('condition (only if)');
    else if (typeof part === 'number') words.push(`item ${part + 1}`);
    else words.push(part.replace(/_/g, ' '));
  }
  return words.join(' ') || 'value';
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** One sentence per changed leaf of a jsondiffpatch delta (lists of plain values read as a whole). */
function leafChanges(
  delta: Delta,
  before: unknown,
  after: unknown,
  path: (string | number)[] = [],
): string[] {
  if (delta === undefined) return [];
  const field = fieldWords(path);
  if (Array.isArray(delta) && delta.length === 2 && path.length === 1 && path[0] === 'type') {
    return [`kind changed from “${stepLabel(String(delta[0]))}” to “${stepLabel(String(delta[1]))}”`];
  }
  if (Array.isArray(delta)) {
    if (delta.length === 1) return [`${field} set to ${valueWords(delta[0])}`];
    if (delta.length === 2)
      return [`${field} changed from ${valueWords(delta[0])} to ${valueWords(delta[1])}`];
    if (delta[2] === 0) return [`${field} removed (was ${valueWords(delta[0])})`];
    return [`${field} changed`];
  }
  if (delta._t === 'a') {
    const was = valueAt(before, path);
    const now = valueAt(after, path);
    const plain = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);
    if (plain(was) && plain(now)) return [`${field} changed from ${valueWords(was)} to ${valueWords(now)}`];
    const out: string[] = [];
    for (const [key, sub] of Object.entries(delta)) {
      if (key === '_t') continue;
      const index = Number(key.replace(/^_/, ''));
      if (key.startsWith('_')) {
        const d = sub as unknown[];
        out.push(
          d[2] === 3 ? `${fieldWords([...path, index])} moved` : `${fieldWords([...path, index])} removed`,
        );
      } else out.push(...leafChanges(sub as Delta, before, after, [...path, index]));
    }
    return out;
  }
  return Object.entries(delta).flatMap(([key, sub]) =>
    leafChanges(sub as Delta, before, after, [...path, key]),
  );
}

function triggerName(trigger: unknown): string {
  const type = isRecord(trigger) ? String(trigger.type) : '';
  return (triggerWords as Record<string, string>)[type as TriggerType]?.toLowerCase() ?? type;
}

/** The changes from `before` to `after`, trigger first, then the steps in the order of `after`. */
export function summarizeChanges(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};

  const triggerDelta = differ.diff(a.trigger ?? null, b.trigger ?? null);
  if (triggerDelta) {
    const typeChanged = isRecord(a.trigger) && isRecord(b.trigger) && a.trigger.type !== b.trigger.type;
    changes.push({
      kind: 'trigger',
      text: typeChanged
        ? `Trigger changed from “${triggerName(a.trigger)}” to “${triggerName(b.trigger)}”`
        : `Trigger changed: ${leafChanges(triggerDelta, a.trigger, b.trigger).join('; ')}`,
    });
  }

  const settings = (d: Json) => {
    const { trigger: _t, steps: _s, version: _v, ...rest } = d;
    return rest;
  };
  const settingsDelta = differ.diff(settings(a), settings(b));
  if (settingsDelta) {
    changes.push({
      kind: 'settings',
      text: `Settings changed: ${leafChanges(settingsDelta, settings(a), settings(b)).join('; ')}`,
    });
  }

  const was = flatten(a);
  const now = flatten(b);
  // Position among the steps both versions share, per list: a step whose neighbours were added or removed
  // has not moved.
  const sharedOrder = (steps: Map<string, FlatStep>, other: Map<string, FlatStep>) => {
    const byLane = new Map<string, string[]>();
    for (const s of steps.values()) {
      if (!other.has(s.id)) continue;
      byLane.set(s.lane, [...(byLane.get(s.lane) ?? []), s.id]);
    }
    const order = new Map<string, number>();
    for (const ids of byLane.values()) ids.forEach((id, i) => order.set(id, i));
    return order;
  };
  const wasOrder = sharedOrder(was, now);
  const nowOrder = sharedOrder(now, was);

  for (const step of now.values()) {
    const old = was.get(step.id);
    const label = `Step ‘${step.name}’`;
    if (!old) {
      changes.push({ kind: 'added', stepId: step.id, text: `${label} added` });
      continue;
    }
    if (old.lane !== step.lane || wasOrder.get(step.id) !== nowOrder.get(step.id)) {
      changes.push({ kind: 'moved', stepId: step.id, text: `${label} moved` });
    }
    const delta = differ.diff(old.own, step.own);
    if (!delta) continue;
    const { name: nameDelta, ...others } = delta as Record<string, Delta>;
    const parts: string[] = [];
    if (nameDelta) parts.push(`renamed from ‘${old.name}’`);
    if (Object.keys(others).length) parts.push(...leafChanges(others as Delta, old.own, step.own));
    if (parts.length)
      changes.push({ kind: 'changed', stepId: step.id, text: `${label}: ${parts.join('; ')}` });
  }
  for (const step of was.values()) {
    if (!now.has(step.id))
      changes.push({ kind: 'removed', stepId: step.id, text: `Step ‘${step.name}’ removed` });
  }
  return changes;
}
