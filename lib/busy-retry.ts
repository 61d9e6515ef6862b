/**
 * Sending a request again while the server answers "busy, try again" (429, or 503 with Retry-After): e.g. the
 * UI's CSV import, whose piece is refused 429 team_busy while a teammate's search holds the team's one heavy
 * request. Pure (fetch-shaped callbacks only), so the UI uses it too.
 */

export interface BusyRetryOptions {
  /** Waits between tries (tests swap it). */
  sleep?: (ms: number) => Promise<void>;
  /** Tries in all, the first included. */
  attempts?: number;
}

const BUSY_ATTEMPTS = 5;
/** The wait when the server gave no usable Retry-After. */
const DEFAULT_WAIT_SECONDS = 2;
/** The longest wait, whatever the server said. */
const MAX_WAIT_SECONDS = 30;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), between 1 and MAX_WAIT_SECONDS. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_WAIT_SECONDS;
  const value = header.trim();
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000;
  if (!Number.isFinite(seconds)) return DEFAULT_WAIT_SECONDS;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** Whether the answer means "busy, send it again later" rather than a refusal of the request itself. */
export function isBusy(res: Response): boolean {
  return res.status === 429 || (res.status === 503 && res.headers.has('retry-after'));
}

/**
 * Calls `send` until the answer is not busy, waiting Retry-After between tries, at most `attempts` tries. The
 * last answer is returned as it is (still busy after the last try: the caller says so).
 */
export async function sendUntilNotBusy(
  send: () => Promise<Response>,
  opts: BusyRetryOptions = {},
): Promise<Response> {
  const sleep = opts.sleep ?? wait;
  const attempts = opts.attempts ?? BUSY_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (!isBusy(res) || attempt >= attempts) return res;
    // Nothing of a busy answer is needed: free its connection before waiting.
    await res.body?.cancel().catch(() => undefined);
    await sleep(retryAfterSeconds(res.headers.get('retry-after')) * 1000);
  }
}
