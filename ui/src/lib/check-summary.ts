/** Human-readable facts from a check's free-form result JSON; unknown shapes simply yield fewer rows. */
function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function checkSummary(result: unknown): [label: string, value: string][] {
  const rows: [string, string][] = [];
  const add = (label: string, value: unknown, suffix = '') => {
    if (typeof value === 'string' || typeof value === 'number') rows.push([label, `${value}${suffix}`]);
  };
  add('Error', get(result, 'error'));
  add('Database latency', get(result, 'database', 'latencyMs'), ' ms');
  add('Team members', get(result, 'team', 'memberCount'));
  add('Task queue', get(result, 'worker', 'taskQueue'));
  add('Attempt', get(result, 'worker', 'attempt'));
  return rows;
}

/** A platform check's status in words. */
export const checkStatusWords: Record<'pending' | 'completed' | 'failed', string> = {
  pending: 'Running',
  completed: 'Passed',
  failed: 'Failed',
};
