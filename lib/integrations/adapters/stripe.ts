import Stripe from 'stripe';
import { fromHttpStatus, fromNetworkError, IntegrationError } from './errors';

/** Plain settings, so the same client serves live Stripe and stripe-mock. */
export interface StripeClientSettings {
  secretKey: string;
  /** Set for stripe-mock (e.g. 127.0.0.1); omitted for api.stripe.com. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** The SDK's own retries of network errors and 409/429/5xx (default 1). Activities add Temporal's on top. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export interface StripeTeamCustomer {
  teamId: string;
  name: string;
  email?: string;
  /** The customer already recorded for the team (subscriptions.stripe_customer_id), if any. */
  customerId?: string | null;
}

export interface CheckoutSessionInput {
  teamId: string;
  customerId: string;
  priceId: string;
  successUrl: string;
  cancelUrl: string;
}

/** Maps anything the SDK throws to an IntegrationError with the usual retry semantics. */
export function toStripeIntegrationError(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof Stripe.errors.StripeError) {
    if (err.statusCode === undefined) return fromNetworkError('stripe', err);
    const body = { error: { message: err.message, code: err.code ?? err.type } };
    return fromHttpStatus('stripe', err.statusCode, body, err.headers, (ctx) => {
      // Stripe's idempotency conflicts (409) and lock timeouts can succeed on a later attempt.
      if (err.type === 'StripeIdempotencyError' || err.code === 'lock_timeout') {
        return { kind: 'unavailable', retryable: true };
      }
      return ctx.retryAfterSeconds === undefined ? undefined : { retryAfterSeconds: ctx.retryAfterSeconds };
    });
  }
  return fromNetworkError('stripe', err);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStripeIntegrationError(err);
  }
}

export function createStripeClient(settings: StripeClientSettings) {
  const stripe = new Stripe(settings.secretKey, {
    ...(settings.host !== undefined ? { host: settings.host } : {}),
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    protocol: settings.protocol ?? 'https',
    maxNetworkRetries: settings.maxNetworkRetries ?? 1,
    timeout: settings.timeoutMs ?? 30000,
    telemetry: false,
  });

  return {
    /** The SDK itself, for what this adapter does not wrap. */
    sdk: stripe,

    /** One cheap authenticated call: the account balance. */
    async testConnection(): Promise<{ ok: true; detail: string }> {
      const balance = await call(() => stripe.balance.retrieve());
      const currencies = balance.available.map((b) => b.currency.toUpperCase()).join(', ') || 'none';
      return {
        ok: true,
        detail: `Connected to Stripe (${balance.livemode ? 'live' : 'test'} mode; balance in ${currencies})`,
      };
    },

    /**
     * The team's Stripe customer: the recorded one if it still exists, else a new one. The idempotency key makes
     * a retried activity reuse the customer created by the attempt that timed out.
     */
    async ensureCustomer(team: StripeTeamCustomer): Promise<Stripe.Customer> {
      const customerId = team.customerId;
      if (customerId) {
        const existing = await call(() => stripe.customers.retrieve(customerId));
        if (!existing.deleted) return existing;
      }
      return call(() =>
        stripe.customers.create(
          {
            name: team.name,
            ...(team.email ? { email: team.email } : {}),
            metadata: { teamId: team.teamId },
          },
          { idempotencyKey: `hopflow-customer:${team.teamId}` },
        ),
      );
    },

    /** A hosted Checkout page for a subscription to one price; the webhook records the outcome. */
    createCheckoutSession(input: CheckoutSessionInput): Promise<Stripe.Checkout.Session> {
      return call(() =>
        stripe.checkout.sessions.create({
          mode: 'subscription',
          customer: input.customerId,
          line_items: [{ price: input.priceId, quantity: 1 }],
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          client_reference_id: input.teamId,
          metadata: { teamId: input.teamId },
          subscription_data: { metadata: { teamId: input.teamId } },
        }),
      );
    },

    retrieveSubscription(subscriptionId: string): Promise<Stripe.Subscription> {
      return call(() => stripe.subscriptions.retrieve(subscriptionId));
    },
  };
}

/** Why a webhook was refused, in words an operator can act on. */
export class StripeSignatureError extends Error {
  override name = 'StripeSignatureError';
}

/** Default tolerance of Stripe's SDK: a signature older than five minutes is refused (replay protection). */
const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Verifies `Stripe-Signature` over the raw body and returns the event. Needs no API key: verification is local
 * HMAC with the endpoint's whsec_ secret.
 */
export function verifyStripeWebhook(
  rawBody: Buffer | string,
  signatureHeader: string | undefined,
  webhookSecret: string,
  toleranceSeconds = STRIPE_SIGNATURE_TOLERANCE_SECONDS,
): Stripe.Event {
  if (!signatureHeader) throw new StripeSignatureError('Missing Stripe-Signature header');
  try {
    return Stripe.webhooks.constructEvent(rawBody, signatureHeader, webhookSecret, toleranceSeconds);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      if (/tolerance/i.test(err.message)) {
        throw new StripeSignatureError(
          `Stripe-Signature timestamp is more than ${toleranceSeconds} s old (stale or replayed event)`,
        );
      }
      if (/expected signature/i.test(err.message)) {
        throw new StripeSignatureError(
          'Stripe-Signature does not match the body (wrong webhook secret or modified body)',
        );
      }
      throw new StripeSignatureError(`Stripe-Signature header is not usable: ${err.message.split('\n')[0]}`);
    }
    throw new StripeSignatureError(`Stripe webhook body could not be read: ${(err as Error).message}`);
  }
}

/** Exposed for tests and tools that sign payloads the way Stripe does. */
export const signStripeTestPayload = (payload: string, secret: string, timestamp?: number): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
