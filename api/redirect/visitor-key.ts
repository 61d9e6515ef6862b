import { createHmac } from 'node:crypto';
import type { Logger } from '../../lib/logger';

const DAY_MS = 86_400_000;
const REFRESH_MS = 10 * 60_000;

/** Yesterday, today and tomorrow in UTC: every team's local day is one of them. */
function utcDaysAround(now: Date): string[] {
  return [-1, 0, 1].map((d) => new Date(now.getTime() + d * DAY_MS).toISOString().slice(0, 10));
}

export interface VisitorKeys {
  /**
   * The visitor's key for a team-local day: HMAC-SHA256 keyed by that day's salt over address and user agent
   * (128 bits, base64url). null while the day's salt is not loaded (then it is asked for).
   */
  key(day: string, address: string, userAgent: string): string | null;
  /** Loads the salts of the days around now; resolves even when the database fails (logged). */
  refresh(): Promise<void>;
  close(): void;
}

/**
 * Keeps the salts of yesterday, today and tomorrow (UTC) in memory and reloads them every few minutes, so a key
 * is computed without a query and tomorrow's salt is there before midnight anywhere.
 */
export function createVisitorKeys(
  load: (days: readonly string[]) => Promise<Map<string, Buffer>>,
  logger: Logger,
): VisitorKeys {
  let salts = new Map<string, Buffer>();
  let loading: Promise<void> | null = null;
  let retryAt = 0;

  function refresh(): Promise<void> {
    loading ??= load(utcDaysAround(new Date()))
      .then((loaded) => {
        salts = loaded;
      })
      .catch((err: unknown) => {
        retryAt = Date.now() + 10_000;
        logger.warn({ err }, 'could not load the visitor salts; unique clicks are not told apart meanwhile');
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  timer.unref();

  return {
    key(day, address, userAgent) {
      const salt = salts.get(day);
      if (!salt) {
        if (!loading && Date.now() >= retryAt) {
          retryAt = Date.now() + 1000;
          void refresh();
        }
        return null;
      }
      // One update: making the HMAC object is most of the cost, each update adds a little more.
      return createHmac('sha256', salt)
        .update(`${address}\n${userAgent}`)
        .digest()
        .subarray(0, 16)
        .toString('base64url');
    },
    refresh,
    close: () => clearInterval(timer),
  };
}
