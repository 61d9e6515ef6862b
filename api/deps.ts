import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { KeyValue } from '../lib/kv';
import type { Logger } from '../lib/logger';

/** Everything the API needs from outside; tests and the launcher build these and hand them in. */
export interface ApiDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  kv: KeyValue;
  /** null -> Temporal is not reachable/configured: platform-check routes answer 503 and /readyz says so. */
  temporal: { client: Client } | null;
}
