import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config';
import { startClickbankSandbox } from './server';

// `tsx sandbox/clickbank/main.ts [--port N] [--host H] [--sites N]`: the ClickBank sandbox on its own, until Ctrl-C.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, sites: { type: 'string' } },
  });
  const config = loadConfig();
  const server = await startClickbankSandbox({
    port: values.port !== undefined ? Number(values.port) : config.integrations.clickbank.sandboxPort,
    host: values.host ?? config.integrations.sandboxHost,
    feedSiteCount: values.sites !== undefined ? Number(values.sites) : undefined,
  });
  console.log(`ClickBank sandbox listening at ${server.url}`);
  console.log(`  feed: ${server.url}/feeds/marketplace_feed_v2.xml.zip   REST: ${server.url}/rest/1.3/`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
