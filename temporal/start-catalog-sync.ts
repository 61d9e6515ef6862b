import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { catalogSyncWorkflow } from '../workflows/catalog-sync.workflow';
import { SearchAttr } from './search-attributes';
import { TaskQueue } from './task-queues';

/** Manual syncs run under this id (Schedule-started runs get `catalog-sync-<scheduled time>`). */
export const CATALOG_SYNC_WORKFLOW_ID = 'catalog-sync';
export const CATALOG_SYNC_SCHEDULE_ID = 'catalog-sync';
export const CATALOG_SYNC_WORKFLOW_TYPE = 'catalogSyncWorkflow';

export const catalogSyncSummary = (trigger: 'manual' | 'schedule'): string =>
  trigger === 'manual'
    ? 'Catalog sync (started by hand): ClickBank marketplace feed -> products'
    : 'Catalog sync (hourly schedule): ClickBank marketplace feed -> products';

/** A sync run in progress: the manual one or the one the Schedule started. */
export interface RunningCatalogSync {
  workflowId: string;
  runId: string;
}

/** The running manual sync, else the running Schedule-started one, else null. */
export async function findRunningCatalogSync(client: Client): Promise<RunningCatalogSync | null> {
  try {
    const described = await client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID).describe();
    if (described.status.name === 'RUNNING')
      return { workflowId: described.workflowId, runId: described.runId };
  } catch (err) {
    if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
  }
  try {
    const schedule = await client.schedule.getHandle(CATALOG_SYNC_SCHEDULE_ID).describe();
    const running = schedule.info.runningActions[0];
    if (running) {
      return { workflowId: running.workflow.workflowId, runId: running.workflow.firstExecutionRunId };
    }
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  return null;
}

export interface StartedCatalogSync extends RunningCatalogSync {
  /** False when the call joined a sync that was already running. */
  started: boolean;
}

/**
 * Starts a manual sync, or joins the one already running (manual or scheduled). The id conflict policy
 * USE_EXISTING makes concurrent starts share one run; a per-call memo tells the caller whether it started it.
 */
export async function startCatalogSync(
  client: Client,
  opts: { userId?: string } = {},
): Promise<StartedCatalogSync> {
  const scheduled = await findRunningCatalogSync(client);
  if (scheduled && scheduled.workflowId !== CATALOG_SYNC_WORKFLOW_ID) return { ...scheduled, started: false };

  const requestId = randomUUID();
  const handle = await client.workflow.start<typeof catalogSyncWorkflow>(CATALOG_SYNC_WORKFLOW_TYPE, {
    taskQueue: TaskQueue.main,
    workflowId: CATALOG_SYNC_WORKFLOW_ID,
    workflowIdConflictPolicy: 'USE_EXISTING',
    // The catalog is synced again and again under the same id.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [{ triggerSource: 'manual' }],
    memo: { requestId },
    typedSearchAttributes: [
      { key: SearchAttr.TriggerSource, value: 'manual' },
      ...(opts.userId ? [{ key: SearchAttr.UserId, value: opts.userId }] : []),
    ],
    staticSummary: catalogSyncSummary('manual'),
  });
  const runId = handle.firstExecutionRunId;
  const described = await client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID, runId).describe();
  const memo = described.memo as { requestId?: unknown } | undefined;
  return { workflowId: CATALOG_SYNC_WORKFLOW_ID, runId, started: memo?.requestId === requestId };
}
