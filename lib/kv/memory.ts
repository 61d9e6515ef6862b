import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { KeyValue, MessageHandler, RateLimiterOptions } from './types';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/** In-process stand-in for Redis: only valid while api and worker share one process (embedded default). */
export function createMemoryKeyValue(): KeyValue {
  const entries = new Map<string, Entry>();
  /** acquireSlot: per key, each held slot's token and when it expires (ms). */
  const slots = new Map<string, Map<string, number>>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    kind: 'memory',
    ping: () => Promise.resolve(),
    get: (key) => Promise.resolve(live(key)?.value ?? null),
    set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: ttlSeconds ? Date.now() + ttlSeconds * 1000 : null });
      return Promise.resolve();
    },
    del(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    publish(channel, message) {
      // Deliver asynchronously, as Redis would, so publishers never run subscriber code inline.
      setImmediate(() => bus.emit(channel, message));
      return Promise.resolve();
    },
    subscribe(channel, handler: MessageHandler) {
      bus.on(channel, handler);
      return Promise.resolve(() => {
        bus.off(channel, handler);
        return Promise.resolve();
      });
    },
    createRateLimiter: (opts: RateLimiterOptions) => new RateLimiterMemory(opts),
    acquireSlot(key, limit, ttlSeconds) {
      const now = Date.now();
      const held = slots.get(key) ?? new Map<string, number>();
      for (const [token, expiresAt] of held) if (expiresAt <= now) held.delete(token);
      if (held.size >= limit) return Promise.resolve(null);
      const token = randomUUID();
      held.set(token, now + ttlSeconds * 1000);
      slots.set(key, held);
      return Promise.resolve(token);
    },
    releaseSlot(key, token) {
      const held = slots.get(key);
      held?.delete(token);
      if (held?.size === 0) slots.delete(key);
      return Promise.resolve();
    },
    close() {
      entries.clear();
      slots.clear();
      bus.removeAllListeners();
      return Promise.resolve();
    },
  };
}
