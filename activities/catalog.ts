/**
 * The catalog sync activity: streams ClickBank's marketplace feed into `products` in batches, heartbeating its
 * progress so the API can show it live and a retried attempt can skip the batches already written.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import { streamMarketplaceFeed, type MarketplaceSite } from '../lib/integrations/adapters/clickbank';
import {
  beginCatalogSync,
  finishCatalogSync,
  markProductsLeft,
  tidyCatalogIndexes,
  upsertProductBatch,
} from '../data/catalog';
import { toActivityFailure } from '../lib/integrations/adapters/errors';
import type {
  CatalogSyncInput,
  CatalogSyncProgress,
  CatalogSyncSummary,
} from '../workflows/contracts/catalog-sync';

const CATALOG_BATCH_SIZE = 500;

export interface RunCatalogSyncOptions {
  feedUrl: string;
  workflowId: string;
  runId: string;
  triggerSource: string;
  /** What an earlier attempt of this run wrote (its last heartbeat): those batches are parsed, not written again. */
  resume?: { sitesProcessed: number; upserted: number };
  batchSize?: number;
  onProgress?: (progress: CatalogSyncProgress) => void;
  /** Checked after every batch, so a cancelled run stops writing promptly. */
  signal?: AbortSignal;
}

const CatalogSyncFailure = { emptyFeed: 'CatalogFeedEmpty' } as const;

/**
 * The sync itself, independent of Temporal (the activity wraps it; bench/catalog-sync.ts times it directly).
 * Products not seen by this sync are marked as left the feed once the whole feed has been written.
 */
export async function runCatalogSync(db: Knex, opts: RunCatalogSyncOptions): Promise<CatalogSyncSummary> {
  const started = Date.now();
  const sync = await beginCatalogSync(db, opts);
  const resumeFrom = opts.resume?.sitesProcessed ?? 0;
  const categories = new Set<string>();
  const progress: CatalogSyncProgress = {
    phase: 'download',
    sitesProcessed: resumeFrom,
    upserted: opts.resume?.upserted ?? 0,
    categories: 0,
    startedAt: sync.startedAt.toISOString(),
  };
  let parsed = 0;
  const report = () => opts.onProgress?.({ ...progress });
  try {
    report();
    const feed = await streamMarketplaceFeed(
      opts.feedUrl,
      async (sites: MarketplaceSite[]) => {
        opts.signal?.throwIfAborted();
        progress.phase = 'upsert';
        const before = parsed;
        parsed += sites.length;
        // Reported as sites known to be written, so a heartbeat is always a safe point to resume from.
        progress.sitesProcessed = Math.max(resumeFrom, parsed);
        for (const site of sites) categories.add(site.categoryPath.join(' > '));
        progress.categories = categories.size;
        // Batches fully written by an earlier attempt are skipped; a partly written one is written again.
        const fresh = before >= resumeFrom ? sites : sites.slice(Math.max(0, resumeFrom - before));
        if (fresh.length > 0) progress.upserted += await upsertProductBatch(db, fresh);
        report();
      },
      {
        batchSize: opts.batchSize ?? CATALOG_BATCH_SIZE,
        onProgress: (p) => {
          if (p.phase === 'download') report();
        },
      },
    );
    if (feed.sites === 0) {
      // An empty feed is a broken feed, not a marketplace with no products: never mark everything as left.
      throw ApplicationFailure.create({
        type: CatalogSyncFailure.emptyFeed,
        message: 'The marketplace feed held no products',
      });
    }
    progress.phase = 'mark_left';
    report();
    const left = await markProductsLeft(db, sync.startedAt);
    await tidyCatalogIndexes(db);
    progress.phase = 'done';
    report();
    await finishCatalogSync(db, sync.id, {
      status: 'completed',
      sites: feed.sites,
      upserted: progress.upserted,
      categories: categories.size,
      left,
    });
    return {
      syncId: sync.id,
      sites: feed.sites,
      upserted: progress.upserted,
      categories: categories.size,
      left,
      startedAt: progress.startedAt,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    await finishCatalogSync(db, sync.id, {
      status: 'failed',
      error: err instanceof Error ? err.message : String(err),
      sites: parsed,
      upserted: progress.upserted,
    }).catch(() => undefined);
    throw err;
  }
}

const isProgress = (value: unknown): value is CatalogSyncProgress =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CatalogSyncProgress).sitesProcessed === 'number' &&
  typeof (value as CatalogSyncProgress).upserted === 'number';

export function createCatalogActivities({ db, config }: { db: Knex; config: Pick<Config, 'integrations'> }) {
  return {
    /** One long activity: heartbeats after every batch (and while downloading), resumes from its last heartbeat. */
    async syncCatalog(input: CatalogSyncInput): Promise<CatalogSyncSummary> {
      const ctx = Context.current();
      const last: unknown = ctx.info.heartbeatDetails;
      const resume = isProgress(last)
        ? { sitesProcessed: last.sitesProcessed, upserted: last.upserted }
        : undefined;
      if (resume) ctx.log.info('resuming catalog sync from the last heartbeat', { ...resume });
      const run = ctx.info.workflowExecution;
      if (!run) throw ApplicationFailure.nonRetryable('syncCatalog runs only inside a workflow');
      try {
        return await runCatalogSync(db, {
          feedUrl: config.integrations.clickbank.feedUrl,
          workflowId: run.workflowId,
          runId: run.runId,
          triggerSource: input.triggerSource,
          resume,
          onProgress: (p) => ctx.heartbeat(p),
          signal: ctx.cancellationSignal,
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}

export type CatalogActivities = ReturnType<typeof createCatalogActivities>;
