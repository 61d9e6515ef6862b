import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { KeyValue } from '../lib/kv';
import { createCatalogActivities } from './catalog';
import { createClickbankNotificationActivities } from './clickbank-notifications';
import { createContentActivities } from './content';
import { createPlatformCheckActivities } from './platform-check';

/** What activity factories may need; each factory takes only the fields it uses, so tests can pass fakes. */
export interface ActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations'>;
  /** Redis or the in-process stand-in shared with the API (live draft streaming). */
  kv?: KeyValue;
  workerIdentity?: string;
}

/** Every activity the workers register, merged from the per-concern factories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformCheckActivities(deps),
    ...createClickbankNotificationActivities(deps),
    ...createContentActivities(deps),
    ...createCatalogActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
