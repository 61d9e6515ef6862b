/** Shapes of the products API (shared ClickBank catalog) and helpers for showing them. */
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
  avgRebillTotal?: number | null;
  popularityRank?: number | null;
  activateDate?: string | null;
  /** The marketplace feed row as received. */
  raw?: Record<string, unknown>;
  syncedAt?: string;
}

export interface GravityPoint {
  day: string;
  gravity: number;
}

export interface ProductPage {
  products: ProductSummary[];
  nextCursor: string | null;
}

export interface Category {
  name: string;
  count: number;
}

export interface SyncProgress {
  phase: string;
  sitesProcessed: number;
  upserted: number;
  categories: number;
  startedAt: string;
}

export interface SyncStatus {
  running: boolean;
  progress: SyncProgress | null;
  lastCompleted: { finishedAt: string; products: number; left: number } | null;
}

export const productSorts = [
  { value: 'gravity', label: 'Gravity' },
  { value: 'avg_earnings', label: 'Average earnings' },
  { value: 'commission', label: 'Commission' },
  { value: 'title', label: 'Title' },
] as const;
export type ProductSort = (typeof productSorts)[number]['value'];

export function isProductSort(value: string | null): value is ProductSort {
  return productSorts.some((s) => s.value === value);
}

export function categoryLabel(path: string[] | string | null | undefined): string {
  if (!path) return '—';
  return Array.isArray(path) ? path.join(' › ') : path;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatMoney(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? money.format(value) : '—';
}

/** Commission may come as a fraction (0.75) or a percentage (75); both show as "75%". */
export function formatPercent(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const pct = value <= 1 ? value * 100 : value;
  return `${Math.round(pct)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The query string for GET /products from the page's own URL parameters (only known keys pass). */
export function productQuery(params: URLSearchParams, cursor?: string | null): string {
  const out = new URLSearchParams();
  const q = params.get('q')?.trim();
  if (q) out.set('q', q);
  const category = params.get('category');
  if (category) out.set('category', category);
  const sort = params.get('sort');
  if (isProductSort(sort)) out.set('sort', sort);
  const order = params.get('order');
  if (order === 'asc' || order === 'desc') out.set('order', order);
  out.set('limit', '24');
  if (cursor) out.set('cursor', cursor);
  return out.toString();
}
