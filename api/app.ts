import express from 'express';
import type { Registry } from 'prom-client';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { apiReferenceRouter } from './http/api-reference';
import { trustUiClientAddress } from './http/client-info';
import { errorHandler, unknownRoute } from './http/errors';
import { createMetrics, observeRequests } from './http/metrics';
import { buildOpenApiDocument } from './http/openapi';
import { assignRequestId } from './http/request-id';
import { rateLimit } from './http/rate-limit';
import { serializeRequest } from './http/request-log';
import { mountRoutes } from './http/route';
import { securityHeaders } from './http/security-headers';
import { teamConcurrency } from './http/team-concurrency';
import { requireUser } from './middleware/auth';
import { teamAccess } from './middleware/team-access';
import { apiRoutes } from './routes';
import { AUTOMATION_HOOKS_PATH, automationHookIntake } from './routes/automation-hooks';
import { createSessionRevocations } from './services/session-revocations';
import { BONUS_DOWNLOADS_BASE_PATH, bonusDownloadRouter } from './routes/bonus-downloads';
import { healthRouter } from './routes/health';
import { UNSUBSCRIBE_BASE_PATH, unsubscribeRouter } from './routes/unsubscribe';
import { webhookRouter, WEBHOOKS_BASE_PATH } from './routes/webhooks';
import { apiVersion } from './version';

export type { ApiDeps } from './deps';

const API_BASE_PATH = '/api/v1';

const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** registerMetrics: adds metrics of what runs beside the app (the redirect) to its /metrics registry. */
export function createApp(
  deps: ApiDeps,
  opts: { registerMetrics?: (registry: Registry) => void } = {},
): express.Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.api.trustProxy);
  const metrics = createMetrics();
  opts.registerMetrics?.(metrics.registry);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: assignRequestId,
      // No headers, no query values, no link tokens in the request log (see request-log.ts).
      serializers: { req: serializeRequest },
      autoLogging: { ignore: (req) => quietPaths.has(req.url?.split('?')[0] ?? '') },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(securityHeaders);
  app.use(trustUiClientAddress(deps.config.api.uiSecret));
  app.use(observeRequests(metrics));
  app.use(healthRouter(deps, metrics));
  // Outside /api/v1: no login, raw bodies (signatures are over the exact bytes).
  app.use(WEBHOOKS_BASE_PATH, webhookRouter(deps));
  // One-click unsubscribe links from emails (GET page, RFC 8058 POST): no login, the signed token is enough.
  app.use(UNSUBSCRIBE_BASE_PATH, unsubscribeRouter(deps));
  // Bonus links from buyers' emails: no login, the signed token is the permission.
  app.use(BONUS_DOWNLOADS_BASE_PATH, bonusDownloadRouter(deps));

  const routes = apiRoutes(deps, metrics);
  // The open doors limited per address; the document lists their 429 from here.
  const limitedDoors = [
    {
      method: 'post' as const,
      path: '/auth/register',
      name: 'register',
      limit: deps.config.limits.register,
      message: 'Too many sign-ups from this address, try again later',
    },
    {
      method: 'post' as const,
      path: '/auth/register/confirm',
      name: 'register_confirm',
      limit: deps.config.limits.registerConfirm,
      message: 'Too many account confirmations from this address, try again later',
    },
    {
      method: 'post' as const,
      path: '/auth/refresh',
      name: 'refresh',
      limit: deps.config.limits.refresh,
      message: 'Too many session refreshes from this address, try again later',
    },
  ];
  const openApiDocument = buildOpenApiDocument(routes, {
    version: apiVersion,
    basePath: API_BASE_PATH,
    rateLimited: limitedDoors,
  });

  const api = express.Router();
  // Per-address limits on the open auth doors (login counts failures itself: services/login-limits.ts).
  for (const door of limitedDoors) {
    // exactPath: /auth/register/confirm has its own budget, not register's.
    api.use(door.path, rateLimit(deps.kv, { ...door, methods: [door.method], exactPath: true }));
  }
  // Automation webhooks read their exact bytes (signatures), so they are parsed before express.json.
  api.use(AUTOMATION_HOOKS_PATH, automationHookIntake(deps));
  api.use(express.json({ limit: deps.config.api.bodyLimit }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  mountRoutes(
    api,
    routes,
    {
      requireUser: requireUser(deps.config.auth, createSessionRevocations(deps.kv, deps.config.auth)),
      teamAccess: (role) => teamAccess(deps.db, role),
      heavySlot: teamConcurrency(deps.kv, {
        limit: deps.config.limits.heavyRequestsPerTeam,
        logger: deps.logger,
      }),
    },
    API_BASE_PATH,
  );
  // The rendered reference of that document; its own router, so it is not one of the documented routes.
  app.use(`${API_BASE_PATH}/docs`, apiReferenceRouter(`${API_BASE_PATH}/openapi.json`));
  app.use(API_BASE_PATH, api);

  app.use(unknownRoute);
  app.use(errorHandler({ logger: deps.logger, metrics, bodyLimit: deps.config.api.bodyLimit }));
  return app;
}
