/**
 * The outside services a team connects with its own account, and which of their fields are secrets.
 * Secrets are sealed at rest and never sent back; the other fields are stored as plain settings.
 * (Stripe is platform-level, not per team, so it is not here.)
 */
export const teamIntegrationProviders = ['clickbank', 'anthropic', 'postmark', 'wordpress'] as const;
export type TeamIntegrationProvider = (typeof teamIntegrationProviders)[number];

export interface ProviderSecrets {
  clickbank: { insSecretKey: string; apiKey?: string };
  anthropic: { apiKey: string };
  postmark: { serverToken: string };
  wordpress: { applicationPassword: string };
}

export interface ProviderSettings {
  clickbank: { affiliateNickname: string };
  anthropic: Record<string, never>;
  postmark: { fromEmail: string; messageStream: string };
  wordpress: { siteUrl: string; username: string };
}

/** Secret fields per provider; `required` ones must be present once saved (a first save must send them). */
export const secretFields: {
  [P in TeamIntegrationProvider]: { name: keyof ProviderSecrets[P] & string; required: boolean }[];
} = {
  clickbank: [
    { name: 'insSecretKey', required: true },
    { name: 'apiKey', required: false },
  ],
  anthropic: [{ name: 'apiKey', required: true }],
  postmark: [{ name: 'serverToken', required: true }],
  wordpress: [{ name: 'applicationPassword', required: true }],
};

export const integrationDisplayNames: Record<TeamIntegrationProvider, string> = {
  clickbank: 'ClickBank',
  anthropic: 'Claude (Anthropic)',
  postmark: 'Postmark',
  wordpress: 'WordPress',
};

/** Additional authenticated data for a team's sealed credentials: a copied ciphertext fails to open. */
export const secretAad = (teamId: string, provider: TeamIntegrationProvider): string =>
  `${teamId}:${provider}`;

/** Which credentials a call would use right now. */
export type CredentialSource = 'team' | 'sandbox' | 'none';

export function credentialSource(mode: 'sandbox' | 'live', connected: boolean): CredentialSource {
  if (connected) return 'team';
  return mode === 'sandbox' ? 'sandbox' : 'none';
}
