import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { findRedirectLink, type RedirectLink } from '../../data/tracking-links';

/** A link ready to answer: its HopLink cut around the tid value, so a click's target is two concatenations. */
export interface CachedLink extends RedirectLink {
  tidBefore: string;
  tidAfter: string;
}

const UNKNOWN = { unknown: true } as const;
type Entry = CachedLink | typeof UNKNOWN;

/** An unknown slug is asked again after this long: a link made a moment ago starts working soon. */
const UNKNOWN_TTL_MS = 5_000;
const TID_MARK = 'hopflowtidmark';

function prepare(link: RedirectLink): CachedLink | null {
  let target: string;
  try {
    const url = new URL(link.hoplink);
    url.searchParams.set('tid', TID_MARK);
    target = url.toString();
  } catch {
    return null;
  }
  const at = target.indexOf(TID_MARK);
  return { ...link, tidBefore: target.slice(0, at), tidAfter: target.slice(at + TID_MARK.length) };
}

export interface LinkCache {
  /**
   * At once from memory: the link (null: no such slug), or undefined when the slug is not cached. A stale entry
   * is returned and refreshed in the background.
   */
  peek(slug: string): CachedLink | null | undefined;
  /** The link behind a slug, null when there is none; rejects only when the database fails and nothing is cached. */
  get(slug: string): Promise<CachedLink | null>;
}

const linkOf = (entry: Entry | undefined): CachedLink | null | undefined =>
  entry === undefined ? undefined : 'unknown' in entry ? null : entry;

/**
 * Tracking links by slug, in memory: fresh for `ttlMs`, then served stale while one read refreshes them in the
 * background (a redirect never waits for PostgreSQL once a link is known, and keeps working when it is down);
 * concurrent misses of one slug share one query; unknown slugs are remembered briefly too.
 */
export function createLinkCache(db: Knex, opts: { ttlMs: number; max?: number }): LinkCache {
  const cache = new LRUCache<string, Entry>({
    max: opts.max ?? 50_000,
    ttl: opts.ttlMs,
    // A stale link is answered at once while one background read refreshes it; when that read fails the stale
    // entry stays. With nothing cached, a failed read rejects (the visitor gets a 503 page, not a wrong 404).
    allowStale: true,
    noDeleteOnStaleGet: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: async (slug, _stale, { options }) => {
      const found = await findRedirectLink(db, slug);
      const link = found && prepare(found);
      if (link) return link;
      options.ttl = Math.min(UNKNOWN_TTL_MS, opts.ttlMs);
      return UNKNOWN;
    },
  });
  return {
    peek(slug) {
      const status: LRUCache.Status<string, Entry> = {};
      const entry = cache.get(slug, { status });
      // fetch() on a stale entry answers it and starts one refresh (shared by every caller meanwhile).
      if (status.get === 'stale') void cache.fetch(slug).catch(() => undefined);
      return linkOf(entry);
    },
    async get(slug) {
      return linkOf(await cache.fetch(slug)) ?? null;
    },
  };
}
