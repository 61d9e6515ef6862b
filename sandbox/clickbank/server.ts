/**
 * ClickBank sandbox: the marketplace feed zip and the REST API 1.3 (orders2, products, quickstats) with
 * ClickBank's quirks: `Authorization: API-<key>`, 403 for bad keys and for going over ~10 requests/s,
 * `Page: N` request header with 206 while more pages follow, and a one-row list sent as a bare object.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRefusedSandboxCredential } from '../../lib/integrations/sandbox-credentials';
import { DEFAULT_SITE_COUNT, getMarketplaceFeed } from './feed-generator';
import { MAX_RANGE_DAYS, SANDBOX_AFFILIATE, findSandboxOrder, listSandboxOrders } from './orders';

import type { SandboxServer } from '../listen';

export type { SandboxServer };

export interface ClickbankSandboxOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** Per-IP requests per second on /rest before answering 403, like ClickBank (default 10). */
  rateLimitPerSecond?: number;
  /** Sites in the generated feed (default 5,200). */
  feedSiteCount?: number;
}

export const FEED_PATH = '/feeds/marketplace_feed_v2.xml.zip';
export const ORDERS_PAGE_SIZE = 100;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** ClickBank sends a single row as a bare object instead of a one-element list. */
const listOrBare = <T>(rows: T[]): T | T[] => (rows.length === 1 ? rows[0]! : rows);

function createRateLimiter(perSecond: number) {
  const hits = new Map<string, number[]>();
  return (ip: string): boolean => {
    const now = Date.now();
    const recent = (hits.get(ip) ?? []).filter((t) => now - t < 1000);
    recent.push(now);
    hits.set(ip, recent);
    return recent.length <= perSecond;
  };
}

function handleRest(path: string, url: URL, req: http.IncomingMessage, reply: Reply): void {
  if (path === 'orders2/list') {
    const today = new Date().toISOString().slice(0, 10);
    const startDate = url.searchParams.get('startDate') ?? today;
    const endDate = url.searchParams.get('endDate') ?? startDate;
    if (!datePattern.test(startDate) || !datePattern.test(endDate) || startDate > endDate) {
      return reply(400, 'startDate and endDate must be dates (yyyy-mm-dd), startDate not after endDate');
    }
    if ((Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 >= MAX_RANGE_DAYS) {
      return reply(400, `The date range may not exceed ${MAX_RANGE_DAYS} days`);
    }
    const rows = listSandboxOrders({
      startDate,
      endDate,
      type: url.searchParams.get('type') ?? undefined,
      tid: url.searchParams.get('tid') ?? undefined,
    });
    const pageHeader = req.headers.page;
    const page = Number(Array.isArray(pageHeader) ? pageHeader[0] : (pageHeader ?? '1'));
    if (!Number.isInteger(page) || page < 1) return reply(400, 'The Page header must be a positive integer');
    const slice = rows.slice((page - 1) * ORDERS_PAGE_SIZE, page * ORDERS_PAGE_SIZE);
    const more = page * ORDERS_PAGE_SIZE < rows.length;
    return reply(more ? 206 : 200, { orderData: listOrBare(slice) });
  }
  if (path.startsWith('orders2/')) {
    const receipt = decodeURIComponent(path.slice('orders2/'.length));
    const order = findSandboxOrder(receipt);
    if (!order) return reply(404, `No order found for receipt ${receipt}`);
    return reply(200, { orderData: listOrBare([order]) });
  }
  if (path === 'products/list') {
    const site = url.searchParams.get('site');
    if (!site) return reply(400, 'The site parameter is required');
    const products = [1, 2, 3].map((n) => ({
      sku: String(n),
      site,
      title: n === 1 ? `${site} main offer` : `${site} upsell ${n - 1}`,
      status: 'APPROVED',
      language: 'EN',
      pricings: { pricing: { currency: 'USD', standard: { price: { usd: [47, 97, 197][n - 1] } } } },
    }));
    return reply(200, { products: { product: listOrBare(products) } });
  }
  if (path === 'quickstats/list') {
    const rows = listSandboxOrders({
      startDate: new Date().toISOString().slice(0, 10),
      endDate: new Date().toISOString().slice(0, 10),
    });
    const sum = (type: string) =>
      rows.filter((r) => r.transactionType === type).reduce((s, r) => s + r.totalAccountAmount, 0);
    return reply(200, {
      accountData: listOrBare([
        {
          nickName: SANDBOX_AFFILIATE,
          quickStats: {
            sale: sum('SALE') + sum('BILL'),
            refund: sum('RFND'),
            chargeback: sum('CGBK'),
            netSale: rows.reduce((s, r) => s + r.totalAccountAmount, 0),
          },
        },
      ]),
    });
  }
  return reply(404, `Unknown resource ${path}`);
}

export async function startClickbankSandbox(opts: ClickbankSandboxOptions = {}): Promise<SandboxServer> {
  const host = opts.host ?? '127.0.0.1';
  const allow = createRateLimiter(opts.rateLimitPerSecond ?? 10);
  const siteCount = opts.feedSiteCount ?? DEFAULT_SITE_COUNT;
  // Build the feed up front so the first download is not slowed by generation.
  void getMarketplaceFeed(siteCount);

  const server = http.createServer((req, res) => {
    const reply: Reply = (status, body, headers = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        'content-length': Buffer.byteLength(text),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reply(405, 'Method not allowed', { allow: 'GET, HEAD' });

    if (path === FEED_PATH) {
      getMarketplaceFeed(siteCount).then(
        (feed) => {
          res.writeHead(200, {
            'content-type': 'application/zip',
            'content-length': feed.zip.length,
            'content-disposition': 'attachment; filename="marketplace_feed_v2.xml.zip"',
          });
          res.end(req.method === 'HEAD' ? undefined : feed.zip);
        },
        (err: unknown) => reply(500, `Feed generation failed: ${String(err)}`),
      );
      return;
    }
    if (path.startsWith('/rest/1.3/')) {
      // ClickBank answers both bad keys and rate limiting with 403.
      if (!allow(req.socket.remoteAddress ?? 'unknown')) {
        return reply(403, 'Forbidden: request rate limit exceeded');
      }
      const auth = req.headers.authorization ?? '';
      if (!/^API-[A-Za-z0-9]+$/i.test(auth.trim()) || isRefusedSandboxCredential(auth)) {
        return reply(403, 'Forbidden: invalid or missing API key');
      }
      return handleRest(path.slice('/rest/1.3/'.length), url, req, reply);
    }
    if (path === '/') {
      return reply(200, { name: 'clickbank-sandbox', feed: FEED_PATH, rest: '/rest/1.3/' });
    }
    return reply(404, 'Not found');
  });

  // Longer than clients' idle pools (undici keeps sockets ~4 s) so a reused socket is never closed under them.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name: 'clickbank',
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
