import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { KeyValue, MessageHandler } from './types';

/**
 * acquireSlot in one atomic step: a sorted set of slot tokens scored by when each expires (the server's clock, so
 * API processes on different hosts agree). Expired slots are dropped, then a new one is added if fewer than the
 * limit remain. The key itself expires with its last possible slot.
 */
const ACQUIRE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1`;

/** Redis-backed KeyValue. Pub/sub uses a second connection because a subscribed connection can do nothing else. */
export async function createRedisKeyValue(url: string): Promise<KeyValue> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await client.connect();
  let subscriber: Redis | null = null;
  const handlers = new Map<string, Set<MessageHandler>>();

  const getSubscriber = async (): Promise<Redis> => {
    if (subscriber) return subscriber;
    const sub = client.duplicate({ lazyConnect: true });
    await sub.connect();
    sub.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message);
    });
    subscriber = sub;
    return sub;
  };

  return {
    kind: 'redis',
    async ping() {
      await client.ping();
    },
    get: (key) => client.get(key),
    async set(key, value, ttlSeconds) {
      if (ttlSeconds) await client.set(key, value, 'EX', ttlSeconds);
      else await client.set(key, value);
    },
    async del(key) {
      await client.del(key);
    },
    async publish(channel, message) {
      await client.publish(channel, message);
    },
    async subscribe(channel, handler) {
      const sub = await getSubscriber();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await sub.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(channel);
        if (!current?.delete(handler) || current.size > 0) return;
        handlers.delete(channel);
        await sub.unsubscribe(channel);
      };
    },
    createRateLimiter: (opts) => new RateLimiterRedis({ ...opts, storeClient: client }),
    async acquireSlot(key, limit, ttlSeconds) {
      const token = randomUUID();
      const taken = await client.eval(ACQUIRE_SLOT, 1, key, limit, Math.ceil(ttlSeconds * 1000), token);
      return taken === 1 ? token : null;
    },
    async releaseSlot(key, token) {
      await client.zrem(key, token);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([client.quit(), subscriber?.quit()]);
    },
  };
}
