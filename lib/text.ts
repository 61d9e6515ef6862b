/**
 * Text PostgreSQL cannot store: a NUL character (text columns refuse it, 22021; jsonb refuses \u0000, 22P05) or
 * an unpaired UTF-16 surrogate (half of an emoji: jsonb refuses it, text columns silently turn it into U+FFFD).
 * Every string that enters at the edge (request params, query and body, CSV cells, decrypted webhooks) is
 * checked with these, so such input is a 400 naming the field, never a 500.
 */
export const BAD_TEXT_MESSAGE =
  'Contains a character that cannot be stored (NUL or a broken emoji); remove it';

// Node 20 has String.prototype.isWellFormed (ES2024); the ES2022 lib the project compiles against does not name it.
type Es2024String = string & { isWellFormed(): boolean };

/** True when PostgreSQL can store the string as text and inside jsonb. */
export const isStorableText = (s: string): boolean =>
  !s.includes('\u0000') && (s as Es2024String).isWellFormed();

/**
 * The paths ("members.0.name", "" for the value itself) of every string in a JSON-like value that
 * isStorableText refuses. Object keys are checked too (the path then names the key).
 */
export function unstorableTextPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path.join('.')];
  if (Array.isArray(value))
    return value.flatMap((item, i) => unstorableTextPaths(item, [...path, String(i)]));
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      isStorableText(key) ? unstorableTextPaths(item, [...path, key]) : [[...path, key].join('.')],
    );
  }
  return [];
}

/** A printable stand-in for such a string: NUL and lone surrogates become their \u escapes as plain text. */
function escapeUnstorableText(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- NUL is exactly what this escapes
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** escapeUnstorableText applied to every string (and key) of a JSON-like value. */
export function escapeUnstorableValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeUnstorableText(value);
  if (Array.isArray(value)) return value.map(escapeUnstorableValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        escapeUnstorableText(k),
        escapeUnstorableValue(v),
      ]),
    );
  }
  return value;
}
