import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import { leaseClickIds, saltsFor, writeClicks, type ClickRecord } from '../../data/analytics';
import { clickTid } from '../../lib/analytics/tid';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/logger';
import { localDay } from '../../lib/time-zones';
import { createClickBuffer, type ClickBufferStats } from './click-buffer';
import { createClickIdAllocator } from './click-ids';
import { createClientClassifier } from './client-class';
import { createLinkCache, type CachedLink } from './link-cache';
import { sendPage, unavailablePage, unknownLinkPage } from './pages';
import { clickParams, countryFrom, referrerHost, visitorAddress } from './request-fields';
import { createVisitorKeys } from './visitor-key';

const REDIRECT_BASE_PATH = '/r/';
const slugPattern = /^[a-z0-9][a-z0-9-]{2,39}$/;

export interface Redirect {
  /** Answers a request under /r/ and returns true; false for any other path (the Express app takes it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Leases click ids and loads the visitor salts; resolves when done or failed (the redirect works either way). */
  warm(): Promise<void>;
  /** Writes the clicks held now. */
  flush(): Promise<void>;
  /** Writes what is held and stops the timers; call after the http server stopped taking requests. */
  close(): Promise<void>;
  stats(): RedirectStats;
}

interface RedirectStats extends ClickBufferStats {
  /** Requests answered with a 302, and with the unknown-link page, since start. */
  redirected: number;
  unknown: number;
}

export interface RedirectDeps {
  config: Pick<Config, 'clicks' | 'api'>;
  db: Knex;
  logger: Logger;
}

/**
 * `GET|HEAD /r/{slug}`: a 302 to the campaign's HopLink carrying the click's own tid, answered from memory
 * (link cache, leased click ids, cached salts) while the click goes to a buffer written in batches.
 */
export function createRedirect(deps: RedirectDeps): Redirect {
  const { config, db, logger } = deps;
  const links = createLinkCache(db, { ttlMs: config.clicks.linkCacheMs });
  const clickIds = createClickIdAllocator(() => leaseClickIds(db), logger);
  const visitors = createVisitorKeys((days) => saltsFor(db, days), logger);
  const classify = createClientClassifier();
  const buffer = createClickBuffer({
    write: (clicks) => writeClicks(db, clicks),
    logger,
    intervalMs: config.clicks.flushIntervalMs,
    batchSize: config.clicks.batchSize,
    max: config.clicks.bufferMax,
  });

  // Days only change on a minute boundary in every zone in use: one Intl call per zone and minute, not per click.
  const days = new Map<string, { minute: number; day: string }>();
  function dayIn(zone: string, at: Date): string {
    const minute = Math.floor(at.getTime() / 60_000);
    let known = days.get(zone);
    if (known?.minute !== minute) {
      known = { minute, day: localDay(at, zone) };
      days.set(zone, known);
    }
    return known.day;
  }

  function record(req: IncomingMessage, link: CachedLink, query: string, clickId: string | null) {
    const occurredAt = new Date();
    const day = dayIn(link.timeZone, occurredAt);
    const userAgent = req.headers['user-agent'] ?? '';
    const client = classify(userAgent);
    const botReason = req.method === 'HEAD' ? 'head' : client.botReason;
    const params = clickParams(query);
    const click: ClickRecord = {
      teamId: link.teamId,
      campaignId: link.campaignId,
      linkId: link.linkId,
      clickId,
      occurredAt,
      day,
      // Bots are no visitors: no key, and no HMAC spent on them.
      visitorKey: botReason
        ? null
        : visitors.key(
            day,
            visitorAddress(req.headers, req.socket.remoteAddress, config.api.trustProxy),
            userAgent,
          ),
      botReason,
      source: params.source ?? link.source,
      sub1: params.sub1,
      sub2: params.sub2,
      sub3: params.sub3,
      device: client.device,
      browser: client.browser,
      country: countryFrom(req.headers, config.clicks.countryHeader),
      referrerHost: referrerHost(req.headers.referer),
    };
    buffer.push(click);
  }

  let redirected = 0;
  let unknown = 0;
  const unknownLink = (req: IncomingMessage, res: ServerResponse) => {
    unknown++;
    unknownLinkPage(req, res);
  };

  function redirectTo(req: IncomingMessage, res: ServerResponse, link: CachedLink, query: string) {
    redirected++;
    const clickId = clickIds.take();
    const target = clickId
      ? link.tidBefore + clickTid(link.clickPrefix, clickId) + link.tidAfter
      : link.hoplink;
    try {
      record(req, link, query, clickId);
    } catch (err) {
      // The visitor still goes where the link leads; only this click's record is lost.
      logger.error({ err, slug: link.slug }, 'could not record a click');
    }
    res.writeHead(302, {
      Location: target,
      'Cache-Control': 'no-store',
      // Neither ClickBank nor the vendor learns the tracking link (and its sub-ids) or the page before it.
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'Content-Length': '0',
    });
    res.end();
  }

  /** Only a slug not in memory waits for the database (once, shared by every request for it meanwhile). */
  async function lookUp(req: IncomingMessage, res: ServerResponse, slug: string, query: string) {
    let link: CachedLink | null;
    try {
      link = await links.get(slug);
    } catch (err) {
      logger.error({ err, slug }, 'could not look up a tracking link');
      return unavailablePage(req, res);
    }
    if (!link) return unknownLink(req, res);
    redirectTo(req, res, link, query);
  }

  function serve(req: IncomingMessage, res: ServerResponse, url: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPage(req, res, 405, 'Open this link in a browser', 'This address only opens as a link.', {
        Allow: 'GET, HEAD',
      });
      return;
    }
    const q = url.indexOf('?');
    let slug = (q < 0 ? url : url.slice(0, q)).slice(REDIRECT_BASE_PATH.length).toLowerCase();
    if (slug.endsWith('/')) slug = slug.slice(0, -1);
    if (!slugPattern.test(slug)) return unknownLink(req, res);
    const query = q < 0 ? '' : url.slice(q + 1);
    const cached = links.peek(slug);
    if (cached) return redirectTo(req, res, cached, query);
    if (cached === null) return unknownLink(req, res);
    lookUp(req, res, slug, query).catch((err: unknown) => failed(req, res, err));
  }

  function failed(req: IncomingMessage, res: ServerResponse, err: unknown) {
    logger.error({ err }, 'tracking link failed');
    if (!res.headersSent) unavailablePage(req, res);
  }

  return {
    handle(req, res) {
      const url = req.url ?? '';
      if (!url.startsWith(REDIRECT_BASE_PATH)) return false;
      try {
        serve(req, res, url);
      } catch (err) {
        failed(req, res, err);
      }
      return true;
    },
    async warm() {
      await Promise.all([clickIds.ready(), visitors.refresh()]);
    },
    flush: () => buffer.flush(),
    async close() {
      visitors.close();
      await buffer.close();
    },
    stats: () => ({ ...buffer.stats(), redirected, unknown }),
  };
}
