import * as workflows from '../../workflows';

/**
 * The workflow functions the workers run: every function exported from workflows/index.ts whose name ends in
 * `Workflow` (the house naming rule). Loading the module outside the workflow sandbox is safe: at import time
 * it only defines activity proxies, queries and updates.
 */
export function exportedWorkflowNames(): string[] {
  return Object.entries(workflows)
    .filter(([name, value]) => typeof value === 'function' && name.endsWith('Workflow'))
    .map(([name]) => name)
    .sort();
}

export const HISTORIES_DIR = `${__dirname}/histories`;
