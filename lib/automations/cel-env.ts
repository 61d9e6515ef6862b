import {
  CelScalar,
  celEnv,
  celFunc,
  isCelList,
  isCelMap,
  listType,
  type CelList,
  type CelValue,
} from '@bufbuild/cel';
import { appendLists } from './cel-lists';
import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';

/**
 * The CEL environment with a work budget. CEL always terminates, but over large data a short expression can still
 * do a lot (`items.filter(x, x in items)`), so every function call is charged the size of what it reads, every
 * macro iteration one step (macro ranges pass through METER), and concatenation the size of what it builds.
 * Evaluation is synchronous, so one budget serves the evaluation in progress.
 */
const budget = { steps: 0, chars: 0, scanned: 0, exceeded: undefined as string | undefined };

function fail(message: string): never {
  budget.exceeded ??= message; // sticky: CEL's `||` and `&&` may absorb the error, the run must not
  throw new ExpressionError(message);
}

function spend(steps: number, chars = 0, scanned = 0): void {
  budget.steps -= steps;
  budget.chars -= chars;
  budget.scanned -= scanned;
  if (budget.steps < 0) fail('the expression does too much work (iteration limit)');
  if (budget.chars < 0) fail('the expression builds too much text or too long a list');
  if (budget.scanned < 0) fail('the expression reads too much data (scan limit)');
}

/** Starts the budget of one evaluation. */
export function startBudget(): void {
  budget.steps = EXPRESSION_LIMITS.maxSteps;
  budget.chars = EXPRESSION_LIMITS.maxChars;
  budget.scanned = EXPRESSION_LIMITS.maxScanned;
  budget.exceeded = undefined;
}

/** Why the evaluation just finished went over its budget, if it did. */
export const budgetExceeded = (): string | undefined => budget.exceeded;

/** The size a function call reads: characters of text and bytes, items of lists and maps (top level). */
function sizeOf(value: unknown): number {
  if (typeof value === 'string' || value instanceof Uint8Array) return value.length;
  if (isCelList(value) || isCelMap(value)) return value.size;
  return 0;
}

function arithmetic(op: '_+_' | '_-_' | '_*_' | '_/_', l: number, r: number): number {
  if (op === '_+_') return l + r;
  if (op === '_-_') return l - r;
  return op === '_*_' ? l * r : l / r;
}

/** The function every macro's range is wrapped in (see cel-engine's walk). */
export const METER = 'hopflow.meter';
const LIST = listType(CelScalar.DYN);

// Same ids as the standard overloads, so these replace them.
const base = celEnv({
  funcs: [
    celFunc('_+_', [CelScalar.STRING, CelScalar.STRING], CelScalar.STRING, (l, r) => {
      spend(0, l.length + r.length);
      return l + r;
    }),
    celFunc('_+_', [LIST, LIST], LIST, (l: CelList, r: CelList) => {
      spend(0, r.size); // the left side was counted when it was built
      return appendLists(l, r);
    }),
    // JSON numbers are doubles in CEL; a builder writes `trigger.amount * 2`, so int and double mix here.
    ...(['_+_', '_-_', '_*_', '_/_'] as const).flatMap((op) => [
      celFunc(op, [CelScalar.DOUBLE, CelScalar.INT], CelScalar.DOUBLE, (l, r) =>
        arithmetic(op, l, Number(r)),
      ),
      celFunc(op, [CelScalar.INT, CelScalar.DOUBLE], CelScalar.DOUBLE, (l, r) =>
        arithmetic(op, Number(l), r),
      ),
    ]),
    celFunc(METER, [CelScalar.DYN], CelScalar.DYN, (range: CelValue) => {
      spend(Math.max(sizeOf(range), 1));
      return range;
    }),
  ],
});

/** Functions that charge their own work: `+` the size it builds (not the accumulator a macro passes in). */
const SELF_METERED = new Set(['_+_', METER]);

type Resolver = typeof base.funcs;
type Group = NonNullable<ReturnType<Resolver['find']>>;

const metered = new Map<string, Group | undefined>();

/** Each function group, charged before it runs: one step plus the size of its target and arguments. */
function find(name: string): Group | undefined {
  if (metered.has(name)) return metered.get(name);
  const group = base.funcs.find(name);
  const wrapped =
    group &&
    (Object.create(group, {
      call: {
        value: (id: number, target: CelValue | undefined, args: CelValue[]) => {
          const reads = SELF_METERED.has(name)
            ? 0
            : args.reduce<number>((n, arg) => n + sizeOf(arg), sizeOf(target));
          spend(1, 0, reads);
          return group.call(id, target, args);
        },
      },
    }) as Group);
  metered.set(name, wrapped);
  return wrapped;
}

export const env: typeof base = Object.create(base, {
  funcs: { value: Object.create(base.funcs, { find: { value: find } }) as Resolver },
}) as typeof base;
