import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { repoRoot, type Config } from '../../lib/config';
import { startDevServer } from '../../temporal/dev-server';

export type DevServerHandle = Awaited<ReturnType<typeof startDevServer>>;

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1500 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

const isLocal = (host: string) => ['127.0.0.1', 'localhost', '0.0.0.0', '::1'].includes(host);

/**
 * Starts a Temporal dev server (SQLite file in the data folder, Temporal Web on the UI port) unless one already
 * answers at TEMPORAL_ADDRESS or the address is remote. Returns null when nothing was started here.
 */
export async function ensureTemporal(
  config: Config,
  log: (line: string) => void,
): Promise<DevServerHandle | null> {
  const [host = '127.0.0.1', portText = '7233'] = config.temporal.address.split(':');
  const mode = config.temporal.devServer;
  if (mode === 'never' || (mode === 'auto' && !isLocal(host))) return null;
  if (mode === 'auto' && (await reachable(config.temporal.address))) {
    log(`using the Temporal server already running at ${config.temporal.address}`);
    return null;
  }
  const binary = execFileSync('bash', [path.join(repoRoot, 'temporal/install-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  log(
    `starting the Temporal dev server on ${config.temporal.address} (Temporal Web on ${config.temporal.uiPort})...`,
  );
  return startDevServer({
    binary,
    dataDir: path.join(config.dataDir, 'temporal'),
    ip: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(portText),
    uiPort: config.temporal.uiPort,
    logFile: path.join(config.dataDir, 'temporal', 'server.log'),
  });
}
