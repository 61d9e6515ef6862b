import { RateLimiterRes } from 'rate-limiter-flexible';
import { loadConfig } from '../../lib/config';
import { createKeyValue, createMemoryKeyValue, type KeyValue } from '../../lib/kv';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same behaviour from both KeyValue implementations: real Redis (db 9) and the in-process stand-in. */
describe.each([
  ['redis', () => createKeyValue(loadConfig())],
  ['memory', () => Promise.resolve(createMemoryKeyValue())],
])('KeyValue (%s)', (kind, create) => {
  let kv: KeyValue;
  const prefix = `kvtest:${Date.now()}:${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    kv = await create();
  });
  afterAll(async () => {
    await kv.close();
  });

  it('reports its kind and answers ping', async () => {
    expect(kv.kind).toBe(kind);
    await expect(kv.ping()).resolves.toBeUndefined();
  });

  it('gets, sets with a TTL and deletes', async () => {
    await kv.set(`${prefix}:a`, 'one');
    expect(await kv.get(`${prefix}:a`)).toBe('one');
    await kv.set(`${prefix}:short`, 'gone soon', 1);
    expect(await kv.get(`${prefix}:short`)).toBe('gone soon');
    await sleep(1100);
    expect(await kv.get(`${prefix}:short`)).toBeNull();
    await kv.del(`${prefix}:a`);
    expect(await kv.get(`${prefix}:a`)).toBeNull();
  });

  it('delivers published messages to subscribers until they unsubscribe', async () => {
    const channel = `${prefix}:events`;
    const received: string[] = [];
    const unsubscribe = await kv.subscribe(channel, (m) => received.push(m));
    await kv.publish(channel, 'hello');
    for (let i = 0; i < 50 && received.length === 0; i++) await sleep(20);
    expect(received).toEqual(['hello']);
    await unsubscribe();
    await kv.publish(channel, 'nobody listens');
    await sleep(100);
    expect(received).toEqual(['hello']);
  });

  it('hands out at most `limit` slots per key until one is released or expires', async () => {
    const key = `${prefix}:slots`;
    const first = await kv.acquireSlot(key, 2, 60);
    const second = await kv.acquireSlot(key, 2, 60);
    expect(first).toEqual(expect.any(String));
    expect(second).toEqual(expect.any(String));
    expect(await kv.acquireSlot(key, 2, 60)).toBeNull();
    expect(await kv.acquireSlot(`${key}:other`, 2, 60)).toEqual(expect.any(String));
    await kv.releaseSlot(key, first!);
    await kv.releaseSlot(key, first!); // twice is harmless
    const third = await kv.acquireSlot(key, 2, 60);
    expect(third).toEqual(expect.any(String));
    expect(await kv.acquireSlot(key, 2, 60)).toBeNull();
    // A holder that never releases (a crashed process) loses its slot after the TTL.
    const shortKey = `${key}:short`;
    expect(await kv.acquireSlot(shortKey, 1, 0.2)).toEqual(expect.any(String));
    expect(await kv.acquireSlot(shortKey, 1, 0.2)).toBeNull();
    await sleep(300);
    expect(await kv.acquireSlot(shortKey, 1, 0.2)).toEqual(expect.any(String));
  });

  it('creates rate limiters that reject past the limit', async () => {
    const limiter = kv.createRateLimiter({ keyPrefix: `${prefix}:rl`, points: 2, duration: 60 });
    await limiter.consume('k');
    await limiter.consume('k');
    const rejection = (await limiter.consume('k').catch((e: unknown) => e)) as RateLimiterRes;
    expect(rejection).toBeInstanceOf(RateLimiterRes);
    expect(rejection.msBeforeNext).toBeGreaterThan(0);
    await limiter.delete('k');
    await expect(limiter.consume('k')).resolves.toBeInstanceOf(RateLimiterRes);
  });
});
