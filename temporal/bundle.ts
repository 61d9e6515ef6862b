import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../lib/logger';
import { toTemporalLogger } from './runtime-logger';

let pending: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The workflow bundle (workflows/index.ts and its imports, built with webpack), built once per process and
 * shared by every worker: bundling takes seconds and the code is identical for all task queues.
 */
export function getWorkflowBundle(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  pending ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    ...(logger ? { logger: toTemporalLogger(bundlerLogger(logger)) } : {}),
  }).catch((err: unknown) => {
    pending = undefined; // let a later call retry after, say, a fixed syntax error
    throw err;
  });
  return pending;
}

/** webpack's full build report arrives at info level: keep it for debug, otherwise only warnings and errors. */
function bundlerLogger(logger: Logger): Logger {
  const quiet = !logger.isLevelEnabled('debug') && logger.isLevelEnabled('warn');
  return logger.child({ component: 'workflow-bundler' }, quiet ? { level: 'warn' } : {});
}
