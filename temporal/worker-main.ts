import { loadConfigOrExit } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { bindModels, createDb } from '../db/connection';
import { createTemporalClient } from './client';
import { ensureSchedules } from './schedules';
import { createWorkers } from './worker';

/**
 * Standalone worker process (`npm run worker`): polls the main, priority and slow task queues until SIGINT or
 * SIGTERM, then lets in-flight tasks finish and closes the database.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'worker');
  const db = createDb(config);
  bindModels(db);
  const kv = await createKeyValue(config);

  let workers: Awaited<ReturnType<typeof createWorkers>> | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for in-flight tasks');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    void workers?.shutdown();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let exitCode = 0;
  try {
    workers = await createWorkers({ config, db, logger, kv });
    await ensurePlatformSchedules(config, logger);
    logger.info(
      { address: config.temporal.address, namespace: config.temporal.namespace, identity: workers.identity },
      'workers started',
    );
    // A signal may have arrived while the bundle was building.
    if (stopping) void workers.shutdown();
    await workers.run();
    logger.info('workers stopped');
  } catch (err) {
    logger.fatal({ err }, 'worker process failed');
    exitCode = 1;
  } finally {
    await Promise.allSettled([db.destroy(), kv.close()]);
  }
  process.exit(exitCode);
}

void main();

/** The hourly catalog sync and other Schedules; a failure is logged, not fatal (the workers still serve runs). */
async function ensurePlatformSchedules(
  config: ReturnType<typeof loadConfigOrExit>,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  try {
    const temporal = await createTemporalClient(config);
    try {
      await ensureSchedules(temporal.client, config);
    } finally {
      await temporal.close();
    }
  } catch (err) {
    logger.error({ err }, 'could not create or update the Temporal Schedules');
  }
}
