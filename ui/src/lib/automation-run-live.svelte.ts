/**
 * A run page's live run: server-sent events from the page's `stream` endpoint (a `run` event when the run
 * changed, `done` once it ended), else polling `state` every few seconds when EventSource cannot connect.
 * Call while a component initialises; the effect ends with it.
 */
import type { AutomationRunDetail } from '$api/automation-runs';

export type LiveMode = 'connecting' | 'live' | 'polling' | 'ended';

const POLL_MS = 3000;

const runHasEnded = (run: AutomationRunDetail): boolean =>
  run.endedAt !== null && (!run.state || Boolean(run.state.endedAt));

export function liveRun(options: {
  loaded: () => AutomationRunDetail;
  streamUrl: () => string;
  stateUrl: () => string;
}) {
  // Raw: a deep proxy would never be === the loaded run; a fresh load replaces what was streamed.
  let latest = $state.raw<{ base: AutomationRunDetail; run: AutomationRunDetail } | null>(null);
  let mode = $state<LiveMode>('connecting');
  const run = $derived(latest && latest.base === options.loaded() ? latest.run : options.loaded());

  $effect(() => {
    const base = options.loaded();
    if (runHasEnded(base)) {
      mode = 'ended';
      return;
    }
    const streamUrl = options.streamUrl();
    const stateUrl = options.stateUrl();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;

    const take = (next: AutomationRunDetail) => {
      latest = { base, run: next };
      if (runHasEnded(next)) {
        mode = 'ended';
        stop();
      }
    };
    const poll = async () => {
      if (stopped) return;
      try {
        const res = await fetch(stateUrl, { headers: { accept: 'application/json' } });
        if (res.ok && !stopped) take(((await res.json()) as { run: AutomationRunDetail }).run);
      } catch {
        // The next tick tries again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    const startPolling = () => {
      source?.close();
      source = null;
      if (stopped || mode === 'polling') return;
      mode = 'polling';
      void poll();
    };
    function stop() {
      stopped = true;
      source?.close();
      clearTimeout(timer);
    }

    if (typeof EventSource === 'undefined') startPolling();
    else {
      source = new EventSource(streamUrl);
      mode = 'connecting';
      source.onopen = () => {
        if (!stopped) mode = 'live';
      };
      // A refused stream is closed for good: poll instead. A dropped one reconnects by itself.
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) startPolling();
      };
      source.addEventListener('run', (e) => {
        try {
          take(JSON.parse(String((e as MessageEvent).data)) as AutomationRunDetail);
        } catch {
          // A torn event: the next one carries the whole run again.
        }
      });
      source.addEventListener('done', () => {
        mode = 'ended';
        stop();
      });
    }
    return stop;
  });

  return {
    get run() {
      return run;
    },
    get mode() {
      return mode;
    },
  };
}
