import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { CatalogActivities } from '../activities/catalog';
import {
  catalogSyncProgressQuery,
  type CatalogSyncInput,
  type CatalogSyncState,
  type CatalogSyncSummary,
} from './contracts/catalog-sync';

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
