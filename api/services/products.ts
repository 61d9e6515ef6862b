import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, fromPayloadsAtIndex } from '@temporalio/common';
import type { Knex } from 'knex';
import type { CatalogSyncProgress } from '../../workflows/contracts/catalog-sync';
import { AppError, badRequest, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { findRunningCatalogSync, startCatalogSync } from '../../temporal/starts';
import {
  decodeCursor,
  encodeCursor,
  findProduct,
  gravityHistory,
  lastCompletedSync,
  listTopCategories,
  countProducts,
  searchProducts,
} from '../../data/products';
import type { ListProductsQuery } from '../schemas/products';

/** Search totals are counted up to this many products (beyond it the page says "10,000+"). */
const PRODUCT_COUNT_CAP = 10_000;

const CATEGORY_CACHE_MS = 30_000;

const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

export function createProductService(deps: {
  db: Knex;
  logger: Logger;
  temporal: { client: Client } | null;
}) {
  const { db } = deps;
  let categoryCache: { expires: number; value: Promise<{ name: string; count: number }[]> } | null = null;

  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  /** Live progress: the heartbeat details of the sync's pending activity (what Temporal Web shows too). */
  async function heartbeatProgress(c: Client, workflowId: string, runId: string) {
    const described = await c.workflow.getHandle(workflowId, runId).describe();
    const payloads = described.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads;
    if (!payloads?.length) return null;
    const details = fromPayloadsAtIndex<CatalogSyncProgress>(defaultPayloadConverter, 0, payloads);
    return {
      phase: details.phase,
      sitesProcessed: details.sitesProcessed,
      upserted: details.upserted,
      categories: details.categories,
      startedAt: details.startedAt,
    };
  }

  return {
    async list(query: ListProductsQuery) {
      const after = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
      if (after === null) {
        throw badRequest('The request is not valid', [
          { path: 'query.cursor', message: 'Not a cursor of this listing (sort changed or corrupted)' },
        ]);
      }
      const search = {
        q: query.q || undefined,
        category: query.category,
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        after,
        includeLeft: query.includeLeft,
      };
      const [page, count] = await Promise.all([
        searchProducts(db, search),
        countProducts(db, search, PRODUCT_COUNT_CAP),
      ]);
      return {
        products: page.products,
        nextCursor: page.next ? encodeCursor(page.next) : null,
        total: count.total,
        totalCapped: count.capped,
      };
    },

    /** Counts change only when a sync runs; a short cache spares every page load a scan of the catalog. */
    async categories() {
      const now = Date.now();
      if (!categoryCache || categoryCache.expires < now) {
        categoryCache = { expires: now + CATEGORY_CACHE_MS, value: listTopCategories(db) };
        categoryCache.value.catch(() => (categoryCache = null));
      }
      return { categories: await categoryCache.value };
    },

    async get(productId: string) {
      const product = await findProduct(db, productId);
      if (!product) throw new AppError(404, 'product_not_found', 'Product not found');
      return { product, gravityHistory: await gravityHistory(db, productId) };
    },

    async startSync(userId: string) {
      const c = client();
      try {
        return await startCatalogSync(c, { userId });
      } catch (err) {
        deps.logger.warn({ err }, 'could not start the catalog sync');
        throw temporalUnavailable();
      }
    },

    async syncStatus() {
      const c = client();
      const lastCompleted = await lastCompletedSync(db);
      let running;
      try {
        running = await findRunningCatalogSync(c);
      } catch (err) {
        deps.logger.warn({ err }, 'could not read the catalog sync state');
        throw temporalUnavailable();
      }
      if (!running) return { running: false, workflowId: null, progress: null, lastCompleted };
      const progress = await heartbeatProgress(c, running.workflowId, running.runId).catch(() => null);
      return { running: true, workflowId: running.workflowId, progress, lastCompleted };
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
