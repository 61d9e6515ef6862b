import type { RequestHandler } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../../lib/config';
import { tooManyRequests } from '../../lib/errors';
import type { KeyValue } from '../../lib/kv';
import { clientAddress } from './client-info';
import { sendPublicPage } from './public-page';

export interface RateLimitOptions {
  /** Names this door's counters (one budget per door and client address). */
  name: string;
  limit: RateLimit;
  /** The 429 message. */
  message: string;
  /** Only these methods count (default: all). */
  methods?: string[];
  /**
   * Doors people open in a browser (links in emails): a refused GET answers a small HTML page with this title
   * and the message, instead of JSON. Other methods (one-click POST, HEAD) keep the JSON error.
   */
  pageTitle?: string;
  /** Mounted with app.use(path): count only the path itself, not the paths below it. */
  exactPath?: boolean;
}

/**
 * Counts every request per client address in the shared store (Redis across processes); past the limit the
 * request is answered 429 rate_limited with Retry-After, before its body is read.
 */
export function rateLimit(kv: KeyValue, opts: RateLimitOptions): RequestHandler {
  const limiter = kv.createRateLimiter({
    keyPrefix: `limit_${opts.name}`,
    points: opts.limit.points,
    duration: opts.limit.windowSeconds,
  });
  const methods = opts.methods?.map((m) => m.toUpperCase());
  return async (req, res, next) => {
    if ((methods && !methods.includes(req.method)) || (opts.exactPath && req.path !== '/')) {
      next();
      return;
    }
    try {
      await limiter.consume(clientAddress(req));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const refusal = tooManyRequests(err.msBeforeNext / 1000, opts.message);
      if (opts.pageTitle !== undefined && req.method === 'GET') {
        for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
        sendPublicPage(res, 429, opts.pageTitle, opts.message);
        return;
      }
      throw refusal;
    }
    next();
  };
}
