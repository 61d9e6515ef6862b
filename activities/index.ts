import type { Knex } from 'knex';
import { createClickbankNotificationActivities } from './clickbank-notifications';
import { createPlatformCheckActivities } from './platform-check';

/** What activity factories may need; each factory takes only the fields it uses, so tests can pass fakes. */
export interface ActivityDeps {
  db: Knex;
  workerIdentity?: string;
}

/** Every activity the workers register, merged from the per-concern factories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformCheckActivities(deps),
    ...createClickbankNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
