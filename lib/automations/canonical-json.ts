import { createHash } from 'node:crypto';

/**
 * RFC 8785 (JSON Canonicalization Scheme) for JSON values: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (which is what the RFC
 * specifies). Written here rather than taken from the `canonicalize` package because that package is ESM-only
 * and cannot be required by the CommonJS build and jest on Node 20. Lone surrogates, NaN and Infinity are
 * refused as the RFC says; a definition that reached here has already passed the bad-text checks.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) {
      throw new Error('canonical JSON has no lone surrogates');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    // JSON.stringify writes undefined (and functions) inside arrays as null.
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      // The default sort compares UTF-16 code units, exactly the order RFC 8785 asks for.
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${canonicalJson(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}

/** A definition's content hash: sha256 (hex) of its canonical JSON. Equal definitions have equal hashes. */
export function contentHash(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition), 'utf8').digest('hex');
}
