import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, stopProcess } from '../../temporal/dev-server';
import { findFreePorts } from '../../temporal/free-port';

const repoRoot = path.resolve(__dirname, '../..');

/** The history length at which the test dev server suggests continue-as-new. */
export const TEST_SUGGEST_CONTINUE_AS_NEW_EVENTS = 150;

export interface TestTemporal {
  address: string;
  /** Set when this run started its own dev server (and must stop it). */
  pid?: number;
  dataDir?: string;
  uiUrl?: string;
}

/**
 * The Temporal server integration tests use: TEST_TEMPORAL_ADDRESS if given (an already running server, which
 * must have our search attributes), else a fresh dev server on free ports with its SQLite file in a temp folder.
 * Headless unless TEST_TEMPORAL_UI=1 (handy to watch runs in Temporal Web while debugging a test).
 */
export async function startTestTemporal(): Promise<TestTemporal> {
  const external = process.env.TEST_TEMPORAL_ADDRESS;
  if (external) return { address: external };

  const binary = execFileSync('bash', [path.join(repoRoot, 'temporal/install-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-test-temporal-'));
  const [port, uiPort, httpPort, metricsPort] = await findFreePorts(4);
  const server = await startDevServer({
    binary,
    dataDir,
    port,
    uiPort,
    httpPort,
    metricsPort,
    headless: process.env.TEST_TEMPORAL_UI !== '1',
    // Temporal suggests continue-as-new after this many history events (default in the thousands): low here, so a
    // test reaches it with a few dozen steps. Only workflows that ask for the suggestion are affected.
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': TEST_SUGGEST_CONTINUE_AS_NEW_EVENTS },
  });
  return { address: server.address, pid: server.pid, dataDir, uiUrl: server.uiUrl };
}

export async function stopTestTemporal(temporal: TestTemporal | undefined): Promise<void> {
  if (temporal?.pid === undefined) return;
  await stopProcess(temporal.pid);
  if (temporal.dataDir && process.env.KEEP_TEST_TEMPORAL !== '1') {
    fs.rmSync(temporal.dataDir, { recursive: true, force: true });
  }
}
