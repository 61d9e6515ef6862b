import pino from 'pino';
import { createClickIdAllocator } from './click-ids';

const logger = pino({ level: 'silent' });

describe('click id allocator', () => {
  it('leases the next block at half of the current one and moves on to it without a gap', async () => {
    const leases: number[] = [];
    let first = 1000;
    const ids = createClickIdAllocator(() => {
      leases.push(first);
      const block = { first, count: 4 };
      first += 1000;
      return Promise.resolve(block);
    }, logger);
    await ids.ready();
    expect([ids.take(), ids.take()]).toEqual(['000000rs', '000000rt']);
    // Half used: the next block is asked for.
    await Promise.resolve();
    expect(leases).toEqual([1000, 2000]);
    await new Promise((r) => setImmediate(r));
    expect([ids.take(), ids.take(), ids.take()]).toEqual(['000000ru', '000000rv', '000001jk']);
  });

  it('answers null while no block can be leased, then recovers', async () => {
    let fail = true;
    const ids = createClickIdAllocator(
      () => (fail ? Promise.reject(new Error('database down')) : Promise.resolve({ first: 0, count: 10 })),
      logger,
    );
    await ids.ready();
    expect(ids.take()).toBeNull();
    fail = false;
    // A failed lease is not retried at once (the database is not asked once per click).
    expect(ids.take()).toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    ids.take();
    await new Promise((r) => setImmediate(r));
    expect(ids.take()).toBe('00000000');
  });
});
