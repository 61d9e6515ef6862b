/** SQL the catalog sync writes with: batched product upserts, the daily gravity row, left/returned marks. */
import type { Knex } from 'knex';
import type { MarketplaceSite } from '../lib/integrations/adapters/clickbank';

export interface CatalogSyncRow {
  id: string;
  startedAt: Date;
}

/** Starts (or, for a retried attempt, finds) the row recording this run. */
export async function beginCatalogSync(
  db: Knex,
  run: { workflowId: string; runId: string; triggerSource: string },
): Promise<CatalogSyncRow> {
  const { rows } = await db.raw<{ rows: { id: string; started_at: Date }[] }>(
    `INSERT INTO catalog_syncs (workflow_id, run_id, trigger_source)
     VALUES (?, ?, ?)
     ON CONFLICT (workflow_id, run_id) DO UPDATE SET status = 'running', error = NULL, finished_at = NULL
     RETURNING id, started_at`,
    [run.workflowId, run.runId, run.triggerSource],
  );
  const row = rows[0]!;
  return { id: row.id, startedAt: new Date(row.started_at) };
}

export async function finishCatalogSync(
  db: Knex,
  id: string,
  result:
    | { status: 'completed'; sites: number; upserted: number; categories: number; left: number }
    | { status: 'failed'; error: string; sites: number; upserted: number },
): Promise<void> {
  await db('catalog_syncs')
    .where({ id })
    .update({
      status: result.status,
      finished_at: db.fn.now(),
      sites: result.sites,
      upserted: result.upserted,
      ...(result.status === 'completed'
        ? {
            categories: result.categories,
            left_count: result.left,
          }
        : { error: result.error.slice(0, 2000) }),
    });
}

const productRow = (site: MarketplaceSite) => ({
  clickbank_id: site.id,
  title: site.title || site.id,
  description: site.description || null,
  category_path: site.categoryPath,
  gravity: Math.max(0, site.gravity),
  commission_rate: Math.min(100, Math.max(0, site.commission)),
  avg_earnings_per_sale: site.averageEarningsPerSale,
  initial_earnings_per_sale: site.initialEarningsPerSale,
  has_recurring: site.hasRecurringProducts,
  avg_rebill_total: site.totalRebillAmt,
  pct_per_sale_from_rebill: Math.min(100, Math.max(0, site.percentPerRebill)),
  popularity_rank: site.popularityRank > 0 ? Math.trunc(site.popularityRank) : null,
  activate_date:
    site.activateDate && /^\d{4}-\d{2}-\d{2}$/.test(site.activateDate) ? site.activateDate : null,
  raw: site,
});

/**
 * Upserts one batch in a single statement: the batch travels as one JSON parameter, products are inserted or
 * updated on clickbank_id (a returning product loses its left_feed_at), and today's gravity row is written
 * for each of them. Returns how many products were written.
 */
export async function upsertProductBatch(db: Knex, sites: MarketplaceSite[]): Promise<number> {
  // The feed could repeat an id; one statement may not touch a row twice, so the last one wins.
  const byId = new Map(sites.map((s) => [s.id, s]));
  const rows = [...byId.values()].map(productRow);
  if (rows.length === 0) return 0;
  const { rows: written } = await db.raw<{ rows: { n: string }[] }>(
    `WITH batch AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(
         clickbank_id text, title text, description text, category_path text[], gravity numeric,
         commission_rate numeric, avg_earnings_per_sale numeric, initial_earnings_per_sale numeric,
         has_recurring boolean, avg_rebill_total numeric, pct_per_sale_from_rebill numeric,
         popularity_rank integer, activate_date date, raw jsonb)
     ), upserted AS (
       INSERT INTO products (clickbank_id, title, description, category_path, gravity, commission_rate,
         avg_earnings_per_sale, initial_earnings_per_sale, has_recurring, avg_rebill_total,
         pct_per_sale_from_rebill, popularity_rank, activate_date, raw, synced_at, left_feed_at)
       SELECT clickbank_id, title, description, category_path, gravity, commission_rate,
         avg_earnings_per_sale, initial_earnings_per_sale, has_recurring, avg_rebill_total,
         pct_per_sale_from_rebill, popularity_rank, activate_date, raw, now(), NULL
       FROM batch
       ON CONFLICT (clickbank_id) DO UPDATE SET
         title = excluded.title, description = excluded.description, category_path = excluded.category_path,
         gravity = excluded.gravity, commission_rate = excluded.commission_rate,
         avg_earnings_per_sale = excluded.avg_earnings_per_sale,
         initial_earnings_per_sale = excluded.initial_earnings_per_sale, has_recurring = excluded.has_recurring,
         avg_rebill_total = excluded.avg_rebill_total, pct_per_sale_from_rebill = excluded.pct_per_sale_from_rebill,
         popularity_rank = excluded.popularity_rank, activate_date = excluded.activate_date, raw = excluded.raw,
         synced_at = now(), left_feed_at = NULL, updated_at = now()
       RETURNING id, gravity
     ), history AS (
       INSERT INTO product_gravity_daily (product_id, day, gravity)
       SELECT id, (now() AT TIME ZONE 'utc')::date, gravity FROM upserted
       ON CONFLICT (product_id, day) DO UPDATE SET gravity = excluded.gravity
     )
     SELECT count(*) AS n FROM upserted`,
    [JSON.stringify(rows)],
  );
  return Number(written[0]?.n ?? 0);
}

/**
 * Products not seen since this sync started have left the feed: stamp them once (keeping the first time they
 * were missed). Returns how many were newly marked.
 */
export async function markProductsLeft(db: Knex, syncStartedAt: Date): Promise<number> {
  return db('products')
    .where('synced_at', '<', syncStartedAt)
    .whereNull('left_feed_at')
    .update({ left_feed_at: db.fn.now() });
}

/**
 * After a sync: moves the full-text index's pending entries (GIN fastupdate keeps batch writes fast) into the
 * index proper and refreshes the planner's statistics. Without it searches fall back to sequential scans.
 */
export async function tidyCatalogIndexes(db: Knex): Promise<void> {
  await db.raw("SELECT gin_clean_pending_list('products_search_vector_idx')");
  await db.raw('ANALYZE products, product_gravity_daily');
}
