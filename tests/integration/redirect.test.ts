import http from 'node:http';
import type { Knex } from 'knex';
import pino from 'pino';
import { startApiServer, type RunningApi } from '../../api/server';
import { attributeTid } from '../../data/analytics';
import { createDb } from '../../db/connection';
import type { Config } from '../../lib/config';
import { createTestApi, type TestApi } from '../support/api';
import { given } from '../support/fixtures';

interface Hit {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

/** One raw request (node:http, so Referer and any User-Agent go out as given). */
function hit(base: string, path: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Hit>((resolve, reject) => {
    const req = http.request(
      new URL(path, base),
      { method: opts.method ?? 'GET', headers: opts.headers, agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const DESKTOP_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

interface ClickRow {
  click_id: string | null;
  link_id: string;
  source: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  referrer_host: string | null;
  device: string | null;
  browser: string | null;
  country: string | null;
  visitor_key: string | null;
  is_unique: boolean;
  bot_reason: string | null;
}

const clicksOf = (db: Knex, campaignId: string) =>
  db('analytics_events')
    .where({ campaign_id: campaignId, type: 'click' })
    .orderBy('occurred_at')
    .select<ClickRow[]>();

const rollupOf = (db: Knex, campaignId: string, dimension = 'all', value = '') =>
  db('analytics_rollups')
    .where({ campaign_id: campaignId, basis: 'click', dimension, value })
    .first<{ clicks: number; unique_clicks: number; bot_clicks: number } | undefined>([
      'clicks',
      'unique_clicks',
      'bot_clicks',
    ]);

describe('tracking link redirect /r/{slug}', () => {
  let api: TestApi;
  let server: RunningApi;

  /** A server on the test database with the given click settings (the click buffer is flushed by the test). */
  async function start(overrides: Partial<Config['clicks']> = {}, trustProxy = false): Promise<RunningApi> {
    const config: Config = {
      ...api.config,
      api: { ...api.config.api, port: 0, trustProxy },
      clicks: { ...api.config.clicks, countryHeader: 'cf-ipcountry', flushIntervalMs: 60_000, ...overrides },
    };
    return startApiServer({ ...api.deps, config });
  }

  /** A new campaign made through the API, and the slug of its primary tracking link. */
  async function campaignWithLink() {
    const owner = await given.userWithCampaign(api, { label: 'redirect-owner' });
    const link = await api
      .db('tracking_links')
      .where({ campaign_id: owner.campaign.id, is_primary: true })
      .first<{ id: string; slug: string }>(['id', 'slug']);
    const { click_prefix: prefix } = await api
      .db('campaigns')
      .where({ id: owner.campaign.id })
      .first<{ click_prefix: string }>('click_prefix');
    return { ...owner, link: link, prefix };
  }

  beforeAll(async () => {
    api = await createTestApi();
    server = await start({}, true);
  });
  afterAll(async () => {
    await server?.close();
    agent.destroy();
    await api?.close();
  });

  it('answers 302 to the HopLink with the click tid and stores the click with its dimensions', async () => {
    const { campaign, link, prefix, teamId } = await campaignWithLink();
    const res = await hit(server.url, `/r/${link.slug}?s1=ad-42&s2=spring%20sale&s3=v2&src=YouTube`, {
      headers: {
        'User-Agent': IPHONE_SAFARI,
        Referer: 'https://www.YouTube.com/watch?v=abc',
        'CF-IPCountry': 'de',
        'X-Forwarded-For': '203.0.113.7',
      },
    });
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const target = new URL(res.headers.location!);
    const hoplink = new URL(campaign.hoplink);
    expect(target.origin + target.pathname).toBe(hoplink.origin + hoplink.pathname);
    expect(target.searchParams.get('affiliate')).toBe(hoplink.searchParams.get('affiliate'));
    expect(target.searchParams.get('vendor')).toBe(hoplink.searchParams.get('vendor'));
    const tid = target.searchParams.get('tid')!;
    expect(tid).toMatch(new RegExp(`^${prefix}[a-z0-9]{8}$`));
    expect(tid.length).toBeLessThanOrEqual(24);

    await server.redirect.flush();
    const [click] = await clicksOf(api.db, campaign.id);
    expect(click).toMatchObject({
      click_id: tid.slice(prefix.length),
      link_id: link.id,
      source: 'youtube',
      sub1: 'ad-42',
      sub2: 'spring sale',
      sub3: 'v2',
      referrer_host: 'youtube.com',
      device: 'mobile',
      browser: 'Safari',
      country: 'DE',
      is_unique: true,
      bot_reason: null,
    });
    // A key, never the address.
    expect(click!.visitor_key).toMatch(/^[\w-]{22}$/);
    const stored = JSON.stringify(await api.db('analytics_events').where({ campaign_id: campaign.id }));
    expect(stored).not.toContain('203.0.113.7');
    expect(await rollupOf(api.db, campaign.id)).toEqual({ clicks: 1, unique_clicks: 1, bot_clicks: 0 });
    expect(await rollupOf(api.db, campaign.id, 'source', 'youtube')).toMatchObject({ clicks: 1 });
    expect(await rollupOf(api.db, campaign.id, 'country', 'DE')).toMatchObject({ clicks: 1 });
    // The tid as ClickBank may send it back (upper case) leads to this click and its sub-ids.
    expect(await attributeTid(api.db, teamId, tid.toUpperCase())).toMatchObject({
      campaignId: campaign.id,
      clickId: click!.click_id,
      click: { sub1: 'ad-42', source: 'youtube', country: 'DE' },
    });
  });

  it('redirects HEAD requests and bots but counts them as bot clicks, not clicks', async () => {
    const { campaign, link } = await campaignWithLink();
    const head = await hit(server.url, `/r/${link.slug}`, {
      method: 'HEAD',
      headers: { 'User-Agent': DESKTOP_CHROME },
    });
    const preview = await hit(server.url, `/r/${link.slug}`, {
      headers: { 'User-Agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
    });
    const crawler = await hit(server.url, `/r/${link.slug}`, {
      headers: { 'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    });
    const script = await hit(server.url, `/r/${link.slug}`);
    for (const res of [head, preview, crawler, script]) {
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^https:\/\/hop\.clickbank\.net\//);
    }
    await server.redirect.flush();
    const clicks = await clicksOf(api.db, campaign.id);
    expect(clicks.map((c) => c.bot_reason).sort()).toEqual(['bot', 'bot', 'head', 'no_user_agent']);
    expect(clicks.every((c) => c.visitor_key === null && c.is_unique === false)).toBe(true);
    expect(await rollupOf(api.db, campaign.id)).toEqual({ clicks: 0, unique_clicks: 0, bot_clicks: 4 });
  });

  it('answers an unknown slug with a friendly 404 page, and other methods with 405', async () => {
    for (const path of ['/r/no-such-link-here', '/r/NO-SUCH-LINK-HERE/', '/r/x', '/r/a/b/c', '/r/%00%ff']) {
      const res = await hit(server.url, path, { headers: { 'User-Agent': DESKTOP_CHROME } });
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('This link does not lead anywhere');
      expect(res.body).toContain('name="viewport"');
    }
    const { link } = await campaignWithLink();
    const post = await hit(server.url, `/r/${link.slug}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    // Express still answers everything else, /metrics with the redirect's figures.
    expect((await hit(server.url, '/healthz')).status).toBe(200);
    await server.redirect.flush();
    const metrics = (await hit(server.url, '/metrics')).body;
    const figure = (name: string) =>
      Number(
        metrics
          .split('\n')
          .find((line) => line.startsWith(`${name} `))
          ?.slice(name.length + 1),
      );
    expect(figure('tracking_link_requests_total{outcome="unknown"}')).toBeGreaterThanOrEqual(5);
    expect(figure('tracking_link_requests_total{outcome="redirected"}')).toBeGreaterThan(0);
    expect(figure('clicks_total{outcome="written"}')).toBe(server.redirect.stats().written);
    expect(figure('click_buffer_pending')).toBe(0);
  });

  it('cleans hostile sub-ids, sources and referrers instead of failing', async () => {
    const { campaign, link } = await campaignWithLink();
    const long = 'x'.repeat(5000);
    const emoji = `${'a'.repeat(99)}😀tail`;
    const queries = [
      `s1=%00nul%00&s2=${long}&s3=%FF%FE`,
      `s1=${encodeURIComponent(emoji)}&s1=second&src=Bad%20Source!`,
      `s1=%ED%A0%80lone&s2=%0D%0Acrlf&s3=%20%20&src=${'a'.repeat(40)}`,
      `s1=%E2%80%AE%7F%C2%85ok&src=email`,
    ];
    for (const q of queries) {
      const res = await hit(server.url, `/r/${link.slug}?${q}`, {
        headers: { 'User-Agent': DESKTOP_CHROME, Referer: 'javascript:alert(1)//not-a-page' },
      });
      expect(res.status).toBe(302);
    }
    const bad = await hit(server.url, `/r/${link.slug}?s1=ok`, {
      headers: { 'User-Agent': DESKTOP_CHROME, Referer: 'not a url at all' },
    });
    expect(bad.status).toBe(302);
    await server.redirect.flush();
    const clicks = await clicksOf(api.db, campaign.id);
    expect(clicks).toHaveLength(5);
    const bySub1 = clicks.map((c) => [c.sub1, c.sub2, c.sub3, c.source]);
    expect(bySub1).toEqual(
      expect.arrayContaining([
        ['nul', 'x'.repeat(100), '\uFFFD\uFFFD', 'direct'],
        [`${'a'.repeat(99)}😀`, null, null, 'direct'],
        ['\uFFFD\uFFFD\uFFFDlone', 'crlf', null, 'direct'],
        ['\u202Eok', null, null, 'email'],
        ['ok', null, null, 'direct'],
      ]),
    );
    expect(clicks.every((c) => c.referrer_host === null)).toBe(true);
  });

  it('counts one unique click per visitor (address and browser) per campaign and day', async () => {
    const { campaign, link } = await campaignWithLink();
    const visit = (ip: string, ua: string) =>
      hit(server.url, `/r/${link.slug}`, { headers: { 'User-Agent': ua, 'X-Forwarded-For': ip } });
    await visit('198.51.100.1', DESKTOP_CHROME);
    await visit('198.51.100.1', DESKTOP_CHROME);
    await server.redirect.flush();
    // A repeat in a later batch is still a repeat.
    await visit('198.51.100.1', DESKTOP_CHROME);
    await visit('198.51.100.1', IPHONE_SAFARI);
    await visit('198.51.100.2', DESKTOP_CHROME);
    await server.redirect.flush();
    const clicks = await clicksOf(api.db, campaign.id);
    expect(clicks.map((c) => c.is_unique)).toEqual([true, false, false, true, true]);
    expect(new Set(clicks.map((c) => c.visitor_key)).size).toBe(3);
    expect(await rollupOf(api.db, campaign.id)).toEqual({ clicks: 5, unique_clicks: 3, bot_clicks: 0 });
  });

  it('loses no click on graceful shutdown', async () => {
    const { campaign, link } = await campaignWithLink();
    // Nothing is written before close(): the interval is long and batches are bigger than the clicks sent.
    const own = await start({ flushIntervalMs: 600_000, batchSize: 100_000 });
    const total = 3000;
    const tids = new Set<string>();
    for (let sent = 0; sent < total; sent += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, () =>
          hit(own.url, `/r/${link.slug}?s1=load`, { headers: { 'User-Agent': DESKTOP_CHROME } }),
        ),
      );
      for (const res of batch) tids.add(new URL(res.headers.location!).searchParams.get('tid')!);
    }
    expect(tids.size).toBe(total);
    expect(own.redirect.stats()).toMatchObject({ pending: total, written: 0 });
    await own.close();
    expect(own.redirect.stats()).toMatchObject({ pending: 0, written: total, dropped: 0, redirected: total });
    const stored = await api
      .db('analytics_events')
      .where({ campaign_id: campaign.id, type: 'click' })
      .count('* as count')
      .first<{ count: string }>();
    expect(Number(stored.count)).toBe(total);
    expect(await rollupOf(api.db, campaign.id)).toMatchObject({ clicks: total });
  });

  it('drops only the click the database refuses: a campaign deleted while its link was cached', async () => {
    const gone = await campaignWithLink();
    const kept = await campaignWithLink();
    const own = await start({ batchSize: 100_000 });
    try {
      // Both links are cached now; then one campaign is deleted.
      await hit(own.url, `/r/${gone.link.slug}`, { headers: { 'User-Agent': DESKTOP_CHROME } });
      await hit(own.url, `/r/${kept.link.slug}`, { headers: { 'User-Agent': DESKTOP_CHROME } });
      await own.redirect.flush();
      await api.db('campaigns').where({ id: gone.campaign.id }).delete();
      for (let i = 0; i < 5; i++) {
        await hit(own.url, `/r/${kept.link.slug}?s1=n${i}`, { headers: { 'User-Agent': DESKTOP_CHROME } });
        await hit(own.url, `/r/${gone.link.slug}?s1=n${i}`, { headers: { 'User-Agent': DESKTOP_CHROME } });
      }
      await own.redirect.flush();
      expect(await clicksOf(api.db, kept.campaign.id)).toHaveLength(6);
      expect(own.redirect.stats()).toMatchObject({ pending: 0, dropped: 5 });
    } finally {
      await own.close();
    }
  });
});

describe('tracking link redirect while the database is down', () => {
  it('keeps redirecting known links from the cache, holds clicks up to the cap and counts the rest', async () => {
    const api = await createTestApi();
    // Its own pool, so the test can take the database away from this server alone.
    const db = createDb(api.config);
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const config: Config = {
      ...api.config,
      api: { ...api.config.api, port: 0 },
      // Every entry is stale at once, so each click asks the database again (and must fall back to the cache).
      clicks: { ...api.config.clicks, linkCacheMs: 1, flushIntervalMs: 50, bufferMax: 40, batchSize: 10 },
    };
    const server = await startApiServer({ ...api.deps, db, config, logger });
    try {
      const { campaign } = await given.userWithCampaign(api, { label: 'redirect-down' });
      const { slug } = await api
        .db('tracking_links')
        .where({ campaign_id: campaign.id })
        .first<{ slug: string }>('slug');
      expect(
        (await hit(server.url, `/r/${slug}`, { headers: { 'User-Agent': DESKTOP_CHROME } })).status,
      ).toBe(302);
      await server.redirect.flush();
      await db.destroy();

      const tids = new Set<string>();
      for (let i = 0; i < 60; i++) {
        const res = await hit(server.url, `/r/${slug}`, { headers: { 'User-Agent': DESKTOP_CHROME } });
        expect(res.status).toBe(302);
        tids.add(new URL(res.headers.location!).searchParams.get('tid')!);
      }
      // Click ids come from the block leased before: every click still has its own tid.
      expect(tids.size).toBe(60);
      // One team may hold 80% of the buffer (32 of 40); the rest stays free for other teams' clicks.
      expect(server.redirect.stats()).toMatchObject({ pending: 32, written: 1, dropped: 28 });
      // An unknown slug cannot be looked up: a 503 page, not a 500.
      expect((await hit(server.url, '/r/never-seen-before')).status).toBe(503);
    } finally {
      await server.close();
      await api.close();
    }
    // close() gave up on what the database could not take, and said so.
    expect(logged.some((line) => line.includes('fill its share of the click buffer'))).toBe(true);
    expect(logged.some((line) => line.includes('they are lost'))).toBe(true);
  }, 30_000);
});
