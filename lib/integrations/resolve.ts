import { IntegrationError } from './adapters/errors';
import { SANDBOX_CREDENTIALS } from './sandbox-credentials';
import type { Config } from '../config';
import { SecretBoxError } from '../crypto/secret-box';
import { integrationDisplayNames, type TeamIntegrationProvider } from './providers';
import { openCredentials, type OpenedCredentials, type TeamIntegrationStore } from './store';

/** The plain settings each adapter factory takes (the same shapes for sandbox, live and team credentials). */
export interface AnthropicSettings {
  apiKey: string;
  baseUrl: string;
  model: string;
}
export interface ClickbankSettings {
  apiKey?: string;
  baseUrl: string;
  feedUrl: string;
  affiliateNickname: string;
  insSecretKey: string;
}
export interface PostmarkSettings {
  serverToken: string;
  requestHost: string;
  useHttps: boolean;
  fromEmail: string;
  messageStream: string;
}
export interface WordpressSettings {
  siteUrl: string;
  username: string;
  applicationPassword: string;
}

export interface AdapterSettings {
  anthropic: AnthropicSettings;
  clickbank: ClickbankSettings;
  postmark: PostmarkSettings;
  wordpress: WordpressSettings;
}

const notConnectedError = (provider: TeamIntegrationProvider): IntegrationError =>
  new IntegrationError({
    provider,
    kind: 'not_connected',
    plainMessage: `Connect ${integrationDisplayNames[provider]} in Settings → Integrations to use this`,
  });

export interface IntegrationResolverDeps {
  /** The team's stored credentials (data/integrations.ts: teamIntegrationStore(db)). */
  store: TeamIntegrationStore;
  /** Read at every call (not copied), so a changed sandbox URL applies at once. */
  config: Pick<Config, 'integrations'>;
}

/**
 * Which credentials a team's call to an outside service uses: the team's own when it saved them; else, while
 * the integration runs in sandbox mode, the sandbox defaults (so the product works with no accounts); else a
 * not_connected IntegrationError asking the team to connect the service. Used by the API and by activities.
 */
export function createIntegrationResolver({ store, config }: IntegrationResolverDeps) {
  const integrations = () => config.integrations;

  async function teamCredentials<P extends TeamIntegrationProvider>(
    teamId: string,
    provider: P,
  ): Promise<OpenedCredentials<P> | undefined> {
    const row = await store.find(teamId, provider);
    if (!row) return undefined;
    try {
      return openCredentials(integrations().encryptionKey, { ...row, provider });
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      // The encryption key changed or the row was altered: retrying cannot help, re-entering them does.
      throw new IntegrationError({
        provider,
        kind: 'not_connected',
        plainMessage: `The saved ${integrationDisplayNames[provider]} credentials cannot be read: enter them again in Settings → Integrations`,
        cause: err,
      });
    }
  }

  function sandboxOrThrow(provider: TeamIntegrationProvider): void {
    if (integrations()[provider].mode !== 'sandbox') throw notConnectedError(provider);
  }

  function clickbankSettings(own: OpenedCredentials<'clickbank'> | undefined): ClickbankSettings {
    const { apiBaseUrl, feedUrl } = integrations().clickbank;
    const creds = own
      ? { ...own.settings, ...own.secrets }
      : (sandboxOrThrow('clickbank'), SANDBOX_CREDENTIALS.clickbank);
    return {
      ...(creds.apiKey !== undefined ? { apiKey: creds.apiKey } : {}),
      baseUrl: apiBaseUrl,
      feedUrl,
      affiliateNickname: creds.affiliateNickname,
      insSecretKey: creds.insSecretKey,
    };
  }

  return {
    async anthropic(teamId: string): Promise<AnthropicSettings> {
      const own = await teamCredentials(teamId, 'anthropic');
      if (!own) sandboxOrThrow('anthropic');
      const { baseUrl, model } = integrations().anthropic;
      return { apiKey: own?.secrets.apiKey ?? SANDBOX_CREDENTIALS.anthropic.apiKey, baseUrl, model };
    },

    async clickbank(teamId: string): Promise<ClickbankSettings> {
      return clickbankSettings(await teamCredentials(teamId, 'clickbank'));
    },

    async postmark(teamId: string): Promise<PostmarkSettings> {
      const own = await teamCredentials(teamId, 'postmark');
      if (!own) sandboxOrThrow('postmark');
      const { requestHost, useHttps } = integrations().postmark;
      const creds = own ? { ...own.settings, ...own.secrets } : SANDBOX_CREDENTIALS.postmark;
      return {
        serverToken: creds.serverToken,
        requestHost,
        useHttps,
        fromEmail: creds.fromEmail,
        messageStream: creds.messageStream,
      };
    },

    async wordpress(teamId: string): Promise<WordpressSettings> {
      const own = await teamCredentials(teamId, 'wordpress');
      if (own) {
        return {
          siteUrl: own.settings.siteUrl,
          username: own.settings.username,
          applicationPassword: own.secrets.applicationPassword,
        };
      }
      sandboxOrThrow('wordpress');
      return { siteUrl: integrations().wordpress.sandboxUrl, ...SANDBOX_CREDENTIALS.wordpress };
    },

    /**
     * The team behind a ClickBank INS URL and the secret that decrypts its notifications, or undefined for an
     * unknown token. The INS webhook uses this; it never falls back to sandbox defaults (no token, no team).
     */
    async clickbankByInsToken(
      insToken: string,
    ): Promise<{ teamId: string; settings: ClickbankSettings } | undefined> {
      const row = await store.findClickbankByInsToken(insToken);
      if (!row) return undefined;
      const own = openCredentials(integrations().encryptionKey, { ...row, provider: 'clickbank' as const });
      return { teamId: row.teamId, settings: clickbankSettings(own) };
    },
  };
}
