/** Reads of the shared product catalog: keyset-paginated search, categories, one product, sync records. */
import type { Knex } from 'knex';

export const productSorts = ['gravity', 'avg_earnings', 'commission', 'title'] as const;
export type ProductSort = (typeof productSorts)[number];

interface ProductDbRow {
  id: string;
  clickbank_id: string;
  title: string;
  description: string | null;
  category_path: string[];
  gravity: string;
  commission_rate: string | null;
  avg_earnings_per_sale: string | null;
  initial_earnings_per_sale: string | null;
  has_recurring: boolean;
  avg_rebill_total: string | null;
  pct_per_sale_from_rebill: string | null;
  popularity_rank: number | null;
  activate_date: Date | string | null;
  raw: Record<string, unknown>;
  left_feed_at: Date | null;
  synced_at: Date;
  created_at: Date;
  updated_at: Date;
  sort_value?: string;
}

export interface ProductSummary {
  id: string;
  clickbankId: string;
  title: string;
  description: string | null;
  categoryPath: string[];
  gravity: number;
  commissionRate: number | null;
  avgEarningsPerSale: number | null;
  initialEarningsPerSale: number | null;
  hasRecurring: boolean;
  leftFeedAt: string | null;
}

export interface ProductDetail extends ProductSummary {
  avgRebillTotal: number | null;
  pctPerSaleFromRebill: number | null;
  popularityRank: number | null;
  activateDate: string | null;
  raw: Record<string, unknown>;
  syncedAt: string;
  createdAt: string;
  updatedAt: string;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));
const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const dateOnly = (d: Date | string | null): string | null => {
  if (d === null) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  // pg parses a DATE as local midnight; read it back in local time.
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

const summaryColumns = [
  'id',
  'clickbank_id',
  'title',
  'description',
  'category_path',
  'gravity',
  'commission_rate',
  'avg_earnings_per_sale',
  'initial_earnings_per_sale',
  'has_recurring',
  'left_feed_at',
];

const toSummary = (r: ProductDbRow): ProductSummary => ({
  id: r.id,
  clickbankId: r.clickbank_id,
  title: r.title,
  description: r.description,
  categoryPath: r.category_path,
  gravity: Number(r.gravity),
  commissionRate: num(r.commission_rate),
  avgEarningsPerSale: num(r.avg_earnings_per_sale),
  initialEarningsPerSale: num(r.initial_earnings_per_sale),
  hasRecurring: r.has_recurring,
  leftFeedAt: iso(r.left_feed_at),
});

/** Sort expressions match the keyset indexes of migration 20261126001500 exactly, so they are used. */
const sortExpressions: Record<ProductSort, { sql: string; cast: 'numeric' | 'text' }> = {
  gravity: { sql: 'gravity', cast: 'numeric' },
  avg_earnings: { sql: 'coalesce(avg_earnings_per_sale, 0)', cast: 'numeric' },
  commission: { sql: 'coalesce(commission_rate, 0)', cast: 'numeric' },
  title: { sql: 'title', cast: 'text' },
};

/** Where the previous page ended: its last row's sort value and id (opaque to clients: base64url JSON). */
export interface ProductCursor {
  v: string;
  id: string;
}

export const encodeCursor = (c: ProductCursor): string =>
  Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** null when the cursor is not one this API produced for that sort. */
export function decodeCursor(cursor: string, sort: ProductSort): ProductCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [v, id] = parsed as unknown[];
  if (typeof v !== 'string' || typeof id !== 'string' || !uuidPattern.test(id)) return null;
  if (sortExpressions[sort].cast === 'numeric' && !/^-?\d+(\.\d+)?$/.test(v)) return null;
  return { v, id };
}

export interface ProductSearch {
  q?: string;
  category?: string;
  sort: ProductSort;
  order: 'asc' | 'desc';
  limit: number;
  after?: ProductCursor;
  includeLeft: boolean;
}

