import type { Request, Response } from 'express';
import {
  contentChannel,
  lastSeq,
  readStreamSnapshot,
  type StreamMessage,
} from '../../lib/content/stream-bus';
import type { KeyValue } from '../../lib/kv';
import type { ContentView } from '../../data/content';

const HEARTBEAT_MS = 15_000;
/** Pub/sub is at-most-once: the row is checked this often so a lost status message cannot leave a reader hanging. */
const STATUS_POLL_MS = 2_000;

/**
 * Server-Sent Events for one content item: replays what was streamed (a `snapshot`, or only the rest after
 * Last-Event-ID), then follows live `delta`s, `status` changes and ends with `done` once generation stops.
 * Event ids are the bus sequence numbers, so a reconnecting browser resumes without duplicates. A `snapshot`
 * replaces the text the reader holds (a new revision after a retry or a revise starts with an empty one);
 * when generation ends the reader is sent the stored text once more if what it holds differs (a lost message).
 */
export async function streamContent(opts: {
  kv: KeyValue;
  req: Request;
  res: Response;
  /** Read after subscribing, so no status change between the two is missed. */
  loadContent: () => Promise<ContentView>;
}): Promise<void> {
  const { kv, req, res } = opts;
  const content = await opts.loadContent();
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // Proxies (nginx) must not buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let closed = false;
  const send = (event: string, data: unknown, id?: number) => {
    if (closed) return;
    res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  let sentSeq = -1;
  let ready = false;
  const early: StreamMessage[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const end = () => {
    if (closed) return;
    closed = true;
    res.end();
    finish();
  };

  /** The text the reader holds after what this connection sent. */
  let text = '';
  let finishing = false;
  /** Generation stopped: make sure the reader holds the stored text, then say so and close. */
  const finishWith = async (status: string, step: string | null) => {
    if (finishing) return;
    finishing = true;
    const row = await opts.loadContent().catch(() => undefined);
    if (row?.body != null && row.body !== text) {
      text = row.body;
      send('snapshot', { text, seq: sentSeq, final: true }, sentSeq >= 0 ? sentSeq : undefined);
    }
    send('status', { status: row?.status ?? status, step: row?.step ?? step });
    send('done', { status: row?.status ?? status });
    end();
  };

  const handle = (message: StreamMessage) => {
    if (finishing) return;
    if (message.kind === 'reset') {
      if (message.seq <= sentSeq) return;
      sentSeq = message.seq;
      text = '';
      send(
        'snapshot',
        { text: '', seq: message.seq, revision: message.revision, step: message.step },
        message.seq,
      );
    } else if (message.kind === 'delta') {
      if (message.seq <= sentSeq) return;
      sentSeq = message.seq;
      text += message.text;
      send('delta', { text: message.text, seq: message.seq }, message.seq);
    } else if (message.status !== 'generating') {
      void finishWith(message.status, message.step);
    } else {
      send('status', { status: message.status, step: message.step });
    }
  };

  const unsubscribe = await kv.subscribe(contentChannel(content.id), (raw) => {
    const message = JSON.parse(raw) as StreamMessage;
    if (ready) handle(message);
    else early.push(message);
  });
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  const statusPoll = setInterval(() => {
    if (!ready || finishing) return;
    void opts
      .loadContent()
      .then((row) => (row.status !== 'generating' ? finishWith(row.status, row.step) : undefined))
      .catch(() => undefined);
  }, STATUS_POLL_MS);
  // The response closes when the browser goes away (req's own close only says the request was read).
  res.on('close', () => {
    closed = true;
    finish();
  });

  try {
    const [snapshot, current] = await Promise.all([readStreamSnapshot(kv, content.id), opts.loadContent()]);
    const lastEventId = Number.parseInt(req.header('last-event-id') ?? '', 10);
    if (snapshot) {
      const last = lastSeq(snapshot);
      if (Number.isInteger(lastEventId) && lastEventId >= snapshot.resetSeq && lastEventId <= last) {
        // The reader already holds this revision up to lastEventId: send only the rest.
        const rest = snapshot.chunks.slice(lastEventId - snapshot.resetSeq).join('');
        if (rest) send('delta', { text: rest, seq: last }, last);
        text = snapshot.chunks.join('');
      } else {
        text = snapshot.chunks.join('');
        send('snapshot', { text, seq: last, revision: snapshot.revision, step: snapshot.step }, last);
      }
      sentSeq = last;
    } else {
      // Nothing streamed yet, or the live buffer expired: the stored text is the whole story.
      text = current.body ?? '';
      send('snapshot', { text, seq: -1 });
    }
    if (current.status !== 'generating') {
      await finishWith(current.status, current.step);
    } else {
      send('status', { status: current.status, step: current.step });
      ready = true;
      for (const message of early.splice(0)) handle(message);
    }
    await finished;
  } finally {
    clearInterval(heartbeat);
    clearInterval(statusPoll);
    await unsubscribe();
    if (!res.writableEnded) res.end();
  }
}
