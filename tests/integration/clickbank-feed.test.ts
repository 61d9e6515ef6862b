import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  createClickbankClient,
  streamMarketplaceFeed,
  type MarketplaceSite,
} from '../../lib/integrations/adapters/clickbank';
import { IntegrationError } from '../../lib/integrations/adapters/errors';
import { MARKETPLACE_CATEGORIES } from '../../sandbox/clickbank/categories';
import { catalogXml, generateCatalog, zipFeed } from '../../sandbox/clickbank/feed-generator';
import { startClickbankSandbox, type SandboxServer } from '../../sandbox/clickbank/server';

let sandbox: SandboxServer;
let tmpDir: string;

beforeAll(async () => {
  sandbox = await startClickbankSandbox({ port: 0 });
  tmpDir = await mkdtemp(path.join(os.tmpdir(), 'cb-feed-test-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(tmpDir, { recursive: true, force: true });
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

describe('ClickBank marketplace feed', () => {
  it('serves the zip at the real path', async () => {
    const res = await fetch(`${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100_000);
  });

  it('streams at least 5,000 sites with sane fields, in batches, and removes its temp file', async () => {
    const client = createClickbankClient({
      baseUrl: `${sandbox.url}/rest/1.3`,
      feedUrl: `${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`,
    });
    const sites: MarketplaceSite[] = [];
    const batchSizes: number[] = [];
    const progress: string[] = [];
    const summary = await client.streamMarketplaceFeed(
      async (batch) => {
        batchSizes.push(batch.length);
        sites.push(...batch);
        await new Promise((resolve) => setImmediate(resolve)); // an async consumer, as a DB writer would be
      },
      { batchSize: 500, tmpDir, onProgress: (p) => progress.push(p.phase) },
    );

    expect(summary.sites).toBe(sites.length);
    expect(sites.length).toBeGreaterThanOrEqual(5000);
    expect(batchSizes.slice(0, -1).every((n) => n === 500)).toBe(true);
    expect(batchSizes.at(-1)).toBeLessThanOrEqual(500);
    expect(progress).toContain('download');
    expect(progress).toContain('parse');
    expect(await readdir(tmpDir)).toEqual([]);

    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    const topLevel = new Set(MARKETPLACE_CATEGORIES.map((c) => c.name));
    const seenTop = new Set(sites.map((s) => s.categoryPath[0]));
    expect(seenTop.size).toBe(topLevel.size);
    expect(summary.categories).toBeGreaterThan(100);
    for (const site of sites) {
      expect(site.categoryPath).toHaveLength(2);
      expect(topLevel.has(site.categoryPath[0]!)).toBe(true);
      expect(site.title).not.toBe('');
      expect(site.gravity).toBeGreaterThanOrEqual(0.1);
      expect(site.gravity).toBeLessThanOrEqual(500);
      expect(site.initialEarningsPerSale).toBeGreaterThanOrEqual(5);
      expect(site.averageEarningsPerSale).toBeLessThanOrEqual(200);
      expect(site.percentPerSale).toBeGreaterThanOrEqual(50);
      expect(site.popularityRank).toBeGreaterThanOrEqual(1);
      expect(site.activateDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (!site.hasRecurringProducts) expect(site.totalRebillAmt).toBe(0);
    }
    // Gravity is skewed like the real marketplace: most products low, a few very high.
    const gravities = sites.map((s) => s.gravity).sort((a, b) => a - b);
    expect(gravities[Math.floor(gravities.length / 2)]).toBeLessThan(5);
    expect(gravities.at(-1)).toBeGreaterThan(100);
    // Entities decode (& in names and descriptions).
    expect(seenTop.has('Cooking, Food & Wine')).toBe(true);
    expect(sites.some((s) => s.description.includes('&'))).toBe(true);
  });

  it('is generated deterministically', async () => {
    const served = Buffer.from(
      await (await fetch(`${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`)).arrayBuffer(),
    );
    // A fresh generation (bypassing the per-process cache) gives the same bytes.
    const fresh = await zipFeed(catalogXml(generateCatalog()));
    expect([fresh.length, fresh.equals(served)]).toEqual([served.length, true]);
  });

  it('reports a missing feed and a damaged download as typed errors', async () => {
    const missing = await caught(
      streamMarketplaceFeed(`${sandbox.url}/feeds/nope.zip`, async () => {}, { tmpDir }),
    );
    expect(missing).toMatchObject({ kind: 'not_found', status: 404, retryable: false });

    const junk = http.createServer((_req, res) => res.end('<html>not a zip</html>'));
    await new Promise<void>((resolve) => junk.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(junk.address() as AddressInfo).port}/feed.zip`;
      const damaged = await caught(streamMarketplaceFeed(url, async () => {}, { tmpDir }));
      expect(damaged).toMatchObject({ provider: 'clickbank', kind: 'unavailable', retryable: true });
      expect(damaged.plainMessage).toMatch(/marketplace feed could not be read/);
    } finally {
      junk.close();
    }
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('passes errors from the batch consumer through unchanged', async () => {
    const boom = new Error('database is down');
    await expect(
      streamMarketplaceFeed(`${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`, () => Promise.reject(boom), {
        tmpDir,
      }),
    ).rejects.toBe(boom);
    expect(await readdir(tmpDir)).toEqual([]);
  });
});
