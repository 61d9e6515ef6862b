import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  /** Namespaces the counters so several limiters can share one store. */
  keyPrefix: string;
  /** Points allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
  /** Once the points are spent, block the key this many seconds (0 = until the window ends). */
  blockDuration?: number;
}

export type MessageHandler = (message: string) => void;

/**
 * The small key-value surface the platform needs from Redis: cache entries with a TTL, pub/sub for
 * live updates, and rate limiters. Redis in production; an in-process stand-in in the embedded default.
 */
export interface KeyValue {
  readonly kind: 'redis' | 'memory';
  ping(): Promise<void>;
  get(key: string): Promise<string | null>;
  /** ttlSeconds omitted -> the entry never expires. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(key: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes this handler. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  createRateLimiter(opts: RateLimiterOptions): RateLimiterAbstract;
  /**
   * A counting semaphore shared by every process on this store: takes one of `limit` slots under `key`, held at
   * most `ttlSeconds` (so the slot of a crashed holder frees itself). Resolves to the slot's token, or null when
   * all `limit` slots are taken.
   */
  acquireSlot(key: string, limit: number, ttlSeconds: number): Promise<string | null>;
  /** Gives back a slot of acquireSlot (nothing happens when it already expired). */
  releaseSlot(key: string, token: string): Promise<void>;
  close(): Promise<void>;
}
