import { createMemoryKeyValue, type KeyValue } from '../kv';
import {
  contentChannel,
  lastSeq,
  publishContentStatus,
  readStreamSnapshot,
  startStreamRevision,
  type StreamMessage,
} from './stream-bus';

describe('content stream bus (in-process kv)', () => {
  let kv: KeyValue;
  beforeEach(() => {
    kv = createMemoryKeyValue();
  });
  afterEach(() => kv.close());

  async function collect(
    contentId: string,
  ): Promise<{ messages: StreamMessage[]; stop: () => Promise<void> }> {
    const messages: StreamMessage[] = [];
    const stop = await kv.subscribe(contentChannel(contentId), (raw) => {
      messages.push(JSON.parse(raw) as StreamMessage);
    });
    return { messages, stop };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('stores every delta before publishing it, in order, with growing seq', async () => {
    const { messages, stop } = await collect('c1');
    const writer = await startStreamRevision(kv, 'c1', 1, 'draft');
    for (const word of ['Keto ', 'works ', 'best.']) writer.push(word);
    await writer.flush();
    await settle();
    await stop();

    expect(messages).toEqual([
      { kind: 'reset', seq: 0, revision: 1, step: 'draft' },
      { kind: 'delta', seq: 1, revision: 1, text: 'Keto ' },
      { kind: 'delta', seq: 2, revision: 1, text: 'works ' },
      { kind: 'delta', seq: 3, revision: 1, text: 'best.' },
    ]);
    const snapshot = await readStreamSnapshot(kv, 'c1');
    expect(snapshot).toEqual({
      revision: 1,
      step: 'draft',
      resetSeq: 0,
      chunks: ['Keto ', 'works ', 'best.'],
    });
    expect(lastSeq(snapshot!)).toBe(3);
  });

  it('starts a new revision after the last seq of the previous one, with an empty buffer', async () => {
    const first = await startStreamRevision(kv, 'c2', 1, 'draft');
    first.push('abandoned ');
    first.push('attempt');
    await first.flush();
    await settle(); // the in-process bus delivers on the next turn, like Redis
    const { messages, stop } = await collect('c2');
    const second = await startStreamRevision(kv, 'c2', 2, 'draft');
    second.push('Fresh');
    await second.flush();
    await settle();
    await stop();

    expect(messages).toEqual([
      { kind: 'reset', seq: 3, revision: 2, step: 'draft' },
      { kind: 'delta', seq: 4, revision: 2, text: 'Fresh' },
    ]);
    expect(await readStreamSnapshot(kv, 'c2')).toMatchObject({ revision: 2, resetSeq: 3, chunks: ['Fresh'] });
  });

  it('publishes status changes on the same channel', async () => {
    const { messages, stop } = await collect('c3');
    await publishContentStatus(kv, 'c3', 'awaiting_review', 'review');
    await settle();
    await stop();
    expect(messages).toEqual([{ kind: 'status', status: 'awaiting_review', step: 'review' }]);
  });
});
