import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { upsertProductBatch } from '../../data/catalog';
import type { MarketplaceSite } from '../../lib/integrations/adapters/clickbank';
import {
  bearer,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

/**
 * The products API on real PostgreSQL, on products written by the sync's own upsert. Every product here sits in
 * a category unique to this run, so other suites' products never show up in the assertions.
 */

interface Summary {
  id: string;
  clickbankId: string;
  title: string;
  categoryPath: string[];
  gravity: number;
  commissionRate: number;
  avgEarningsPerSale: number;
  leftFeedAt: string | null;
}

const tag =
  randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 8) || 'abcdef';
const top = `Catalogtest ${tag}`;
const sub = `Sub${tag}`;
const word = `zq${tag}`;
const COUNT = 60;

const site = (i: number): MarketplaceSite => ({
  id: `t${tag}${String(i).padStart(3, '0')}`,
  // Every 12th product is about aquariums (title or description), for the full-text checks.
  title: i % 12 === 0 ? `Aquarium Secrets ${i}` : `Product ${i} ${word}`,
  description: i % 12 === 6 ? `Everything about aquarium care ${word}` : `Plain description ${word}`,
  categoryPath: i % 2 === 0 ? [top, sub] : [top, 'Other'],
  // Few distinct values, so ties are broken by id across pages.
  gravity: (i % 5) * 10.5,
  commission: 50 + (i % 7),
  initialEarningsPerSale: i,
  averageEarningsPerSale: (i * 37) % 101,
  percentPerSale: 50,
  percentPerRebill: 0,
  totalRebillAmt: 0,
  referred: 0,
  hasRecurringProducts: i % 3 === 0,
  popularityRank: i + 1,
  activateDate: '2024-01-02',
});

