import { AppError } from '../../lib/errors';
import type { KeyValue } from '../../lib/kv';
import type { Logger } from '../../lib/logger';

/** The 429 of a heavy route, as the OpenAPI document describes it. */
export const TEAM_BUSY_DESCRIPTION =
  'team_busy: the team already runs the most contact searches or imports allowed at once (see Retry-After)';

/**
 * How long a slot is held at most: far beyond any request (the API's statements are cut after
 * DB_STATEMENT_TIMEOUT_MS), so it only frees the slot of an API process that died mid-request.
 */
const SLOT_SECONDS = 300;
const RETRY_AFTER_SECONDS = 5;

/** Where a team's slots are counted in the kv store. */
export const heavySlotKey = (teamId: string) => `heavy_requests:${teamId}`;

/** Releases a slot; never throws (the response is already on its way). */
export type ReleaseSlot = () => Promise<void>;

/**
 * At most `limit` heavy requests in flight per team, counted in the kv store (Redis: across all API processes;
 * the in-process stand-in under the embedded default). A request over the cap is refused at once with 429 and
 * Retry-After, before it touches the database. The caller releases the slot when its handler ends, whatever
 * the outcome.
 */
export function teamConcurrency(kv: KeyValue, opts: { limit: number; logger: Logger }) {
  return async (teamId: string): Promise<ReleaseSlot> => {
    const key = heavySlotKey(teamId);
    const token = await kv.acquireSlot(key, opts.limit, SLOT_SECONDS);
    if (token === null) {
      const [running, which] =
        opts.limit === 1
          ? ['a contact search or import', 'it']
          : [`${opts.limit} contact searches or imports`, 'one'];
      throw new AppError(
        429,
        'team_busy',
        `Your team is already running ${running}, the most allowed at once; wait for ${which} to finish, then try again`,
        [],
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    return () =>
      kv.releaseSlot(key, token).catch((err: unknown) => {
        // The slot then frees itself after SLOT_SECONDS.
        opts.logger.warn({ err, teamId }, 'could not release a heavy-request slot');
      });
  };
}
