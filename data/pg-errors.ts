/** PostgreSQL unique_violation (23505), optionally for one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * What may be said about a PostgreSQL error without its data: the SQLSTATE code and the names of the constraint
 * and table it hit. Its message, detail and where can quote values (`Key (email)=(...)`, the statement's
 * parameters), so they are never kept. Null when `err` is not a database error.
 */
export function databaseErrorSummary(
  err: unknown,
): { code: string; constraint?: string; table?: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  if (typeof e.severity !== 'string' && typeof e.routine !== 'string') return null;
  const name = (key: string) => (typeof e[key] === 'string' ? e[key] : undefined);
  return { code: e.code, constraint: name('constraint'), table: name('table') };
}
