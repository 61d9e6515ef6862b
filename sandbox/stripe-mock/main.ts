import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config';
import { startStripeMockSandbox } from './server';

// `tsx sandbox/stripe-mock/main.ts [--port N] [--host H]`: stripe-mock on its own, until Ctrl-C.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  const config = loadConfig();
  const server = await startStripeMockSandbox({
    port: values.port !== undefined ? Number(values.port) : config.integrations.stripe.sandboxPort,
    host: values.host ?? config.integrations.sandboxHost,
  });
  console.log(`stripe-mock sandbox listening at ${server.url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The child is unref'd so tests can exit; here the process must stay up until a signal.
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
