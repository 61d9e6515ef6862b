import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { KeyValue } from '../lib/kv';
import type { Logger } from '../lib/logger';
import { createActivities } from '../activities';
import { getWorkflowBundle } from './bundle';
import { installTemporalRuntime } from './runtime-logger';
import { allTaskQueues } from '../workflows/contracts/task-queues';

export interface Workers {
  /** Runs every worker; resolves when all have stopped (after shutdown()), rejects if one fails. */
  run(): Promise<void>;
  /** Asks every worker to stop polling and finish in-flight tasks; resolves once they have stopped. */
  shutdown(): Promise<void>;
  /** The identity each worker reports to Temporal (also written by activities as worker_identity). */
  identity: string;
  workers: Worker[];
}

/**
 * One Worker per task queue (main, priority, slow), sharing one NativeConnection and one workflow bundle.
 * Every worker registers every activity: which queue a piece of work goes to is decided when it is scheduled.
 */
export async function createWorkers(opts: {
  config: Config;
  db: Knex;
  logger: Logger;
  /** Redis (or the in-process stand-in shared with the API) for live updates such as draft streaming. */
  kv?: KeyValue;
}): Promise<Workers> {
  const { config, db, logger, kv } = opts;
  installTemporalRuntime(logger);
  const identity = `hopflow-worker:${process.pid}@${os.hostname()}`;
  const workflowBundle = await getWorkflowBundle(logger);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Activities that signal or start other workflows (stop a contact's sequences, start a bonus delivery).
  let clientConnection: Connection;
  try {
    clientConnection = await Connection.connect({ address: config.temporal.address });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const closeConnections = async () => {
    await Promise.allSettled([connection.close(), clientConnection.close()]);
  };

  let workers: Worker[];
  try {
    const activities = createActivities({ db, config, kv, workerIdentity: identity, temporal });
    workers = await Promise.all(
      allTaskQueues.map((taskQueue) =>
        Worker.create({
          connection,
          namespace: config.temporal.namespace,
          taskQueue,
          identity,
          workflowBundle,
          activities,
          // In-flight activities get this long to finish on shutdown before they are cancelled.
          shutdownGraceTime: '10 seconds',
          // Heartbeats carry live progress (catalog sync) to the UI: send them at most this far apart.
          maxHeartbeatThrottleInterval: '1 second',
        }),
      ),
    );
  } catch (err) {
    await closeConnections();
    throw err;
  }

  let running: Promise<void> | undefined;
  const run = (): Promise<void> => {
    running ??= runAll(workers, logger).finally(closeConnections);
    return running;
  };

  return {
    identity,
    workers,
    run,
    async shutdown() {
      // A worker that never ran still holds native resources: start it so it can be shut down and released.
      const done = run();
      for (const worker of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
      await done.catch((err: unknown) =>
        logger.error({ err }, 'worker stopped with an error during shutdown'),
      );
    },
  };
}

async function runAll(workers: Worker[], logger: Logger): Promise<void> {
  const results = await Promise.allSettled(
    workers.map((worker) =>
      worker.run().catch((err: unknown) => {
        // One failed worker takes the others down: a half-working worker process is harder to notice.
        logger.error(
          { err, taskQueue: worker.options.taskQueue },
          'Temporal worker failed; stopping the others',
        );
        for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
        throw err;
      }),
    ),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
