/** One problem with a definition: where (a JSON path such as `steps[2].config.to`) and what, in plain words. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

export type PathKey = string | number;

/** `['steps', 2, 'config', 'to']` -> `steps[2].config.to` */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
