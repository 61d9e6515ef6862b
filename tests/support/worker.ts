import type { Knex } from 'knex';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { createWorkers, type Workers } from '../../temporal/worker';

export interface TestWorkers {
  workers: Workers;
  db: Knex;
  /** Shuts the workers down (in-flight tasks finish) and closes the database if this helper opened it. */
  stop(): Promise<void>;
}

/**
 * Runs the real workers (all task queues, real activities) inside the test process against the test database
 * and the Temporal server from global setup. Pass `db` to share the test's own knex instance, `config` to point
 * activities at sandbox servers, `kv` to share the API's bus (live streaming). Without `kv` the workers open
 * their own (Redis under the tests): workers of other test files poll the same task queues, and what they
 * publish must still reach every reader.
 */
export async function startTestWorkers(
  opts: { db?: Knex; config?: Config; kv?: KeyValue } = {},
): Promise<TestWorkers> {
  const config = opts.config ?? loadConfig();
  const db = opts.db ?? createDb(config);
  const kv = opts.kv ?? (await createKeyValue(config));
  const workers = await createWorkers({ config, db, logger: createLogger(config, 'test-worker'), kv });
  let failure: Error | undefined;
  const running = workers.run().catch((err: unknown) => {
    failure = err instanceof Error ? err : new Error(String(err));
  });
  return {
    workers,
    db,
    async stop() {
      await workers.shutdown();
      await running;
      if (!opts.db) await db.destroy();
      if (!opts.kv) await kv.close();
      if (failure) throw failure;
    },
  };
}
