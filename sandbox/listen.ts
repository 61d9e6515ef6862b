import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/** What every sandbox server hands back: where it listens and how to stop it. */
export interface SandboxServer {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 = a free port). close() also drops kept-alive connections. */
export async function listen(
  app: express.Express,
  name: string,
  opts: { port?: number; host?: string },
): Promise<SandboxServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = app.listen(opts.port ?? 0, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
  const { port } = server.address() as AddressInfo;
  return {
    name,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
