import express, { type RequestHandler, type Router } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, tooManyRequests } from '../../lib/errors';
import type { ApiDeps } from '../deps';
import { defineRoute, type ApiRoute } from '../http/route';
import { startedRunResponse } from '../schemas/automations';
import { z } from '../schemas/zod';
import type { AutomationHookService } from '../services/automation-hooks';

/** Webhook payloads are JSON up to this size (413 beyond). */
const HOOK_BODY_LIMIT = '1mb';

export const AUTOMATION_HOOKS_PATH = '/hooks';

const hookParams = z.object({
  // Checked in the service: anything that is not an automation's id answers 404, never 400 or 500.
  automationId: z.string().max(100),
});

const hookBody = z.unknown().openapi({
  type: 'object',
  description:
    'Any JSON (at most 1 MB): what the run reads as trigger. Authenticated by Authorization: Bearer <secret> ' +
    '(scheme token) or the webhook-id, webhook-timestamp and webhook-signature headers (standard_webhooks)',
});

/**
 * Before express.json: counts the delivery against its automation's budget (before the body is read), then
 * reads the exact bytes (any content type; the service answers 415 to non-JSON after recording it), so
 * signatures and the body-hash key are over what was sent.
 */
export function automationHookIntake(deps: Pick<ApiDeps, 'kv' | 'config'>): Router {
  const router = express.Router();
  const limiter = deps.kv.createRateLimiter({
    keyPrefix: 'limit_automation_hook',
    points: deps.config.limits.webhooks.points,
    duration: deps.config.limits.webhooks.windowSeconds,
  });
  const limit: RequestHandler = async (req, _res, next) => {
    try {
      // Per automation: one noisy sender cannot starve another automation's deliveries.
      await limiter.consume(String(req.params.automationId));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw tooManyRequests(err.msBeforeNext / 1000, 'Too many deliveries to this automation, retry later');
    }
    next();
  };
  const parse = express.raw({ type: () => true, limit: HOOK_BODY_LIMIT });
  const raw: RequestHandler = (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      const tooLarge =
        typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
      next(
        tooLarge
          ? new AppError(413, 'payload_too_large', `The payload is larger than ${HOOK_BODY_LIMIT}`)
          : err,
      );
    });
  };
  router.post('/:automationId', limit, raw);
  return router;
}

export function automationHookRoutes(hooks: AutomationHookService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/hooks/{automationId}',
      summary: 'Deliver a webhook to an automation: recorded under its key, one run per key',
      tag: 'automations',
      auth: false,
      params: hookParams,
      body: hookBody,
      responses: {
        202: { description: 'started, duplicate (the same run) or filtered', schema: startedRunResponse },
        400: { description: 'The body is not valid JSON, or the filter or idempotency_key failed on it' },
        401: { description: 'webhook_unauthorized: wrong token, bad or expired signature' },
        404: { description: 'automation_not_found' },
        409: { description: 'automation_not_active, automation_paused or not_a_webhook' },
        413: { description: 'payload_too_large (over 1 MB)' },
        415: { description: 'unsupported_media_type: not JSON' },
        429: { description: 'rate_limited: too many deliveries to this automation (see Retry-After)' },
        503: {
          description: 'temporal_unavailable: the run could not be started (the key is free for a retry)',
        },
      },
      handler: async ({ req, params }) => {
        const answer = await hooks.receive({
          automationId: params.automationId,
          raw: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          header: (name) => req.get(name),
          isJson: Boolean(req.is(['application/json', '+json'])),
        });
        return { status: answer.status, body: answer.body };
      },
    }),
  ];
}
