import type { KeyValue } from '../kv';

/**
 * Live text of a content item's streamed steps (draft, polish) over the kv bus, with a durable snapshot so
 * a late or reconnecting reader can replay.
 *
 * Sequence numbers are monotonic per content item across revisions: a retried or revised step starts a new
 * revision with a `reset` message, so a reader never mixes text of an abandoned attempt with the new one.
 * The snapshot is written BEFORE each message is published; a reader that subscribes first and then reads the
 * snapshot therefore misses nothing (duplicates are dropped by seq).
 */

export const contentChannel = (contentId: string): string => `content:${contentId}`;
const snapshotKey = (contentId: string): string => `content:${contentId}:stream`;

/** Streams are only interesting while someone may still be watching. */
const SNAPSHOT_TTL_SECONDS = 24 * 60 * 60;

export interface StreamSnapshot {
  revision: number;
  step: string;
  /** seq of the revision's reset; its first chunk has resetSeq + 1. */
  resetSeq: number;
  chunks: string[];
}

export type StreamMessage =
  | { kind: 'reset'; seq: number; revision: number; step: string }
  | { kind: 'delta'; seq: number; revision: number; text: string }
  | { kind: 'status'; status: string; step: string | null };

export const lastSeq = (s: StreamSnapshot): number => s.resetSeq + s.chunks.length;

export async function readStreamSnapshot(kv: KeyValue, contentId: string): Promise<StreamSnapshot | null> {
  const raw = await kv.get(snapshotKey(contentId));
  return raw ? (JSON.parse(raw) as StreamSnapshot) : null;
}

/** Status changes go on the same channel so a watcher learns when the step or the generation ends. */
export async function publishContentStatus(
  kv: KeyValue,
  contentId: string,
  status: string,
  step: string | null,
): Promise<void> {
  const message: StreamMessage = { kind: 'status', status, step };
  await kv.publish(contentChannel(contentId), JSON.stringify(message));
}

export interface StreamWriter {
  /** Queues one text delta; deltas are stored and published in order. */
  push(text: string): void;
  /** Waits until every queued delta is stored and published; rethrows the first failure. */
  flush(): Promise<void>;
  readonly revision: number;
}

/** Starts a new revision of the content's stream (a reset every reader sees) and returns its writer. */
export async function startStreamRevision(
  kv: KeyValue,
  contentId: string,
  revision: number,
  step: string,
): Promise<StreamWriter> {
  const previous = await readStreamSnapshot(kv, contentId);
  const snapshot: StreamSnapshot = {
    revision,
    step,
    resetSeq: previous ? lastSeq(previous) + 1 : 0,
    chunks: [],
  };
  const channel = contentChannel(contentId);
  const save = () => kv.set(snapshotKey(contentId), JSON.stringify(snapshot), SNAPSHOT_TTL_SECONDS);
  await save();
  const reset: StreamMessage = { kind: 'reset', seq: snapshot.resetSeq, revision, step };
  await kv.publish(channel, JSON.stringify(reset));

  // The SDK calls onText synchronously; a promise chain keeps store-then-publish in delta order.
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    revision,
    push(text: string) {
      chain = chain.then(async () => {
        if (failure) return;
        try {
          snapshot.chunks.push(text);
          const message: StreamMessage = { kind: 'delta', seq: lastSeq(snapshot), revision, text };
          await save();
          await kv.publish(channel, JSON.stringify(message));
        } catch (err) {
          failure = err;
        }
      });
    },
    async flush() {
      await chain;
      if (failure instanceof Error) throw failure;
      if (failure !== undefined) throw new Error('could not store or publish a stream chunk');
    },
  };
}
