import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config';
import { startPostmarkSandbox } from './server';

// `tsx sandbox/postmark/main.ts [--port N] [--host H]`: the Postmark sandbox alone.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  const config = loadConfig();
  const server = await startPostmarkSandbox({
    port: values.port !== undefined ? Number(values.port) : config.integrations.postmark.sandboxPort,
    host: values.host ?? config.integrations.sandboxHost,
  });
  console.log(`postmark sandbox listening at ${server.url} (mailbox at /, GET /sandbox/messages)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
