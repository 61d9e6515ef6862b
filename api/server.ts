import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindModels, createDb } from '../db/connection';
import { loadConfigOrExit } from '../lib/config';
import { createKeyValue } from '../lib/kv';
import { createLogger } from '../lib/logger';
import { Client, Connection } from '@temporalio/client';
import { createTemporalClient, type TemporalClient } from '../temporal/client';
import { createApp } from './app';
import { createClickbankInsService } from './services/clickbank-ins';
import { createRedirect, registerRedirectMetrics, type Redirect } from './redirect';
import type { ApiDeps } from './deps';

export interface RunningApi {
  url: string;
  server: Server;
  /** The tracking-link redirect (`/r/{slug}`) and its click buffer. */
  redirect: Redirect;
  /** Stops accepting connections, waits for in-flight requests, writes the held clicks; does not close the deps. */
  close(): Promise<void>;
}

/** Listens on config.api.host/port (port 0 -> a free port). Used by the launcher and by the entry below. */
export async function startApiServer(deps: ApiDeps): Promise<RunningApi> {
  const redirect = createRedirect(deps);
  const app = createApp(deps, { registerMetrics: (registry) => registerRedirectMetrics(registry, redirect) });
  // Click ids and salts in hand before the first click, without holding up the start when the database is slow.
  await Promise.race([redirect.warm(), new Promise((r) => setTimeout(r, 3000).unref())]);
  // Tracking links are answered before the Express stack (its middleware would cost most of their time).
  const server = createServer((req, res) => {
    if (!redirect.handle(req, res)) app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.config.api.port, deps.config.api.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = deps.config.api.host.includes(':') ? `[${deps.config.api.host}]` : deps.config.api.host;
  deps.logger.info({ port, host: deps.config.api.host }, 'api listening');
  // ClickBank notifications stored while their workflow could not start (Temporal down, a crash) start now.
  const reconcile = deps.temporal
    ? createClickbankInsService(deps)
        .startPendingNotifications()
        .catch((err: unknown) =>
          deps.logger.warn({ err }, 'could not reconcile pending ClickBank notifications'),
        )
    : Promise.resolve();
  return {
    url: `http://${host}:${port}`,
    server,
    redirect,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
      // No request is left to add a click: write what the buffer holds.
      await redirect.close();
      await reconcile;
    },
  };
}

/** Standalone API process: its own db pool, kv and Temporal connection, closed in order on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'api');
  // Only the API's pool has a statement timeout: a request never holds the database for long, while the
  // worker's batch activities and migrations (separate pools) may.
  const db = createDb(config, { statementTimeoutMs: config.database.statementTimeoutMs });
  bindModels(db);
  const kv = await createKeyValue(config);
  let temporal: TemporalClient;
  try {
    temporal = await createTemporalClient(config);
  } catch (err) {
    // Serve auth and teams anyway: a lazy connection keeps retrying, so workflow routes answer 503 and
    // /readyz reports Temporal as down only until the server is reachable.
    logger.error(
      { err, address: config.temporal.address },
      'Temporal is not reachable yet; workflow routes answer 503 until it is',
    );
    const connection = Connection.lazy({ address: config.temporal.address });
    temporal = {
      client: new Client({ connection, namespace: config.temporal.namespace }),
      connection,
      close: () => connection.close(),
    };
  }
  const api = await startApiServer({ config, db, logger, kv, temporal });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await api.close();
      await Promise.allSettled([db.destroy(), kv.close(), temporal.close()]);
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `api failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
