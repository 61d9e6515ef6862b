import { randomBytes } from 'node:crypto';
import { open, seal } from '../../lib/crypto/secret-box';

/**
 * A webhook automation's secret: one format for both schemes. `whsec_` + base64 of 32 random bytes is a
 * Standard Webhooks signing key as the standardwebhooks library reads it, and works as a bearer token too, so a
 * trigger switched between the schemes keeps its secret.
 */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

// Binds the sealed value to its automation: copied into another row it fails to open.
const aad = (teamId: string, automationId: string) => `${teamId}:automation:${automationId}:webhook`;

/** Sealed with the integrations key, like teams' provider credentials (lib/integrations/store.ts). */
export const sealWebhookSecret = (
  key: Buffer,
  teamId: string,
  automationId: string,
  secret: string,
): string => seal(key, secret, aad(teamId, automationId));

export const openWebhookSecret = (
  key: Buffer,
  teamId: string,
  automationId: string,
  sealed: string,
): string => open(key, sealed, aad(teamId, automationId));
