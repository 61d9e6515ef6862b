import { compileCel, type CompiledCel } from './cel-engine';
import { startBudget } from './cel-env';
import { ExpressionError } from './expression-error';
import { splitTemplate } from './templates';

/** What expressions read: the trigger's payload, earlier steps' results, variables, and facts about the run. */
export interface ExpressionScope {
  trigger: unknown;
  steps: Record<string, unknown>;
  vars: Record<string, unknown>;
  run: Record<string, unknown>;
}

/** The names an expression may start with. */
export const SCOPE_ROOTS = ['trigger', 'steps', 'vars', 'run'] as const;

/** A compiled template: a plain string, one whole `{{ expr }}` (keeps the value's type), or interpolated text. */
export interface CompiledTemplate {
  kind: 'literal' | 'expression' | 'text';
  /** Dotted paths the template refers to (`steps.draft.output.title`), each once, in order. */
  references: string[];
  evaluate(scope: ExpressionScope): unknown;
}

const CACHE_SIZE = 2_000;
const cache = new Map<string, CompiledTemplate | ExpressionError>();

function remember(key: string, value: CompiledTemplate | ExpressionError) {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** Interpolated values: text as it is, anything else as JSON (null stays visible as null). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function referencesOf(compiled: CompiledCel[]): string[] {
  const all = new Set<string>();
  for (const c of compiled) for (const path of c.paths.values()) all.add(path);
  // Keep the longest paths only: `steps.a.output` is implied by `steps.a.output.title`.
  return [...all].filter((p) => ![...all].some((q) => q !== p && q.startsWith(`${p}.`)));
}

const asRecord = (scope: ExpressionScope): Record<string, unknown> =>
  scope as unknown as Record<string, unknown>;

function build(template: string): CompiledTemplate {
  const split = splitTemplate(template);
  // Blank text around a single `{{ expr }}` does not turn the value into text.
  const single =
    split.filter((p) => 'expression' in p).length === 1 &&
    split.every((p) => 'expression' in p || p.text.trim() === '');
  const parts = single ? split.filter((p) => 'expression' in p) : split;
  const compiled = parts.map((part) => ('expression' in part ? compileCel(part.expression) : undefined));
  const references = referencesOf(compiled.filter((c): c is CompiledCel => c !== undefined));
  const only = compiled[0];
  if (parts.length === 1 && only) {
    const source = (parts[0] as { expression: string }).expression;
    return { kind: 'expression', references, evaluate: (scope) => only.run(asRecord(scope), source) };
  }
  if (compiled.every((c) => c === undefined))
    return { kind: 'literal', references, evaluate: () => template };
  return {
    kind: 'text',
    references,
    evaluate(scope) {
      const bound = asRecord(scope);
      // One budget for the whole text: 50 expressions in one field may not do 50 times the work of one.
      startBudget();
      return parts
        .map((part, i) =>
          'expression' in part ? asText(compiled[i]!.run(bound, part.expression, true)) : part.text,
        )
        .join('');
    },
  };
}

/** Compiles (and caches) a template; throws ExpressionError for bad syntax or an expression over the limits. */
export function compileTemplate(template: string): CompiledTemplate {
  const cached = cache.get(template) ?? remember(template, tryBuild(template));
  if (cached instanceof ExpressionError) throw cached;
  return cached;
}

function tryBuild(template: string): CompiledTemplate | ExpressionError {
  try {
    return build(template);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    return new ExpressionError(error instanceof Error ? error.message : String(error));
  }
}

/** Evaluates a template against a scope; throws ExpressionError naming a missing path or the problem. */
export function evaluateTemplate(template: string, scope: ExpressionScope): unknown {
  return compileTemplate(template).evaluate(scope);
}

/**
 * A condition (`if`, a branch's `when`, a filter, a match): a CEL expression, bare or in `{{ }}`, that must give
 * true or false.
 */
export function compileCondition(condition: string): CompiledTemplate {
  const trimmed = condition.trim();
  return compileTemplate(trimmed.startsWith('{{') ? trimmed : `{{ ${trimmed} }}`);
}

export function evaluateCondition(condition: string, scope: ExpressionScope): boolean {
  const value = compileCondition(condition).evaluate(scope);
  if (typeof value !== 'boolean') {
    throw new ExpressionError(
      `the condition ${condition.trim()} gave ${JSON.stringify(value)}, not true or false`,
    );
  }
  return value;
}
