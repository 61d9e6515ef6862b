import { ApplicationFailure } from '@temporalio/common';
import { CLICKBANK_403_MESSAGE, createClickbankClient } from '../../lib/integrations/adapters/clickbank';
import { IntegrationError, toActivityFailure } from '../../lib/integrations/adapters/errors';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import { listSandboxOrders } from '../../sandbox/clickbank/orders';
import { startClickbankSandbox, type SandboxServer } from '../../sandbox/clickbank/server';

let sandbox: SandboxServer;
const apiKey = SANDBOX_CREDENTIALS.clickbank.apiKey;
const client = (overrides: { apiKey?: string; minIntervalMs?: number } = {}) =>
  createClickbankClient({
    apiKey,
    baseUrl: `${sandbox.url}/rest/1.3`,
    feedUrl: `${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`,
    ...overrides,
  });

const caught = async (promise: Promise<unknown>): Promise<IntegrationError> => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof IntegrationError) return err;
    throw err;
  }
  throw new Error('expected an IntegrationError');
};

/** Raw requests in a test bypass the client's pacing: let the sandbox's one-second window pass. */
const clearRateWindow = () => new Promise((resolve) => setTimeout(resolve, 1100));

beforeAll(async () => {
  sandbox = await startClickbankSandbox({ port: 0, feedSiteCount: 200 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('ClickBank REST adapter against the sandbox', () => {
  const range = { startDate: '2024-01-01', endDate: '2024-02-15' };

  it('answers 206 while more pages follow and 200 on the last page', async () => {
    const expected = listSandboxOrders(range).length;
    expect(expected).toBeGreaterThan(200);
    const lastPage = Math.ceil(expected / 100);
    const statuses: number[] = [];
    for (let page = 1; page <= lastPage; page++) {
      const res = await fetch(
        `${sandbox.url}/rest/1.3/orders2/list?startDate=2024-01-01&endDate=2024-02-15`,
        {
          headers: { Authorization: apiKey, Page: String(page) },
        },
      );
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([...Array<number>(lastPage - 1).fill(206), 200]);
    await clearRateWindow();
  });

  it('lists every order over several pages', async () => {
    const pages: number[] = [];
    for await (const page of client().iterateOrders(range)) pages.push(page.length);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((n) => n === 100)).toBe(true);

    const orders = await client().listOrders(range);
    expect(orders).toHaveLength(listSandboxOrders(range).length);
    expect(new Set(orders.map((o) => o.receipt)).size).toBe(orders.length);
    for (const order of orders) {
      expect(order.transactionTime.slice(0, 10) >= '2024-01-01').toBe(true);
      expect(Array.isArray(order.lineItemData)).toBe(true);
      expect(order.lineItemData[0]?.itemNo).toBe('1');
    }
    const refunds = await client().listOrders({ ...range, type: 'RFND' });
    expect(refunds.length).toBeGreaterThan(0);
    expect(refunds.every((o) => o.transactionType === 'RFND' && (o.totalAccountAmount ?? 0) < 0)).toBe(true);
  });

  it('handles a one-row answer sent as a bare object', async () => {
    // Find a day and tid with exactly one order, then check the wire really carries a bare object.
    let query: { startDate: string; endDate: string; tid: string } | undefined;
    for (let d = 1; d <= 28 && !query; d++) {
      const day = `2024-03-${String(d).padStart(2, '0')}`;
      for (const tid of ['fb_ads', 'email_welcome', 'yt_review', 'blog_post', 'tt_video']) {
        if (listSandboxOrders({ startDate: day, endDate: day, tid }).length === 1) {
          query = { startDate: day, endDate: day, tid };
          break;
        }
      }
    }
    if (!query) throw new Error('no single-row day in the sandbox data');
    const raw = await fetch(`${sandbox.url}/rest/1.3/orders2/list?${new URLSearchParams(query).toString()}`, {
      headers: { Authorization: apiKey },
    });
    const body = (await raw.json()) as { orderData: unknown };
    expect(raw.status).toBe(200);
    expect(Array.isArray(body.orderData)).toBe(false);
    await clearRateWindow();

    const orders = await client().listOrders(query);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.trackingId).toBe(query.tid);

    const [order] = orders;
    const byReceipt = await client().getOrder(order!.receipt);
    expect(byReceipt).toEqual([order]);
    expect(await client().getOrder('ZZ000000')).toEqual([]);
  });

  it('maps 403 (bad key) to a permanent auth error', async () => {
    const err = await caught(client({ apiKey: 'API-INVALIDKEY' }).listOrders(range));
    expect(err).toMatchObject({ provider: 'clickbank', kind: 'auth', status: 403, retryable: false });
    expect(err.plainMessage).toBe(CLICKBANK_403_MESSAGE);
    const failure = toActivityFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('clickbank.auth');
    expect(failure.nonRetryable).toBe(true);
  });

  it('gets the same 403 when going over ~10 requests/s, and paces itself to stay under it', async () => {
    const burst = client({ minIntervalMs: 0 });
    const results = await Promise.allSettled(Array.from({ length: 15 }, () => burst.testConnection()));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'auth', status: 403 });

    await clearRateWindow();
    const paced = client();
    const started = Date.now();
    const ok = await Promise.all(Array.from({ length: 15 }, () => paced.testConnection()));
    expect(ok.every((r) => r.ok)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('tests the connection, and asks to connect when no key is set', async () => {
    await clearRateWindow();
    await expect(client().testConnection()).resolves.toEqual({
      ok: true,
      detail: 'Connected to ClickBank as sandboxaff.',
    });
    const err = await caught(client({ apiKey: '' }).testConnection());
    expect(err.kind).toBe('not_connected');
    expect(err.plainMessage).toMatch(/Settings → Integrations/);
  });

  it('maps an unreachable server to a retryable unavailable error', async () => {
    const down = await startClickbankSandbox({ port: 0, feedSiteCount: 10 });
    await down.close();
    const err = await caught(
      createClickbankClient({ apiKey, baseUrl: `${down.url}/rest/1.3`, feedUrl: '' }).testConnection(),
    );
    expect(err).toMatchObject({ kind: 'unavailable', retryable: true, providerCode: 'ECONNREFUSED' });
    expect(toActivityFailure(err).nonRetryable).toBe(false);
  });
});
