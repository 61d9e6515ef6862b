import type { Logger } from '../../lib/logger';
import { encodeClickId } from '../../lib/analytics/tid';

interface Block {
  next: number;
  end: number;
  size: number;
}

export interface ClickIdAllocator {
  /** The next click id, at once; null when no leased block is left (the click is then recorded without one). */
  take(): string | null;
  /** Resolves when a block is in hand (or the lease failed). */
  ready(): Promise<void>;
}

/**
 * Hands out click ids from blocks leased from the database (hi/lo): the redirect never waits for a lease, the
 * next block is leased when half of the current one is used, and a crash only skips the rest of a block.
 */
export function createClickIdAllocator(
  lease: () => Promise<{ first: number; count: number }>,
  logger: Logger,
): ClickIdAllocator {
  let current: Block | null = null;
  let spare: Block | null = null;
  let leasing: Promise<void> | null = null;
  let lastFailureLog = 0;
  let retryAt = 0;

  function leaseNext(): Promise<void> {
    // After a failed lease, wait a moment: a database that is down is not asked once per click.
    if (!leasing && Date.now() < retryAt) return Promise.resolve();
    leasing ??= lease()
      .then(({ first, count }) => {
        const block = { next: first, end: first + count, size: count };
        if (!current || current.next >= current.end) current = block;
        else spare = block;
      })
      .catch((err: unknown) => {
        retryAt = Date.now() + 1000;
        // Every click asks again while none is left: say so once a minute, not once a click.
        if (Date.now() - lastFailureLog > 60_000) {
          lastFailureLog = Date.now();
          logger.warn({ err }, 'could not lease click ids; clicks are recorded without an id meanwhile');
        }
      })
      .finally(() => {
        leasing = null;
      });
    return leasing;
  }

  return {
    take() {
      if ((!current || current.next >= current.end) && spare) {
        current = spare;
        spare = null;
      }
      if (!current || current.next >= current.end) {
        void leaseNext();
        return null;
      }
      const n = current.next++;
      if (!spare && current.end - current.next <= current.size / 2) void leaseNext();
      return encodeClickId(n);
    },
    ready: () => (current ? Promise.resolve() : leaseNext()),
  };
}
