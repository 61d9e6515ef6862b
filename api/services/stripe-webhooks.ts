import type { Knex } from 'knex';
import { StripeSignatureError, verifyStripeWebhook } from '../../lib/integrations/adapters/stripe';
import type { Config } from '../../lib/config';
import { AppError, serviceUnavailable } from '../../lib/errors';
import { teamExists } from '../../data/teams';
import { recordWebhookEvent } from '../../data/webhook-events';

export interface StripeWebhookReceipt {
  eventId: string;
  stripeEventId: string;
  type: string;
  duplicate: boolean;
}

/**
 * Stripe webhooks: the signature is checked over the raw body before anything is parsed or stored; a
 * verified event is stored once per Stripe event id (Stripe redelivers for days and out of order).
 * Acting on events (subscriptions) comes with billing.
 */
export function createStripeWebhookService(deps: { db: Knex; config: Pick<Config, 'integrations'> }) {
  return {
    async receive(rawBody: Buffer, signature: string | undefined): Promise<StripeWebhookReceipt> {
      const secret = deps.config.integrations.stripe.webhookSecret;
      if (!secret) {
        throw serviceUnavailable(
          'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)',
          'stripe_not_configured',
        );
      }
      let event;
      try {
        event = verifyStripeWebhook(rawBody, signature, secret);
      } catch (err) {
        if (err instanceof StripeSignatureError) {
          throw new AppError(400, 'stripe_signature_invalid', err.message);
        }
        throw err;
      }
      const claimedTeam = teamIdOf(event.data.object);
      // Metadata is only a claim: an unknown (e.g. deleted) team leaves the event unmatched.
      const team = claimedTeam && (await teamExists(deps.db, claimedTeam)) ? { id: claimedTeam } : undefined;
      const stored = await recordWebhookEvent(deps.db, {
        source: 'stripe',
        externalId: event.id,
        teamId: team?.id ?? null,
        payload: event,
      });
      return {
        eventId: stored.event.id,
        stripeEventId: event.id,
        type: event.type,
        duplicate: !stored.inserted,
      };
    },
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our customers, sessions and subscriptions carry metadata.teamId; anything else stays unmatched (NULL). */
function teamIdOf(object: unknown): string | null {
  if (!object || typeof object !== 'object') return null;
  const metadata = (object as { metadata?: unknown }).metadata;
  const teamId =
    metadata && typeof metadata === 'object' ? (metadata as { teamId?: unknown }).teamId : undefined;
  return typeof teamId === 'string' && uuidPattern.test(teamId) ? teamId : null;
}
