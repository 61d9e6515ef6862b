/**
 * The content review page's live parts: the draft streamed over server-sent events while the pipeline
 * generates, and the polled pipeline state. Both start effects, so call them while a component initialises;
 * the effects end with it.
 */
import { invalidateAll } from '$app/navigation';
import { untrack } from 'svelte';
import type { Content, ContentResponse } from '$api/content';

export type StreamState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';

function eventData(e: Event): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(String((e as MessageEvent).data));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The draft as it streams in, while `url()` names the stream (null: none). EventSource reconnects by itself
 * and sends Last-Event-ID; the UI server passes it on to the API. A status event that differs from `status()`,
 * and the end of the stream, reload the page's data.
 */
export function draftStream(options: { url: () => string | null; status: () => string }) {
  let text = $state('');
  let step = $state<string | null>(null);
  let state = $state<StreamState>('idle');
  let seq = -1; // the last event already in `text`

  $effect(() => {
    const url = options.url();
    if (!url) return;
    const source = new EventSource(url);
    state = 'connecting';
    step = null;
    source.onopen = () => (state = 'live');
    source.onerror = () => {
      state = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    };
    source.addEventListener('snapshot', (e) => {
      const d = eventData(e);
      text = typeof d.text === 'string' ? d.text : '';
      if (typeof d.step === 'string') step = d.step;
      seq = typeof d.seq === 'number' ? d.seq : seq;
    });
    source.addEventListener('delta', (e) => {
      const d = eventData(e);
      const n = typeof d.seq === 'number' ? d.seq : seq + 1;
      if (n <= seq || typeof d.text !== 'string') return; // already part of the snapshot
      text += d.text;
      seq = n;
    });
    source.addEventListener('status', (e) => {
      const d = eventData(e);
      if (typeof d.step === 'string') step = d.step;
      // The first status event only repeats what the page shows; reload when it really changes.
      if (d.status !== untrack(options.status)) void invalidateAll();
    });
    source.addEventListener('done', () => {
      source.close();
      state = 'closed';
      void invalidateAll();
    });
    return () => {
      source.close();
      state = 'idle';
    };
  });

  return {
    get text() {
      return text;
    },
    get step() {
      return step;
    },
    get state() {
      return state;
    },
  };
}

/**
 * Polls `url(loaded)` (the item with its progress: step, percent and tokens from the workflow's progress query)
 * every `every()` ms while that is not 0, and reloads the page's data once the status moves on. `latest` is
 * the last answer while it still refines `loaded()`: a fresh load replaces it.
 */
export function pollContent(options: {
  loaded: () => Content;
  url: (loaded: Content) => string;
  every: () => number;
}) {
  // Raw: a deep $state proxy would never be === the loaded content.
  let polled = $state.raw<{ base: Content; value: ContentResponse } | null>(null);
  const latest = $derived(polled && polled.base === options.loaded() ? polled.value : null);

  $effect(() => {
    const interval = options.every();
    if (!interval) return;
    const base = options.loaded();
    const url = options.url(base);
    const statusAtStart = base.status;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        if (stopped) return;
        if (res.ok) {
          const body = (await res.json()) as ContentResponse;
          if (stopped) return;
          polled = { base, value: body };
          const now = body.progress?.status ?? body.content.status;
          if (now !== statusAtStart || body.content.status !== statusAtStart) {
            await invalidateAll();
            return;
          }
        }
      } catch {
        // The stream shows the text meanwhile; the next tick tries again.
      }
      if (!stopped) timer = setTimeout(tick, interval);
    };
    timer = setTimeout(tick, Math.min(interval, 1000));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });

  return {
    get latest() {
      return latest;
    },
  };
}
