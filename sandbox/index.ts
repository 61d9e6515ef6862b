import type { Config } from '../lib/config';
import { startAnthropicSandbox } from './anthropic/server';
import { startClickbankSandbox } from './clickbank/server';
import { startPostmarkSandbox } from './postmark/server';
import { startWordpressSandbox } from './wordpress/server';
import { startStripeMockSandbox } from './stripe-mock/server';
import type { SandboxServer } from './listen';

export type { SandboxServer };

export type Provider = 'anthropic' | 'clickbank' | 'postmark' | 'wordpress' | 'stripe';

const starters: Record<Provider, (opts: { port: number; host: string }) => Promise<SandboxServer>> = {
  anthropic: startAnthropicSandbox,
  clickbank: startClickbankSandbox,
  postmark: startPostmarkSandbox,
  wordpress: startWordpressSandbox,
  stripe: startStripeMockSandbox,
};

/** The providers that run in sandbox mode under this configuration. */
function sandboxProviders(config: Config): Provider[] {
  return (Object.keys(starters) as Provider[]).filter((p) => config.integrations[p].mode === 'sandbox');
}

/**
 * Starts the sandbox server of every integration in sandbox mode, on its configured port. If one fails, the
 * ones already started are closed and the error names the provider and port.
 */
export async function startSandboxes(
  config: Config,
  opts: { freePorts?: boolean } = {},
): Promise<(SandboxServer & { provider: Provider })[]> {
  const started: (SandboxServer & { provider: Provider })[] = [];
  for (const provider of sandboxProviders(config)) {
    // freePorts: tests run beside a developer's platform, so they never take the fixed ports.
    const port = opts.freePorts ? 0 : config.integrations[provider].sandboxPort;
    try {
      started.push({
        ...(await starters[provider]({ port, host: config.integrations.sandboxHost })),
        provider,
      });
    } catch (err) {
      await Promise.allSettled(started.map((s) => s.close()));
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`could not start the ${provider} sandbox on port ${port}: ${reason}`);
    }
  }
  return started;
}
