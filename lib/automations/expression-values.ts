import { isCelList, isCelMap, isCelUint, type CelInput } from '@bufbuild/cel';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';

/**
 * Between JSON-like data and CEL values. The scope is copied into Maps and arrays of plain values, so an
 * expression sees data only: no prototypes, getters, functions or class instances, and at most a bounded amount.
 */
interface Count {
  values: number;
  chars: number;
}

function count(c: Count, chars = 0): void {
  c.values += 1;
  c.chars += chars;
  if (c.values > EXPRESSION_LIMITS.maxValues || c.chars > EXPRESSION_LIMITS.maxScopeChars) {
    throw new ExpressionError('the data is too large for an expression');
  }
}

function toCel(value: unknown, c: Count): CelInput | undefined {
  count(c, typeof value === 'string' ? value.length : 0);
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Array.isArray(value)) return value.map((item) => toCel(item, c) ?? null);
      const map = new Map<string, CelInput>();
      for (const key of Object.keys(value)) {
        const item = toCel((value as Record<string, unknown>)[key], c);
        if (item !== undefined) map.set(key, item);
      }
      return map;
    }
    default:
      return undefined; // functions, symbols, undefined: not data
  }
}

/** The roots of the scope an expression uses, as CEL input (copied per evaluation: scopes change as a run goes). */
export function toCelScope(
  scope: Record<string, unknown>,
  roots: Iterable<string>,
): Record<string, CelInput> {
  const c: Count = { values: 0, chars: 0 };
  const converted: Record<string, CelInput> = {};
  for (const key of roots) {
    if (Object.prototype.hasOwnProperty.call(scope, key)) converted[key] = toCel(scope[key], c) ?? null;
  }
  return converted;
}

function timestampIso(seconds: bigint, nanos: number): string {
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

function fromCel(value: unknown, c: Count): unknown {
  count(c, typeof value === 'string' ? value.length : 0);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ExpressionError(`the number ${value} is too large`);
    }
    return Number(value);
  }
  if (isCelUint(value)) return fromCel(value.value, c);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isCelList(value)) return Array.from(value, (item) => fromCel(item, c));
  if (isCelMap(value)) {
    const entries: [string, unknown][] = [];
    for (const [key, item] of value)
      entries.push([String(isCelUint(key) ? key.value : key), fromCel(item, c)]);
    return Object.fromEntries(entries);
  }
  if (isReflectMessage(value)) {
    const message = value.message as { $typeName: string; seconds?: bigint; nanos?: number };
    if (message.$typeName === 'google.protobuf.Timestamp') {
      return timestampIso(message.seconds ?? 0n, message.nanos ?? 0);
    }
    if (message.$typeName === 'google.protobuf.Duration') {
      return Number(message.seconds ?? 0n) + (message.nanos ?? 0) / 1e9;
    }
    throw new ExpressionError(`a ${message.$typeName} cannot be used as a value`);
  }
  throw new ExpressionError('the result is not a value (a type or function)');
}

/** A CEL result as JSON-like data: ints as numbers, lists as arrays, maps as objects, timestamps as ISO text. */
export function fromCelValue(value: unknown): unknown {
  return fromCel(value, { values: 0, chars: 0 });
}
