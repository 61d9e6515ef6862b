/**
 * ClickBank adapter: REST API 1.3 (orders2, quickstats) and the marketplace feed. Takes plain settings so
 * the same client serves the sandbox, the live API and each team's own key.
 */
import { IntegrationError, fromHttpStatus, fromNetworkError, type HttpErrorOverride } from '../errors';
import { streamMarketplaceFeed, type FeedSummary, type StreamFeedOptions } from './feed';
import type { ClickbankLineItem, ClickbankOrder, MarketplaceSite, OrderQuery } from './types';

export interface ClickbankClientSettings {
  /** `API-...` key from the ClickBank account; the REST calls need it, the feed does not. */
  apiKey?: string;
  /** e.g. https://api.clickbank.com/rest/1.3 (no trailing slash needed). */
  baseUrl: string;
  feedUrl: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /**
   * Minimum gap between REST calls to the same API host from this process (default 110 ms): ClickBank allows
   * about 10 requests/s per IP and answers 403 beyond that, which looks exactly like a bad key. 0 disables.
   */
  minIntervalMs?: number;
  /** Upper bound on pages followed by listOrders (default 1,000 = 100,000 rows). */
  maxPages?: number;
}

export const CLICKBANK_403_MESSAGE =
  "ClickBank refused the request: check the API key, or the account hit ClickBank's rate limit (about 10 requests per second)";

/**
 * ClickBank answers both a bad key and rate limiting with 403. We treat 403 as permanent (retryable: false):
 * retrying a bad key burns the 25,000/day quota and hides the real problem, and this client paces its own
 * calls below the per-second limit so a rate-limit 403 should only come from other software sharing the IP.
 */
const clickbankOverride: HttpErrorOverride = (ctx) =>
  ctx.status === 403 ? { kind: 'auth', retryable: false, plainMessage: CLICKBANK_403_MESSAGE } : undefined;

const asList = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];

/** ClickBank sends a one-row list as a bare object, at the top level and for line items. */
function normalizeOrders(body: unknown): ClickbankOrder[] {
  if (!body || typeof body !== 'object') return [];
  const data = (body as { orderData?: unknown }).orderData;
  return asList(data as Record<string, unknown> | Record<string, unknown>[] | null | undefined).map(
    (row) =>
      ({
        ...row,
        lineItemData: asList(row.lineItemData as ClickbankLineItem | ClickbankLineItem[] | undefined),
      }) as ClickbankOrder,
  );
}

export interface ClickbankClient {
  /** All orders in the range, following `Page` headers while ClickBank answers 206. */
  listOrders(query: OrderQuery): Promise<ClickbankOrder[]>;
  /** Same, one page (up to 100 rows) at a time. */
  iterateOrders(query: OrderQuery): AsyncGenerator<ClickbankOrder[], void, void>;
  /** Rows for one receipt (a sale and its later refund share a receipt); empty when unknown. */
  getOrder(receipt: string): Promise<ClickbankOrder[]>;
  testConnection(): Promise<{ ok: true; detail: string }>;
  streamMarketplaceFeed(
    onBatch: (sites: MarketplaceSite[]) => Promise<void>,
    opts?: StreamFeedOptions,
  ): Promise<FeedSummary>;
}

/** ClickBank limits per IP, so all clients in this process share one pace per API host. */
const slots = new Map<string, { next: number }>();
function slotFor(baseUrl: string): { next: number } {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // an unparsable URL fails on the first request with a clear error
  }
  let slot = slots.get(host);
  if (!slot) slots.set(host, (slot = { next: 0 }));
  return slot;
}

export function createClickbankClient(settings: ClickbankClientSettings): ClickbankClient {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  const minInterval = settings.minIntervalMs ?? 110;
  const slot = slotFor(baseUrl);

  const authorization = (): string => {
    const key = settings.apiKey?.trim();
    if (!key) {
      throw new IntegrationError({
        provider: 'clickbank',
        kind: 'not_connected',
        plainMessage: 'No ClickBank API key is set: add one in Settings → Integrations → ClickBank.',
      });
    }
    return /^API-/i.test(key) ? key : `API-${key}`;
  };

  async function pace(): Promise<void> {
    if (minInterval <= 0) return;
    const now = Date.now();
    const wait = slot.next - now;
    slot.next = Math.max(now, slot.next) + minInterval;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  async function get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const auth = authorization();
    await pace();
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/${path}`, {
        headers: { Authorization: auth, Accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(settings.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw fromNetworkError('clickbank', err);
    }
    const text = await res.text();
    if (!res.ok) throw fromHttpStatus('clickbank', res.status, text, res.headers, clickbankOverride);
    if (!text.trim()) return { status: res.status, body: null }; // 204 / empty page
    try {
      return { status: res.status, body: JSON.parse(text) as unknown };
    } catch (err) {
      throw new IntegrationError({
        provider: 'clickbank',
        kind: 'unavailable',
        status: res.status,
        message: `ClickBank answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        cause: err,
      });
    }
  }

  async function* iterateOrders(query: OrderQuery): AsyncGenerator<ClickbankOrder[], void, void> {
    const params = new URLSearchParams({ startDate: query.startDate, endDate: query.endDate });
    if (query.type) params.set('type', query.type);
    if (query.tid !== undefined) params.set('tid', query.tid);
    const maxPages = settings.maxPages ?? 1000;
    for (let page = 1; page <= maxPages; page++) {
      const { status, body } = await get(`orders2/list?${params}`, { Page: String(page) });
      const rows = normalizeOrders(body);
      if (rows.length) yield rows;
      // 206 Partial Content: more pages follow. Anything else (200, 204) is the last page.
      if (status !== 206 || rows.length === 0) return;
    }
    throw new IntegrationError({
      provider: 'clickbank',
      kind: 'invalid',
      message: `orders2/list still had more pages after ${maxPages}`,
      plainMessage: 'ClickBank returned too many orders for one request: use a shorter date range.',
    });
  }

  return {
    iterateOrders,
    async listOrders(query) {
      const all: ClickbankOrder[] = [];
      for await (const page of iterateOrders(query)) all.push(...page);
      return all;
    },
    async getOrder(receipt) {
      try {
        return normalizeOrders((await get(`orders2/${encodeURIComponent(receipt)}`)).body);
      } catch (err) {
        if (err instanceof IntegrationError && err.kind === 'not_found') return [];
        throw err;
      }
    },
    async testConnection() {
      const { body } = await get('quickstats/list');
      const account = asList((body as { accountData?: unknown } | null)?.accountData)[0] as
        { nickName?: string } | undefined;
      return {
        ok: true,
        detail: account?.nickName
          ? `Connected to ClickBank as ${account.nickName}.`
          : 'ClickBank accepted the API key.',
      };
    },
    streamMarketplaceFeed: (onBatch, opts) => streamMarketplaceFeed(settings.feedUrl, onBatch, opts),
  };
}
