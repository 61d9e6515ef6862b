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
  close(): Promise<void>;
}
