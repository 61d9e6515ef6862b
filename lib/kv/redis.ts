import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { KeyValue, MessageHandler } from './types';

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
    async close() {
      handlers.clear();
      await Promise.allSettled([client.quit(), subscriber?.quit()]);
    },
  };
}
