/**
 * Failures on demand, chosen by a marker in the last user message:
 *   [sandbox:429] [sandbox:529] [sandbox:500]   every attempt answers that status (429 with retry-after: 1)
 *   [sandbox:error-mid-stream]                 a streamed answer stops with an `error` event after a few deltas
 *   [sandbox:fail-once:<429|529|500|error-mid-stream>]  only the first attempt of an identical request body fails
 *   [sandbox:fail-twice:...] / [sandbox:fail-3:...]     the first two / three attempts fail
 * Limited markers let tests show a retry (by the SDK or by Temporal) succeeding.
 */
export type FailureStatus = 429 | 500 | 529;

export type Failure =
  | { marker: string; kind: 'status'; status: FailureStatus; limited: boolean }
  | { marker: string; kind: 'mid-stream'; limited: boolean };

const MARKER = /\[sandbox:(?:fail-(once|twice|\d+):)?(429|500|529|error-mid-stream)\]/;

/**
 * The failure this attempt should get, or undefined. `failuresSoFar` counts earlier failed attempts of the
 * same request body; `streaming` matters because a plain (non-streamed) answer has no "mid-stream".
 */
export function findFailure(text: string, failuresSoFar: number, streaming: boolean): Failure | undefined {
  const match = MARKER.exec(text);
  if (!match) return undefined;
  const [marker, times, what] = match as unknown as [string, string | undefined, string];
  const allowed =
    times === undefined ? Infinity : times === 'once' ? 1 : times === 'twice' ? 2 : Number(times);
  if (failuresSoFar >= allowed) return undefined;
  const limited = times !== undefined;
  if (what === 'error-mid-stream') return streaming ? { marker, kind: 'mid-stream', limited } : undefined;
  return { marker, kind: 'status', status: Number(what) as FailureStatus, limited };
}
