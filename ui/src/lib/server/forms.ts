/** Small helpers for reading form actions' FormData without `any`. */
export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Passwords are not trimmed: spaces are legitimate characters in them. */
export function rawField(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
