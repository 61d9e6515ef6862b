import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config';
import { startAnthropicSandbox } from './server';

// `tsx sandbox/anthropic/main.ts [--port N] [--host H] [--chunk-delay-ms N]`: the Anthropic sandbox alone.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, 'chunk-delay-ms': { type: 'string' } },
  });
  const config = loadConfig();
  const delay = values['chunk-delay-ms'];
  const server = await startAnthropicSandbox({
    port: values.port !== undefined ? Number(values.port) : config.integrations.anthropic.sandboxPort,
    host: values.host ?? config.integrations.sandboxHost,
    chunkDelayMs: delay !== undefined ? Number(delay) : undefined,
  });
  console.log(`anthropic sandbox listening at ${server.url} (POST /v1/messages, GET /sandbox/requests)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
