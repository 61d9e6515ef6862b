import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { SearchAttr, searchAttributeFlags } from '../workflows/contracts/search-attributes';

export interface DevServerOptions {
  /** Path of the `temporal` CLI; defaults to `temporal` on PATH (see temporal/install-cli.sh). */
  binary?: string;
  /** Holds the SQLite file (temporal.sqlite) and, unless logFile is given, temporal.log. */
  dataDir: string;
  /** Frontend gRPC port (default 7233). */
  port?: number;
  /** Temporal Web port (default port + 1000). */
  uiPort?: number;
  /** HTTP API port; the CLI picks a free one when omitted. */
  httpPort?: number;
  /** Prometheus /metrics port; the CLI picks a free one when omitted. */
  metricsPort?: number;
  ip?: string;
  headless?: boolean;
  logFile?: string;
  /** Namespace to create besides `default` (which always exists). */
  namespace?: string;
  /** Dynamic config values (`--dynamic-config-value key=value`), e.g. a low continue-as-new threshold in tests. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** How long to wait for the frontend and search attributes (default 60 s). */
  readyTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the frontend, for TEMPORAL_ADDRESS. */
  address: string;
  uiUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  override name = 'DevServerStartError';
}

/**
 * Starts `temporal server start-dev` on a SQLite file with our custom search attributes registered, and resolves
 * once a client can reach the frontend and sees those attributes (so the first workflow start cannot race them).
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const binary = opts.binary ?? 'temporal';
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  const namespace = opts.namespace ?? 'default';
  const logFile = opts.logFile ?? path.join(opts.dataDir, 'temporal.log');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(opts.dataDir, 'temporal.sqlite'),
    '--ip',
    ip,
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...searchAttributeFlags.flatMap((flag) => ['--search-attribute', flag]),
  ];
  if (opts.httpPort !== undefined) args.push('--http-port', String(opts.httpPort));
  if (opts.metricsPort !== undefined) args.push('--metrics-port', String(opts.metricsPort));
  if (opts.headless) args.push('--headless');
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const logFd = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd); // the child holds its own copy
  // The server must not keep the parent's event loop alive (test runners, launchers stop it explicitly).
  child.unref();

  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });

  const address = `${ip}:${port}`;
  const uiHost = ip === '0.0.0.0' ? '127.0.0.1' : ip;
  const server: DevServer = {
    address,
    uiUrl: `http://${uiHost.includes(':') ? `[${uiHost}]` : uiHost}:${uiPort}`,
    pid: child.pid ?? -1,
    stop: () => (child.pid === undefined ? Promise.resolve() : stopProcess(child.pid)),
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  const fail = async (reason: string): Promise<never> => {
    await server.stop().catch(() => undefined);
    throw new DevServerStartError(
      `Temporal dev server (${binary}) ${reason}.\nCommand: ${binary} ${args.join(' ')}\nLog ${logFile} (last lines):\n${readTail(logFile)}`,
    );
  };

  let lastProblem = 'not reachable yet';
  for (;;) {
    if (spawnError) return fail(`could not be started: ${spawnError.message}`);
    if (exited) return fail(`exited early (${exited})`);
    if (Date.now() > deadline)
      return fail(`was not ready within ${opts.readyTimeoutMs ?? 60_000} ms (${lastProblem})`);
    const problem = await probe(address, namespace);
    if (problem === undefined) return server;
    lastProblem = problem;
    await sleep(250);
  }
}

/** undefined when the frontend answers and every custom search attribute is registered; else what is missing. */
async function probe(address: string, namespace: string): Promise<string | undefined> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '2s' });
    const conn = connection;
    // A deadline on every call: a half-started server must not hang the wait loop past its own timeout.
    const { customAttributes } = await conn.withDeadline(Date.now() + 2000, () =>
      conn.operatorService.listSearchAttributes({ namespace }),
    );
    const missing = Object.values(SearchAttr)
      .map((key) => key.name)
      .filter((name) => !(name in customAttributes));
    return missing.length ? `search attributes not registered yet: ${missing.join(', ')}` : undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, wait up to graceMs for the process to go, then SIGKILL. Also usable by pid alone (test teardown). */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(50);
}

function readTail(file: string, bytes = 4000): string {
  try {
    const { size } = fs.statSync(file);
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, bytes);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8').trim() || '(empty)';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no log)';
  }
}
