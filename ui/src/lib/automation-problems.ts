/**
 * The API's validation problems (`details[].path` under `definition.`) sorted for the builder: onto the step they
 * belong to (by its path in the tree) and the field within it, onto the trigger, or into a list of problems that
 * belong to no step (`steps`: "add at least one step").
 */
import type { FieldProblem, StepPath } from '$lib/automations';

export interface ApiProblem {
  path: string;
  message: string;
}

interface GeneralProblem {
  /** Where it is, relative to the definition (`steps`, `version`), '' for the whole definition. */
  path: string;
  message: string;
}

export interface SortedProblems {
  byStep: Record<StepPath, FieldProblem[]>;
  trigger: FieldProblem[];
  general: GeneralProblem[];
  count: number;
}

/** A step, then any number of steps in its lanes: branches, otherwise, for_each steps, on_timeout, on_error. */
const STEP_PATH =
  /^(steps\[\d+\](?:\.(?:config\.branches\[\d+\]\.steps|config\.otherwise|config\.steps|config\.on_timeout|on_error)\[\d+\])*)(?:\.(.+))?$/;

/** Where one problem belongs. */
export function locateProblem(
  rawPath: string,
):
  | { kind: 'step'; step: StepPath; field: string }
  | { kind: 'trigger'; field: string }
  | { kind: 'general'; path: string } {
  const path = rawPath.replace(/^definition(\.|$)/, '');
  const m = STEP_PATH.exec(path);
  if (m?.[1]) return { kind: 'step', step: m[1], field: m[2] ?? '' };
  if (path === 'trigger' || path.startsWith('trigger.')) {
    return { kind: 'trigger', field: path.slice('trigger.'.length) };
  }
  return { kind: 'general', path };
}

/**
 * The checks' wording is for API users ("a {{ }} expression"); the builder says what to do with its own buttons.
 */
const builderWords: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^an email address or a \{\{ \}\} expression giving one$/,
    () => 'enter an email address with an @, like ann@example.com, or use Insert a value',
  ],
  [/^a (\w+) id or a \{\{ \}\} expression giving one$/, (m) => `choose a ${m[1]}, or use Insert a value`],
  [/^add at least one step$/, () => 'add a first step with the + button'],
];

/** Messages start in lower case in the API ("enter a subject"); on screen a sentence starts with a capital. */
function sentence(message: string): string {
  for (const [pattern, words] of builderWords) {
    const m = pattern.exec(message);
    if (m) {
      message = words(m);
      break;
    }
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function sortProblems(details: readonly ApiProblem[]): SortedProblems {
  const out: SortedProblems = { byStep: {}, trigger: [], general: [], count: 0 };
  for (const d of details) {
    const where = locateProblem(d.path);
    const message = sentence(d.message);
    out.count++;
    if (where.kind === 'step') (out.byStep[where.step] ??= []).push({ field: where.field, message });
    else if (where.kind === 'trigger') out.trigger.push({ field: where.field, message });
    else out.general.push({ path: where.path, message });
  }
  return out;
}

export const noProblems: SortedProblems = { byStep: {}, trigger: [], general: [], count: 0 };

/** Problems of a step's own fields and of steps nested in it, so a collapsed group still shows it needs fixing. */
export function problemsWithin(sorted: SortedProblems, step: StepPath): number {
  let n = 0;
  for (const [path, list] of Object.entries(sorted.byStep)) {
    if (path === step || path.startsWith(`${step}.`)) n += list.length;
  }
  return n;
}

/** Problems of the steps in a lane (shown on its step's card while the lane is folded). */
export function problemsInLane(sorted: SortedProblems, lane: string): number {
  let n = 0;
  for (const [path, list] of Object.entries(sorted.byStep)) if (path.startsWith(`${lane}[`)) n += list.length;
  return n;
}

/** A field path in words for the problem list: `config.to` -> "to". */
export function fieldWords(field: string): string {
  return field
    .replace(/^config\./, '')
    .replace(/\[(\d+)\]/g, (_m, i: string) => ` ${Number(i) + 1}`)
    .replace(/[._]/g, ' ')
    .trim();
}
