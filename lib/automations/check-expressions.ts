import { ExpressionError } from './expression-error';
import { compileCondition, compileTemplate, SCOPE_ROOTS, type CompiledTemplate } from './expressions';
import { formatPath, type DefinitionProblem, type PathKey } from './problems';

/** Fields of `run` an expression may read. */
const RUN_FIELDS = ['id', 'automation_id', 'team_id', 'version', 'started_at'] as const;

/** What an expression at one place in the definition may refer to. */
export interface ReferenceContext {
  /** Steps that have finished before this point on every path to it. */
  steps: ReadonlySet<string>;
  /** Variables set before this point on every path to it. */
  vars: ReadonlySet<string>;
  /** Every step id and variable name in the definition, to tell "later" from "nowhere". */
  allSteps: ReadonlySet<string>;
  allVars: ReadonlySet<string>;
  /** The step the expression belongs to, if any. */
  self?: string;
  /** Roots besides the usual four (`event` in a wait_for_event match), or only some (a trigger's filter). */
  roots: ReadonlySet<string>;
}

export const STEP_ROOTS: ReadonlySet<string> = new Set(SCOPE_ROOTS);

function referenceProblem(reference: string, ctx: ReferenceContext): string | undefined {
  const [root = '', name] = reference.split('.');
  if (!ctx.roots.has(root)) {
    return `unknown name ${JSON.stringify(root)}: expressions here start with ${[...ctx.roots].join(', ')}`;
  }
  if (name === undefined) return undefined;
  if (root === 'steps' && !ctx.steps.has(name)) {
    if (name === ctx.self) return `step "${name}" refers to its own result (it has none yet)`;
    return ctx.allSteps.has(name)
      ? `step "${name}" does not run before this one (only earlier steps on the same path can be used)`
      : `there is no step "${name}"`;
  }
  if (root === 'vars' && !ctx.vars.has(name)) {
    return ctx.allVars.has(name)
      ? `variable "${name}" is not set before this point on every path (set it earlier, before any branch)`
      : `no set_variable step sets "${name}"`;
  }
  if (root === 'run' && !(RUN_FIELDS as readonly string[]).includes(name)) {
    return `run has no field "${name}"; use one of ${RUN_FIELDS.join(', ')}`;
  }
  return undefined;
}

function report(
  compile: () => CompiledTemplate,
  path: readonly PathKey[],
  ctx: ReferenceContext,
  problems: DefinitionProblem[],
): void {
  let compiled: CompiledTemplate;
  try {
    compiled = compile();
  } catch (error) {
    const message = error instanceof ExpressionError ? error.message : String(error);
    problems.push({ path: formatPath(path), message: `bad expression: ${message}` });
    return;
  }
  const seen = new Set<string>();
  for (const reference of compiled.references) {
    const message = referenceProblem(reference, ctx);
    if (message && !seen.has(message)) {
      seen.add(message);
      problems.push({ path: formatPath(path), message });
    }
  }
}

/** Checks a text field that may hold `{{ }}` expressions. */
export function checkTemplate(
  text: string,
  path: readonly PathKey[],
  ctx: ReferenceContext,
  problems: DefinitionProblem[],
): void {
  if (!text.includes('{{') && !text.includes('}}')) return;
  if (!text.includes('{{')) {
    problems.push({ path: formatPath(path), message: 'bad expression: "}}" without an opening "{{"' });
    return;
  }
  report(() => compileTemplate(text), path, ctx, problems);
}

/** Checks a condition or list expression (bare CEL or in `{{ }}`). */
export function checkCondition(
  text: string,
  path: readonly PathKey[],
  ctx: ReferenceContext,
  problems: DefinitionProblem[],
): void {
  const single = () => {
    const compiled = compileCondition(text);
    if (compiled.kind !== 'expression') {
      throw new ExpressionError('a condition is one expression, not text with several {{ }}');
    }
    return compiled;
  };
  report(single, path, ctx, problems);
}
