import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CatalogActivities, CatalogSyncInput, CatalogSyncSummary } from '../activities/catalog';

export type { CatalogSyncInput, CatalogSyncSummary };

export interface CatalogSyncState {
  status: 'running' | 'completed' | 'failed';
  summary: CatalogSyncSummary | null;
}

/**
 * The workflow's own view (running or the result). Live per-batch progress lives in the activity's heartbeat
 * details, which the API reads with describe(): a workflow cannot see heartbeats while the activity runs.
 */
export const catalogSyncProgressQuery = defineQuery<CatalogSyncState>('progress');

const { syncCatalog } = proxyActivities<CatalogActivities>({
  // The real feed is tens of MB and ~10k products; a stuck attempt is caught by the heartbeat timeout instead.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['CatalogFeedEmpty'],
  },
});

/**
 * Catalog sync: one long activity streams ClickBank's marketplace feed into products (batched upserts,
 * daily gravity history, products that left the feed marked). Started hourly by the `catalog-sync` Schedule
 * and on demand from the API, which joins a sync that is already running.
 */
export async function catalogSyncWorkflow(input: CatalogSyncInput): Promise<CatalogSyncSummary> {
  const state: CatalogSyncState = { status: 'running', summary: null };
  setHandler(catalogSyncProgressQuery, () => state);
  try {
    state.summary = await syncCatalog.executeWithOptions(
      { summary: 'Stream the marketplace feed and upsert products' },
      [input],
    );
    state.status = 'completed';
    return state.summary;
  } catch (err) {
    state.status = 'failed';
    throw err;
  }
}
