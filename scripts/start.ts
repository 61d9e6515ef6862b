/**
 * Starts the whole platform: Temporal dev server (when none is configured), database migrations, API, workers
 * and UI. With no DATABASE_URL it runs on embedded defaults (PGlite + in-process cache) with API and worker in this
 * one process; with DATABASE_URL the API and the worker run as separate processes. Ctrl-C stops everything.
 *
 *   tsx scripts/start.ts [--no-ui]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfigOrExit, repoRoot } from '../lib/config';
import { createLogger } from '../lib/logger';
import { bindModels, createDb, migrateLatest } from '../db/connection';
import { createKeyValue } from '../lib/kv';
import { createTemporalClient } from '../temporal/client';
import { ensureSchedules } from '../temporal/schedules';
import { createWorkers } from '../temporal/worker';
import { startApiServer } from '../api/server';
import { ensureTemporal, type DevServerHandle } from './launcher/temporal';
import { ensureUiBuilt, startUi } from './launcher/ui';
import { stopChild } from './launcher/children';
import { startSandboxes } from '../sandbox';

const withUi = !process.argv.includes('--no-ui');
const config = loadConfigOrExit();
const logger = createLogger(config, 'launcher');
const say = (line: string) => process.stdout.write(`[hopflow] ${line}\n`);

const cleanups: (() => Promise<unknown>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('stopping...');
  // Stop in reverse start order: UI, API, workers, database, Temporal.
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      logger.error({ err }, 'error while stopping');
    }
  }
  say('stopped.');
  process.exit(code);
}

let firstSignalAt = 0;
function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    // Ctrl-C reaches us twice at once (from the terminal and relayed by tsx): only a later second press forces.
    if (Date.now() - firstSignalAt < 2000) return;
    say(`${signal} again: exiting now`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  void shutdown(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function spawnTsx(entry: string, name: string): ChildProcess {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(repoRoot, entry)], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${code ?? signal}); stopping the platform`);
      void shutdown(1);
    }
  });
  cleanups.push(() => stopChild(child));
  return child;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  say(`data folder: ${config.dataDir}`);
  say(
    config.embedded
      ? 'mode: embedded (PGlite database, in-process cache; API and worker in this process)'
      : `mode: external services (PostgreSQL${config.redis.url ? ', Redis' : ', in-process cache'}; API and worker as separate processes)`,
  );
  if (withUi) ensureUiBuilt(say);

  const devServer: DevServerHandle | null = await ensureTemporal(config, say);
  if (devServer) cleanups.push(() => devServer.stop());

  const sandboxes = await startSandboxes(config);
  for (const sandbox of sandboxes) cleanups.push(() => sandbox.close());

  const db = createDb(config);
  cleanups.push(() => db.destroy());
  const applied = await migrateLatest(db);
  if (applied.length > 0) say(`applied ${applied.length} database migration(s)`);

  const apiUrl = `http://127.0.0.1:${config.api.port}`;
  if (config.embedded) {
    bindModels(db);
    const kv = await createKeyValue(config);
    cleanups.push(() => kv.close());
    const temporal = await createTemporalClient(config);
    cleanups.push(() => temporal.close());
    // The hourly catalog sync; in the split layout worker-main.ts does this.
    await ensureSchedules(temporal.client, config).catch((err: unknown) =>
      logger.error({ err }, 'could not create or update the Temporal Schedules'),
    );
    const workers = await createWorkers({ config, db, kv, logger: createLogger(config, 'worker') });
    const running = workers.run();
    cleanups.push(async () => {
      await workers.shutdown();
      await running;
    });
    running.catch((err: unknown) => {
      if (stopping) return;
      logger.error({ err }, 'worker failed');
      void shutdown(1);
    });
    const api = await startApiServer({ config, db, logger: createLogger(config, 'api'), kv, temporal });
    cleanups.push(() => api.close());
  } else {
    await db.destroy(); // the children open their own pools
    cleanups.pop();
    spawnTsx('temporal/worker-main.ts', 'worker');
    spawnTsx('api/server.ts', 'api');
  }
  await waitForHttp(`${apiUrl}/healthz`, 60_000);

  if (withUi) {
    const ui = startUi(config, apiUrl);
    ui.once('exit', (code, signal) => {
      if (!stopping) {
        say(`ui exited (${code ?? signal}); stopping the platform`);
        void shutdown(1);
      }
    });
    cleanups.push(() => stopChild(ui));
    await waitForHttp(`http://127.0.0.1:${config.ui.port}/login`, 60_000);
  }

  say('');
  say('Hopflow is running:');
  if (withUi) say(`  UI            ${config.ui.publicUrl}`);
  say(
    `  API           ${config.api.publicUrl}/api/v1   (OpenAPI: ${config.api.publicUrl}/api/v1/openapi.json)`,
  );
  say(`  API reference ${config.api.publicUrl}/api/v1/docs`);
  say(`  Temporal Web  ${config.temporal.uiUrl}`);
  if (config.platformMail.sandboxMailboxUrl) {
    // Registering sends a confirmation link by email; on these defaults it lands in the sandbox's mailbox.
    say(
      `  Test mailbox  ${config.platformMail.sandboxMailboxUrl}   (account emails: open it after registering)`,
    );
  }
  if (sandboxes.length > 0) {
    say('Sandbox providers (no real accounts needed; set <PROVIDER>_MODE=live to use the real services):');
    for (const sandbox of sandboxes) {
      const extra =
        sandbox.provider === 'postmark' ? '   (sent emails, account emails too: open in a browser)' : '';
      say(`  ${sandbox.provider.padEnd(13)} ${sandbox.url}${extra}`);
    }
  }
  say('Press Ctrl-C to stop.');
}

main().catch((err: unknown) => {
  process.stderr.write(`[hopflow] start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  logger.debug({ err }, 'start failed');
  void shutdown(1);
});
