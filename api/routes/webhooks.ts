import express, { type RequestHandler, type Router } from 'express';
import { AppError } from '../../lib/errors';
import type { ApiDeps } from '../deps';
import { rateLimit } from '../http/rate-limit';
import { createClickbankInsService } from '../services/clickbank-ins';
import { createStripeWebhookService } from '../services/stripe-webhooks';

/** ClickBank INS bodies are a few kilobytes; anything much larger is not from ClickBank. */
const INS_BODY_LIMIT = '256kb';
const STRIPE_BODY_LIMIT = '1mb';

export const WEBHOOKS_BASE_PATH = '/webhooks';

/** The exact bytes as a Buffer (any content type), with this route's own size limit in the 413 message. */
function rawBody(limit: string): RequestHandler {
  const parse = express.raw({ type: () => true, limit });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      const tooLarge =
        typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
      next(
        tooLarge ? new AppError(413, 'payload_too_large', `The request body is larger than ${limit}`) : err,
      );
    });
  };
}

/**
 * Webhooks from outside systems: no login (each request proves itself: the INS token + secret key, the Stripe
 * signature), raw bodies (signatures and dedupe hashes are over the exact bytes), mounted outside /api/v1.
 */
export function webhookRouter(deps: ApiDeps): Router {
  const router = express.Router();
  const ins = createClickbankInsService(deps);
  const stripe = createStripeWebhookService(deps);
  // Generous (senders retry and burst) but bounded; counted before the body is read.
  const limit = (name: string) =>
    rateLimit(deps.kv, {
      name,
      limit: deps.config.limits.webhooks,
      message: 'Too many webhook requests from this address, retry later',
    });

  // Any content type: ClickBank's is not always application/json.
  router.post(
    '/clickbank/ins/:insToken',
    (_req, res, next) => {
      res.locals.routePattern = `${WEBHOOKS_BASE_PATH}/clickbank/ins/:insToken`;
      next();
    },
    limit('webhook_clickbank'),
    rawBody(INS_BODY_LIMIT),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const receipt = await ins.receive(String(req.params.insToken), raw);
      // Answer first: ClickBank wants a quick 2xx; the workflow starts once the response is out ('close' also
      // fires when the sender hung up early, and the event is stored either way).
      res.once('close', () => {
        void ins.startNotification(receipt);
      });
      res.status(200).json({
        received: true,
        duplicate: receipt.duplicate,
        eventId: receipt.eventId,
        transactionType: receipt.transactionType,
      });
    },
  );

  router.post(
    '/stripe',
    (_req, res, next) => {
      res.locals.routePattern = `${WEBHOOKS_BASE_PATH}/stripe`;
      next();
    },
    limit('webhook_stripe'),
    rawBody(STRIPE_BODY_LIMIT),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const receipt = await stripe.receive(raw, req.get('stripe-signature'));
      res.status(200).json({ received: true, duplicate: receipt.duplicate, eventId: receipt.eventId });
    },
  );

  return router;
}
