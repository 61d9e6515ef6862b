import type { TeamIntegrationProvider } from './providers';
import type { AdapterSettings } from './resolve';

/** One cheap real call through the provider's adapter; throws an IntegrationError when refused. */
export type ConnectionTester<P extends TeamIntegrationProvider> = (
  settings: AdapterSettings[P],
) => Promise<{ ok: true; detail: string }>;

export type ConnectionTesters = { [P in TeamIntegrationProvider]: ConnectionTester<P> };

const notYetAvailable = (): Promise<never> =>
  Promise.reject(new Error('the adapter for this service is not available yet'));

/** The adapters' testConnection(), keyed by provider. */
export const connectionTesters: ConnectionTesters = {
  anthropic: notYetAvailable,
  clickbank: notYetAvailable,
  postmark: notYetAvailable,
  wordpress: notYetAvailable,
};
