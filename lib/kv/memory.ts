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
    close() {
      entries.clear();
      bus.removeAllListeners();
      return Promise.resolve();
    },
  };
}
