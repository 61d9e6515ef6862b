import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config';
import { startWordpressSandbox } from './server';

// `tsx sandbox/wordpress/main.ts [--port N] [--host H]`: the WordPress sandbox alone.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  const config = loadConfig();
  const server = await startWordpressSandbox({
    port: values.port !== undefined ? Number(values.port) : config.integrations.wordpress.sandboxPort,
    host: values.host ?? config.integrations.sandboxHost,
  });
  console.log(
    `wordpress sandbox listening at ${server.url} (REST API at /wp-json/wp/v2, all posts at /sandbox/posts)`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
