import type { CsvChunk } from './csv-chunks';
import type { ContactImportResult, ImportSkip } from '$api/contacts';
import { isBusy, sendUntilNotBusy, type BusyRetryOptions } from '../../../lib/busy-retry';

/** How pieces are sent: fetch and the wait between tries can be swapped. */
interface SendOptions extends BusyRetryOptions {
  fetch?: typeof fetch;
}

/** One piece of an import as the page tracks it. */
export interface ChunkState {
  chunk: CsvChunk;
  status: 'waiting' | 'sending' | 'done' | 'failed';
  result?: ContactImportResult;
  error?: string;
}

/**
 * Posts one piece to the UI's import endpoint; throws with the API's message (and first field detail). While
 * the server is busy (429: e.g. a teammate's search holds the team's one heavy request; or 503 with Retry-After)
 * the piece waits as long as the server asks and is sent again, a few times, before it counts as failed.
 */
async function sendChunk(
  url: string,
  chunk: CsvChunk,
  tags: string,
  opts: SendOptions,
): Promise<ContactImportResult> {
  const query = new URLSearchParams({ lineOffset: String(chunk.lineOffset) });
  if (tags) query.set('tags', tags);
  const send = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await sendUntilNotBusy(
      () =>
        send(`${url}?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv; charset=utf-8', accept: 'application/json' },
          body: chunk.text,
        }),
      opts,
    );
  } catch {
    throw new Error('Connection problem: the piece did not reach the server');
  }
  if (isBusy(res)) {
    throw new Error('The server stayed busy with other work of your team: try these lines again in a minute');
  }
  const body = (await res.json().catch(() => null)) as
    (ContactImportResult & { error?: { message?: string; details?: ImportSkip[] } }) | null;
  if (!res.ok || !body) {
    const detail = body?.error?.details?.[0]?.message;
    throw new Error(detail ?? body?.error?.message ?? `The server answered ${res.status}`);
  }
  return body;
}

/** The pieces' results as one, skipped rows in file order. */
export function mergeResults(states: ChunkState[]): ContactImportResult {
  const merged: ContactImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    skipped: [],
    total: 0,
  };
  for (const s of states) {
    if (!s.result) continue;
    merged.created += s.result.created;
    merged.updated += s.result.updated;
    merged.unchanged += s.result.unchanged;
    merged.duplicates += s.result.duplicates;
    merged.total += s.result.total;
    merged.skipped.push(...s.result.skipped);
  }
  merged.skipped.sort((a, b) => a.line - b.line);
  return merged;
}

/**
 * Sends the pieces that are not done yet, one after the other, calling `changed` after each step so the page
 * can redraw its progress. A failed piece is kept (with its error) for a retry; the others still go.
 */
export async function sendPending(
  url: string,
  states: ChunkState[],
  tags: string,
  changed: () => void,
  opts: SendOptions = {},
): Promise<void> {
  for (const state of states) {
    if (state.status === 'done') continue;
    state.status = 'sending';
    state.error = undefined;
    changed();
    try {
      state.result = await sendChunk(url, state.chunk, tags, opts);
      state.status = 'done';
    } catch (err) {
      state.status = 'failed';
      state.error = err instanceof Error ? err.message : String(err);
    }
    changed();
  }
}