describe('products API', () => {
  let api: TestApi;
  let user: RegisteredUser;
  const sites = Array.from({ length: COUNT }, (_, i) => site(i));

  const get = (path: string) => request(api.app).get(`/api/v1${path}`).set(bearer(user.accessToken));

  async function all(query: string, limit = 7): Promise<Summary[]> {
    const out: Summary[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res = await get(`/products?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(
        200,
      );
      const body = res.body as { products: Summary[]; nextCursor: string | null };
      expect(body.products.length).toBeLessThanOrEqual(limit);
      out.push(...body.products);
      cursor = body.nextCursor;
      if (!cursor) return out;
    }
    throw new Error('pagination did not end');
  }

  beforeAll(async () => {
    api = await createTestApi();
    user = await registerUser(api.app, 'products');
    expect(await upsertProductBatch(api.db, sites)).toBe(COUNT);
  });

  afterAll(async () => {
    await api.db('products').where('clickbank_id', 'like', `t${tag}%`).delete();
    await api.close();
  });

  it('needs a signed-in user', async () => {
    await request(api.app).get('/api/v1/products').expect(401);
  });

  it('filters by top-level category and by a subcategory', async () => {
    const inTop = await all(`category=${encodeURIComponent(top)}`);
    expect(inTop).toHaveLength(COUNT);
    const inSub = await all(`category=${encodeURIComponent(sub)}`);
    expect(inSub).toHaveLength(COUNT / 2);
    expect(inSub.every((p) => p.categoryPath[1] === sub)).toBe(true);
  });

  it('searches title and description (full text, stemmed)', async () => {
    const hits = await all(`q=${encodeURIComponent(`aquariums ${word}`)}`);
    // "aquariums" stems to aquarium, found in the title of some products and the description of others.
    expect(hits.map((p) => p.clickbankId).sort()).toEqual(
      sites.filter((s) => `${s.title} ${s.description}`.toLowerCase().includes('aquarium')).map((s) => s.id),
    );
    const titleHits = await all(
      `q=${encodeURIComponent('aquarium secrets')}&category=${encodeURIComponent(top)}`,
    );
    expect(titleHits.map((p) => p.clickbankId).sort()).toEqual(
      sites.filter((s) => s.title.startsWith('Aquarium')).map((s) => s.id),
    );
    const none = await get(`/products?q=${encodeURIComponent(`${word} nosuchwordatall`)}`).expect(200);
    expect(none.body).toEqual({ products: [], nextCursor: null, total: 0, totalCapped: false });
    // The page says how many match in all, not only how many it shows.
    const counted = await get(`/products?q=${encodeURIComponent(`aquariums ${word}`)}&limit=1`).expect(200);
    expect(counted.body).toMatchObject({ total: hits.length, totalCapped: false });
    expect((counted.body as { products: unknown[] }).products).toHaveLength(1);
  });

  const sortValue: Record<string, (p: Summary) => number | string> = {
    gravity: (p) => p.gravity,
    avg_earnings: (p) => p.avgEarningsPerSale,
    commission: (p) => p.commissionRate,
    title: (p) => p.title,
  };

  it.each(Object.keys(sortValue).flatMap((sort) => [`${sort} desc`, `${sort} asc`]))(
    'sorts by %s and pages completely and stably with the cursor',
    async (spec) => {
      const [sort, order] = spec.split(' ') as [string, 'asc' | 'desc'];
      const pages = await all(`category=${encodeURIComponent(top)}&sort=${sort}&order=${order}`);
      expect(new Set(pages.map((p) => p.id)).size).toBe(COUNT);
      const value = sortValue[sort]!;
      for (let i = 1; i < pages.length; i++) {
        const a = value(pages[i - 1]!);
        const b = value(pages[i]!);
        if (sort !== 'title') {
          expect(order === 'desc' ? a >= b : a <= b).toBe(true);
        }
        if (a === b) {
          // Ties fall back to id in the same direction, which is what keeps keyset pages stable.
          const [x, y] = [pages[i - 1]!.id, pages[i]!.id];
          expect(order === 'desc' ? x > y : x < y).toBe(true);
        }
      }
      // The whole list in one page is the same sequence.
      const one = await get(
        `/products?category=${encodeURIComponent(top)}&sort=${sort}&order=${order}&limit=100`,
      );
      expect((one.body as { products: Summary[] }).products.map((p) => p.id)).toEqual(pages.map((p) => p.id));
    },
  );

  it('lists top-level categories with counts', async () => {
    const res = await get('/products/categories').expect(200);
    const categories = (res.body as { categories: { name: string; count: number }[] }).categories;
    expect(categories).toContainEqual({ name: top, count: COUNT });
  });

  it('shows one product with its gravity history, and 404 for an unknown id', async () => {
    const [product] = await all(`category=${encodeURIComponent(top)}&sort=title&order=asc`, 1).then((p) =>
      p.filter((x) => x.clickbankId === sites[7]!.id),
    );
    expect(product).toBeDefined();
    await api.db.raw(
      `INSERT INTO product_gravity_daily (product_id, day, gravity)
       SELECT ?, (now() AT TIME ZONE 'utc')::date - n, 10 + n FROM generate_series(1, 3) n`,
      [product!.id],
    );
    const res = await get(`/products/${product!.id}`).expect(200);
    const body = res.body as {
      product: Summary & { raw: { id: string }; activateDate: string; popularityRank: number };
      gravityHistory: { day: string; gravity: number }[];
    };
    expect(body.product).toMatchObject({
      id: product!.id,
      clickbankId: sites[7]!.id,
      categoryPath: [top, 'Other'],
      activateDate: '2024-01-02',
      popularityRank: 8,
      leftFeedAt: null,
    });
    expect(body.product.raw.id).toBe(sites[7]!.id);
    expect(body.gravityHistory).toHaveLength(4);
    expect(body.gravityHistory.map((g) => g.gravity)).toEqual([13, 12, 11, sites[7]!.gravity]);
    expect([...body.gravityHistory.map((g) => g.day)].sort()).toEqual(body.gravityHistory.map((g) => g.day));

    const missing = await get(`/products/${randomUUID()}`).expect(404);
    expectErrorShape(missing.body, 'product_not_found');
  });

  it('hides products that left the feed unless includeLeft=true', async () => {
    await api.db('products').where({ clickbank_id: sites[1]!.id }).update({ left_feed_at: api.db.fn.now() });
    try {
      expect(await all(`category=${encodeURIComponent(top)}`)).toHaveLength(COUNT - 1);
      const withLeft = await all(`category=${encodeURIComponent(top)}&includeLeft=true`);
      expect(withLeft).toHaveLength(COUNT);
      expect(withLeft.find((p) => p.clickbankId === sites[1]!.id)?.leftFeedAt).toEqual(expect.any(String));
    } finally {
      await api.db('products').where({ clickbank_id: sites[1]!.id }).update({ left_feed_at: null });
    }
  });

  it('answers 400 with the field path for bad parameters', async () => {
    const bad = await get('/products?limit=0&sort=price&order=up').expect(400);
    expectErrorShape(bad.body, 'validation_failed');
    const paths = (bad.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['query.limit', 'query.sort', 'query.order']));

    await get('/products?limit=101').expect(400);
    const cursor = await get('/products?cursor=bm90LWEtY3Vyc29y').expect(400);
    expect((cursor.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'query.cursor',
    );
    // A title cursor is not a gravity cursor.
    const page = await get(`/products?category=${encodeURIComponent(top)}&sort=title&limit=1`).expect(200);
    const titleCursor = (page.body as { nextCursor: string }).nextCursor;
    await get(`/products?sort=gravity&cursor=${titleCursor}`).expect(400);

    const id = await get('/products/not-a-uuid').expect(400);
    expect((id.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'params.productId',
    );
  });
});
