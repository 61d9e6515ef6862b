import { ExpressionError } from './expression-error';
import { evaluateTemplate, type ExpressionScope } from './expressions';

/**
 * An expression in a step's config that could not be evaluated, with the field it sits in
 * (`config.headers.X-Id`, `config.body.items[2]`): the run's error and the dry run's 400 both name it.
 */
export class ConfigFieldError extends ExpressionError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The config with every string evaluated as a template against the scope: objects and arrays are walked,
 * strings without `{{` are kept as they are (no compile, no cache entry), other values pass through. A whole
 * `{{ expr }}` keeps its value's type. Throws ConfigFieldError naming the field path of the first failure.
 */
export function resolveConfig(config: unknown, scope: ExpressionScope, fieldPrefix = 'config'): unknown {
  return walk(config, scope, fieldPrefix);
}

function walk(value: unknown, scope: ExpressionScope, path: string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    try {
      return evaluateTemplate(value, scope);
    } catch (error) {
      if (error instanceof ConfigFieldError) throw error;
      if (error instanceof ExpressionError) throw new ConfigFieldError(path, error.message);
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, scope, `${path}[${i}]`));
  if (isPlainObject(value)) {
    // Own keys only, into a null-prototype-free plain object; a `__proto__` key stays data.
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: walk(item, scope, `${path}.${key}`),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
