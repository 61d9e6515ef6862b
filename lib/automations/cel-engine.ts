import { isCelError, parse, plan } from '@bufbuild/cel';
import { budgetExceeded, env, METER, startBudget } from './cel-env';
import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';
import { fromCelValue, toCelScope } from './expression-values';

/**
 * CEL (Common Expression Language) through @bufbuild/cel: no loops, no assignment, no host objects, RE2 regular
 * expressions (linear time). What CEL leaves open we bound: the text and nesting here, the work in cel-env.ts.
 */
type CelExpr = ReturnType<typeof parse>['expr'];
type Evaluator = ReturnType<typeof plan>;

/** A compiled expression: run it against a scope, or read the paths it refers to. */
export interface CompiledCel {
  /** `sharedBudget`: go on spending the budget started by the caller (the other expressions of one text). */
  run(scope: Record<string, unknown>, source: string, sharedBudget?: boolean): unknown;
  /** Dotted paths of the expression's free references (`steps.draft.output.title`), by expression id. */
  paths: Map<bigint, string>;
  /** Free root names the expression uses (`trigger`, `steps`, ...), macro variables excluded. */
  roots: Set<string>;
}

/** Bracket depth outside string literals: deep nesting would overflow the parser's stack. */
function bracketDepth(source: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return max;
}

interface Walk {
  nodes: number;
  paths: Map<bigint, string>;
  roots: Set<string>;
}

/** The dotted path of a select chain (`a.b["c"]` -> a.b.c), or undefined when it is not a plain path. */
function pathOf(expr: CelExpr | undefined, locals: Set<string>): string | undefined {
  if (!expr) return undefined;
  const kind = expr.exprKind;
  if (kind.case === 'identExpr') return locals.has(kind.value.name) ? undefined : kind.value.name;
  if (kind.case === 'selectExpr' && !kind.value.testOnly) {
    const base = pathOf(kind.value.operand, locals);
    return base === undefined ? undefined : `${base}.${kind.value.field}`;
  }
  if (kind.case === 'callExpr' && kind.value.function === '_[_]' && kind.value.args.length === 2) {
    const key = kind.value.args[1]?.exprKind;
    const base = pathOf(kind.value.args[0], locals);
    if (base !== undefined && key?.case === 'constExpr' && key.value.constantKind.case === 'stringValue') {
      return `${base}.${key.value.constantKind.value}`;
    }
  }
  return undefined;
}

/** Checks the tree's size and macro nesting, records paths, and routes every macro's range through METER. */
function walk(expr: CelExpr | undefined, w: Walk, locals: Set<string>, depth: number, loops: number): void {
  if (!expr) return;
  if (++w.nodes > EXPRESSION_LIMITS.maxNodes) throw new ExpressionError('the expression is too long');
  if (depth > EXPRESSION_LIMITS.maxDepth) throw new ExpressionError('the expression is nested too deeply');
  const path = pathOf(expr, locals);
  if (path !== undefined) {
    w.paths.set(expr.id, path);
    w.roots.add(path.split('.')[0] ?? path);
  }
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'selectExpr':
      return walk(kind.value.operand, w, locals, depth + 1, loops);
    case 'callExpr':
      walk(kind.value.target, w, locals, depth + 1, loops);
      for (const arg of kind.value.args) walk(arg, w, locals, depth + 1, loops);
      return;
    case 'listExpr':
      for (const el of kind.value.elements) walk(el, w, locals, depth + 1, loops);
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') walk(entry.keyKind.value, w, locals, depth + 1, loops);
        walk(entry.value, w, locals, depth + 1, loops);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      if (loops >= EXPRESSION_LIMITS.maxMacroNesting) {
        throw new ExpressionError(
          `macros (map, filter, all, exists) may be nested at most ${EXPRESSION_LIMITS.maxMacroNesting} deep`,
        );
      }
      walk(c.iterRange, w, locals, depth + 1, loops);
      const inner = new Set([...locals, c.iterVar, c.iterVar2, c.accuVar].filter(Boolean));
      walk(c.accuInit, w, inner, depth + 1, loops + 1);
      walk(c.loopCondition, w, inner, depth + 1, loops + 1);
      walk(c.loopStep, w, inner, depth + 1, loops + 1);
      walk(c.result, w, inner, depth + 1, loops + 1);
      if (c.iterRange) {
        const range = c.iterRange;
        c.iterRange = {
          ...range,
          id: range.id + 1_000_000n,
          exprKind: { case: 'callExpr', value: { ...callShape, function: METER, args: [range] } },
        };
      }
      return;
    }
    default:
      return;
  }
}

const callShape = { $typeName: 'cel.expr.Expr.Call' as const, target: undefined };

/** Parses and plans one expression (no `{{ }}`); throws ExpressionError for bad syntax or a too large expression. */
export function compileCel(source: string): CompiledCel {
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    throw new ExpressionError(`the expression is longer than ${EXPRESSION_LIMITS.maxLength} characters`);
  }
  if (bracketDepth(source) > EXPRESSION_LIMITS.maxDepth) {
    throw new ExpressionError('the expression is nested too deeply');
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ExpressionError(`syntax error: ${message}`);
  }
  const w: Walk = { nodes: 0, paths: new Map(), roots: new Set() };
  walk(parsed.expr, w, new Set(), 0, 0);
  let evaluate: Evaluator;
  try {
    evaluate = plan(env, parsed.expr);
  } catch (error) {
    throw new ExpressionError(`cannot compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    paths: w.paths,
    roots: w.roots,
    run(scope, text, sharedBudget = false) {
      if (!sharedBudget) startBudget();
      let result: unknown;
      try {
        result = evaluate(toCelScope(scope, w.roots));
      } catch (error) {
        if (error instanceof ExpressionError) throw error;
        if (error instanceof RangeError)
          throw new ExpressionError('the expression is too complex to evaluate');
        throw new ExpressionError(error instanceof Error ? error.message : String(error));
      }
      const exceeded = budgetExceeded();
      if (exceeded) throw new ExpressionError(`${exceeded} (in ${text})`);
      if (isCelError(result)) throw explain(result, w.paths, text);
      return fromCelValue(result);
    },
  };
}

/** A CEL error in the platform's words; a missing field names the whole path (`steps.draft.output.titel`). */
function explain(
  error: { message: string; exprId: bigint | undefined },
  paths: Map<bigint, string>,
  text: string,
) {
  const missing = /^(?:field not found|no such key): (.*)$/.exec(error.message);
  const path = error.exprId === undefined ? undefined : paths.get(error.exprId);
  if (error.message === 'unresolved attribute' && path) return new ExpressionError(`${path} is not defined`);
  if (missing && path) {
    const field = missing[1] ?? '';
    const parts = path.split('.');
    const at = parts.indexOf(field, 1);
    return new ExpressionError(`${(at > 0 ? parts.slice(0, at + 1) : parts).join('.')} is not defined`);
  }
  if (missing) return new ExpressionError(`${missing[1]} is not defined (in ${text})`);
  return new ExpressionError(`${error.message} (in ${text})`);
}
