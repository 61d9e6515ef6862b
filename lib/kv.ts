import type { Config } from './config';
import { createMemoryKeyValue } from './kv/memory';
import { createRedisKeyValue } from './kv/redis';
import type { KeyValue } from './kv/types';

export type { KeyValue } from './kv/types';
export { createMemoryKeyValue } from './kv/memory';

/** Redis when REDIS_URL is set, otherwise the in-process stand-in (embedded default, single process). */
export async function createKeyValue(config: Pick<Config, 'redis'>): Promise<KeyValue> {
  return config.redis.url ? createRedisKeyValue(config.redis.url) : createMemoryKeyValue();
}
