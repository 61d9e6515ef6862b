/** Helpers for showing the products API's shared ClickBank catalog (its shapes: $api/products). */
import type { ProductSort } from '$api/products';
import { everyOption } from './every-value';

export const productSorts = everyOption<ProductSort>()([
  { value: 'gravity', label: 'Gravity' },
  { value: 'avg_earnings', label: 'Average earnings' },
  { value: 'commission', label: 'Commission' },
  { value: 'title', label: 'Title' },
]);

function isProductSort(value: string | null): value is ProductSort {
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
