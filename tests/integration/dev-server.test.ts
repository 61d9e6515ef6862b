import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DevServerStartError, startDevServer } from '../../temporal/dev-server';
import { findFreePorts } from '../../temporal/free-port';
import { searchAttributeFlags } from '../../workflows/contracts/search-attributes';

const repoRoot = path.resolve(__dirname, '../..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The launcher's own dev server (not the one global setup started): Web UI, search attributes, clean stop. */
describe('startDevServer', () => {
  jest.setTimeout(120_000);
  const binary = execFileSync('bash', [path.join(repoRoot, 'temporal/install-cli.sh')], {
    encoding: 'utf8',
  }).trim();
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-dev-server-test-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('serves the frontend and Temporal Web with our search attributes, keeps state in SQLite and stops on request', async () => {
    const [port, uiPort] = await findFreePorts(2);
    const server = await startDevServer({ binary, dataDir, port, uiPort });
    try {
      expect(server.address).toBe(`127.0.0.1:${port}`);
      expect(server.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
      const ui = await fetch(server.uiUrl);
      expect(ui.status).toBe(200);

      const connection = await Connection.connect({ address: server.address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({
          namespace: 'default',
        });
        for (const flag of searchAttributeFlags)
          expect(Object.keys(customAttributes)).toContain(flag.split('=')[0]);
      } finally {
        await connection.close();
      }
      expect(fs.existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
    } finally {
      await server.stop();
    }
    expect(await portOpen(port!)).toBe(false);
    expect(await portOpen(uiPort!)).toBe(false);
  });

  it('fails fast with the log tail when the server cannot start', async () => {
    const [port] = await findFreePorts(1);
    // Something else holds the port; the probe's own connections to it are dropped so close() can finish.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const error: unknown = await startDevServer({ binary, dataDir, port, headless: true }).catch(
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(DevServerStartError);
      expect((error as Error).message).toMatch(/exited early/);
      expect((error as Error).message).toContain(path.join(dataDir, 'temporal.log'));
      expect((error as Error).message).toMatch(/address already in use/); // the log tail names the cause
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
