import { createAnthropicClient } from './adapters/anthropic';
import { createClickbankClient } from './adapters/clickbank/client';
import { createPostmarkSender } from './adapters/postmark';
import { createWordpressClient } from './adapters/wordpress';
import type { TeamIntegrationProvider } from './providers';
import type { AdapterSettings } from './resolve';

/** One cheap real call through the provider's adapter; throws an IntegrationError when refused. */
type ConnectionTester<P extends TeamIntegrationProvider> = (
  settings: AdapterSettings[P],
) => Promise<{ ok: true; detail: string }>;

export type ConnectionTesters = { [P in TeamIntegrationProvider]: ConnectionTester<P> };

// A person is waiting for the answer: short timeouts, and no silent SDK retries that would hide a refusal.
const TIMEOUT_MS = 10_000;

/** The adapters' testConnection(), keyed by provider. */
export const connectionTesters: ConnectionTesters = {
  anthropic: (s) => createAnthropicClient({ ...s, maxRetries: 0, timeoutMs: TIMEOUT_MS }).testConnection(),
  clickbank: (s) => createClickbankClient({ ...s, timeoutMs: TIMEOUT_MS }).testConnection(),
  postmark: (s) => createPostmarkSender({ ...s, timeoutSeconds: TIMEOUT_MS / 1000 }).testConnection(),
  wordpress: (s) => createWordpressClient({ ...s, timeoutMs: TIMEOUT_MS }).testConnection(),
};
