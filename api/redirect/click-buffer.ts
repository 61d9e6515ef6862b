import type { ClickRecord } from '../../data/analytics';
import type { Logger } from '../../lib/logger';

export interface ClickBufferOptions {
  /** Writes one batch in one transaction (writeClicks): all of it or none. */
  write: (clicks: ClickRecord[]) => Promise<unknown>;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  /** Clicks held at most; more are dropped and counted while the database does not take them. */
  max: number;
  /**
   * Clicks one team may hold at most (default 80% of `max`): one team's flood while the database is away never
   * takes the whole buffer from the others, and an install with one team keeps most of it.
   */
  maxPerTeam?: number;
  /** How long close() keeps trying to write what is held. */
  closeTimeoutMs?: number;
}

export interface ClickBufferStats {
  pending: number;
  written: number;
  /** Over the cap, refused by the database one by one, or still held when close() gave up. */
  dropped: number;
}

export interface ClickBuffer {
  push(click: ClickRecord): void;
  /** Writes every click held now (tests, benches); rejects when the database fails. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is held, retrying until closeTimeoutMs; what is left is logged as lost. */
  close(): Promise<void>;
  stats(): ClickBufferStats;
}

/** A value PostgreSQL refused (class 22, data exception) or a constraint it broke (class 23): retrying won't help. */
const isDataError = (err: unknown): boolean =>
  typeof (err as { code?: unknown }).code === 'string' && /^2[23]/.test((err as { code: string }).code);

const LOG_EVERY_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Clicks wait here for a batched write: every intervalMs, or at once when a batch is full. When the database
 * fails, the batch goes back to the head and is tried again on the next tick; memory stays bounded by `max`.
 * A batch the database refuses for its data is split until the one bad click is found and dropped.
 */
export function createClickBuffer(opts: ClickBufferOptions): ClickBuffer {
  const { write, logger, batchSize, max } = opts;
  const maxPerTeam = opts.maxPerTeam ?? Math.max(1, Math.floor(max * 0.8));
  const heldByTeam = new Map<string, number>();
  const hold = (clicks: readonly ClickRecord[], sign: 1 | -1) => {
    for (const c of clicks) {
      const n = (heldByTeam.get(c.teamId) ?? 0) + sign;
      if (n > 0) heldByTeam.set(c.teamId, n);
      else heldByTeam.delete(c.teamId);
    }
  };
  // Batches of at most batchSize; the last one is still filling.
  const queue: ClickRecord[][] = [];
  let pending = 0;
  let written = 0;
  let dropped = 0;
  let droppedUnlogged = 0;
  let lastDropLog = 0;
  let lastFailureLog = 0;
  let pausedUntil = 0;
  let writing: Promise<void> | null = null;
  let closed = false;

  function noteDropped(n: number, why: string) {
    dropped += n;
    droppedUnlogged += n;
    if (Date.now() - lastDropLog >= LOG_EVERY_MS) {
      logger.error({ dropped: droppedUnlogged, droppedTotal: dropped, pending }, why);
      lastDropLog = Date.now();
      droppedUnlogged = 0;
    }
  }

  function takeBatch(partial: boolean): ClickRecord[] | undefined {
    const head = queue[0];
    if (!head || (head.length < batchSize && !partial)) return undefined;
    queue.shift();
    pending -= head.length;
    hold(head, -1);
    return head;
  }

  function putBack(batches: ClickRecord[][]) {
    for (const b of batches.reverse()) {
      queue.unshift(b);
      pending += b.length;
      hold(b, 1);
    }
  }

  /** Writes one batch, splitting it on a data error; on any other error puts back what is unwritten and throws. */
  async function writeBatch(batch: ClickRecord[]): Promise<void> {
    const stack = [batch];
    for (let b = stack.pop(); b; b = stack.pop()) {
      try {
        await write(b);
        written += b.length;
      } catch (err) {
        if (!isDataError(err)) {
          putBack([b, ...stack.reverse()]);
          throw err;
        }
        if (b.length === 1) {
          logger.error({ err, campaignId: b[0]!.campaignId }, 'the database refused a click; it is dropped');
          noteDropped(1, 'clicks refused by the database were dropped');
        } else {
          const mid = b.length >> 1;
          stack.push(b.slice(mid), b.slice(0, mid));
        }
      }
    }
  }

  async function drain(partial: boolean): Promise<void> {
    for (let batch = takeBatch(partial); batch; batch = takeBatch(partial)) await writeBatch(batch);
  }

  function kick(partial: boolean): Promise<void> {
    writing ??= drain(partial)
      .catch((err: unknown) => {
        pausedUntil = Date.now() + opts.intervalMs;
        if (Date.now() - lastFailureLog >= LOG_EVERY_MS) {
          lastFailureLog = Date.now();
          logger.warn({ err, pending }, 'could not write clicks; they are kept and tried again');
        }
        throw err;
      })
      .finally(() => {
        writing = null;
      });
    return writing;
  }

  const timer = setInterval(() => void kick(true).catch(() => undefined), opts.intervalMs);
  timer.unref();

  async function flushAll(): Promise<void> {
    // A write already under way may have left newer clicks behind it: go again until nothing is held.
    while (pending > 0 || writing) {
      await (writing ?? kick(true));
    }
  }

  return {
    push(click) {
      if (pending >= max) {
        noteDropped(
          1,
          'the click buffer is full (the database is not taking clicks): new clicks are dropped',
        );
        return;
      }
      if ((heldByTeam.get(click.teamId) ?? 0) >= maxPerTeam) {
        noteDropped(1, "one team's clicks fill its share of the click buffer: its new clicks are dropped");
        return;
      }
      let tail = queue[queue.length - 1];
      if (!tail || tail.length >= batchSize) queue.push((tail = []));
      tail.push(click);
      pending++;
      hold([click], 1);
      if (tail.length >= batchSize && !writing && !closed && Date.now() >= pausedUntil) {
        void kick(false).catch(() => undefined);
      }
    },
    flush: flushAll,
    async close() {
      closed = true;
      clearInterval(timer);
      const deadline = Date.now() + (opts.closeTimeoutMs ?? 10_000);
      for (;;) {
        try {
          await flushAll();
          return;
        } catch {
          if (Date.now() >= deadline) break;
          await sleep(250);
        }
      }
      const lost = pending;
      queue.length = 0;
      pending = 0;
      heldByTeam.clear();
      dropped += lost;
      logger.error({ lost }, 'could not write the held clicks before stopping; they are lost');
    },
    stats: () => ({ pending, written, dropped }),
  };
}
