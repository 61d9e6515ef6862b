import { defineQuery } from '@temporalio/workflow';

/** Catalog sync: ClickBank's marketplace feed -> products, hourly by Schedule and on demand. */
export const CATALOG_SYNC_WORKFLOW = 'catalogSyncWorkflow';
/** Manual syncs run under this id (Schedule-started runs get `catalog-sync-<scheduled time>`). */
export const CATALOG_SYNC_WORKFLOW_ID = 'catalog-sync';
export const CATALOG_SYNC_SCHEDULE_ID = 'catalog-sync';

export interface CatalogSyncInput {
  triggerSource: 'manual' | 'schedule';
}

export interface CatalogSyncSummary {
  syncId: string;
  sites: number;
  upserted: number;
  categories: number;
  left: number;
  startedAt: string;
  durationMs: number;
}

type CatalogSyncPhase = 'download' | 'upsert' | 'mark_left' | 'done';

/** The sync activity's heartbeat details, which the API reads with describe() while it runs. */
export interface CatalogSyncProgress {
  phase: CatalogSyncPhase;
  sitesProcessed: number;
  upserted: number;
  categories: number;
  startedAt: string;
}

export interface CatalogSyncState {
  status: 'running' | 'completed' | 'failed';
  summary: CatalogSyncSummary | null;
}

/**
 * The workflow's own view (running or the result). Live per-batch progress lives in the activity's heartbeat
 * details, which the API reads with describe(): a workflow cannot see heartbeats while the activity runs.
 */
export const catalogSyncProgressQuery = defineQuery<CatalogSyncState>('progress');

export const catalogSyncSummary = (trigger: 'manual' | 'schedule'): string =>
  trigger === 'manual'
    ? 'Catalog sync (started by hand): ClickBank marketplace feed -> products'
    : 'Catalog sync (hourly schedule): ClickBank marketplace feed -> products';