/** How many products a search matches, counted up to `cap` (a bounded count stays cheap on a big catalog). */
export async function countProducts(
  db: Knex,
  s: Pick<ProductSearch, 'q' | 'category' | 'includeLeft'>,
  cap: number,
): Promise<{ total: number; capped: boolean }> {
  const inner = db('products')
    .select(db.raw('1'))
    .limit(cap + 1);
  if (!s.includeLeft) inner.whereNull('left_feed_at');
  if (s.q) inner.whereRaw(`search_vector @@ websearch_to_tsquery('english', ?)`, [s.q]);
  if (s.category) inner.whereRaw('category_path @> ARRAY[?]::text[]', [s.category]);
  const row = (await db.from(inner.as('matches')).count<{ n: string }[]>('* as n'))[0];
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, cap), capped: n > cap };
}

export async function searchProducts(
  db: Knex,
  s: ProductSearch,
): Promise<{ products: ProductSummary[]; next: ProductCursor | null }> {
  const { sql: expr, cast } = sortExpressions[s.sort];
  const dir = s.order === 'asc' ? 'ASC' : 'DESC';
  const query = db('products')
    .select(summaryColumns)
    .select(db.raw(`(${expr})::text AS sort_value`))
    .orderByRaw(`${expr} ${dir}, id ${dir}`)
    .limit(s.limit + 1);
  if (!s.includeLeft) query.whereNull('left_feed_at');
  if (s.q) query.whereRaw(`search_vector @@ websearch_to_tsquery('english', ?)`, [s.q]);
  if (s.category) query.whereRaw('category_path @> ARRAY[?]::text[]', [s.category]);
  if (s.after) {
    query.whereRaw(`(${expr}, id) ${s.order === 'asc' ? '>' : '<'} (?::${cast}, ?::uuid)`, [
      s.after.v,
      s.after.id,
    ]);
  }
  const rows = (await query) as ProductDbRow[];
  const page = rows.slice(0, s.limit);
  const last = page[page.length - 1];
  const next = rows.length > s.limit && last ? { v: last.sort_value ?? '', id: last.id } : null;
  return { products: page.map(toSummary), next };
}

export async function listTopCategories(db: Knex): Promise<{ name: string; count: number }[]> {
  const { rows } = await db.raw<{ rows: { name: string; count: string }[] }>(
    `SELECT category_path[1] AS name, count(*) AS count FROM products
     WHERE left_feed_at IS NULL AND cardinality(category_path) > 0
     GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}

export async function findProduct(db: Knex, id: string): Promise<ProductDetail | null> {
  const r = (await db('products').where({ id }).first()) as ProductDbRow | undefined;
  if (!r) return null;
  return {
    ...toSummary(r),
    avgRebillTotal: num(r.avg_rebill_total),
    pctPerSaleFromRebill: num(r.pct_per_sale_from_rebill),
    popularityRank: r.popularity_rank,
    activateDate: dateOnly(r.activate_date),
    raw: r.raw,
    syncedAt: new Date(r.synced_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The last `days` days of gravity, oldest first. */
export async function gravityHistory(
  db: Knex,
  productId: string,
  days = 90,
): Promise<{ day: string; gravity: number }[]> {
  const { rows } = await db.raw<{ rows: { day: string; gravity: string }[] }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, gravity FROM product_gravity_daily
     WHERE product_id = ? AND day > (now() AT TIME ZONE 'utc')::date - ?::int
     ORDER BY day`,
    [productId, days],
  );
  return rows.map((r) => ({ day: r.day, gravity: Number(r.gravity) }));
}

export interface CompletedSync {
  finishedAt: string;
  products: number;
  upserted: number;
  categories: number;
  left: number;
}

export async function lastCompletedSync(db: Knex): Promise<CompletedSync | null> {
  const row = (await db('catalog_syncs')
    .where({ status: 'completed' })
    .orderBy('finished_at', 'desc')
    .first()) as
    | { finished_at: Date; sites: number; upserted: number; categories: number; left_count: number }
    | undefined;
  if (!row) return null;
  return {
    finishedAt: new Date(row.finished_at).toISOString(),
    products: row.sites,
    upserted: row.upserted,
    categories: row.categories,
    left: row.left_count,
  };
}
