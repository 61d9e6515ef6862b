import express, { type Router } from 'express';
import type { ApiDeps } from '../deps';
import { sendPublicPage } from '../http/public-page';
import { rateLimit } from '../http/rate-limit';
import { createUnsubscribeService } from '../services/unsubscribe';

export const UNSUBSCRIBE_BASE_PATH = '/u';

/** RFC 8058 one-click bodies are one short form field. */
const ONE_CLICK_BODY_LIMIT = '4kb';

/**
 * One-click unsubscribe links from emails, outside /api/v1 and without a login: the signed token names the
 * contact. GET (a reader's click) answers a small page; POST is RFC 8058 one-click (mail clients' unsubscribe
 * button, body `List-Unsubscribe=One-Click`) and answers 200 without one. Both are idempotent; a bad or forged
 * token changes nothing and answers 404.
 */
export function unsubscribeRouter(deps: ApiDeps): Router {
  const router = express.Router();
  router.use(
    rateLimit(deps.kv, {
      name: 'unsubscribe',
      limit: deps.config.limits.publicLinks,
      message: 'Too many clicks from this address, try again in a minute',
      pageTitle: 'Please wait a minute',
    }),
  );
  const service = createUnsubscribeService({
    db: deps.db,
    config: deps.config,
    logger: deps.logger,
    temporal: deps.temporal?.client ?? null,
  });
  const unsubscribe = (token: string) => service.unsubscribe(token);

  const label =
    (pattern: string): express.RequestHandler =>
    (_req, res, next) => {
      res.locals.routePattern = pattern;
      next();
    };

  router.get('/:token', label(`${UNSUBSCRIBE_BASE_PATH}/:token`), async (req, res) => {
    if (!(await unsubscribe(String(req.params.token)))) {
      sendPublicPage(
        res,
        404,
        'Link not found',
        'This unsubscribe link is not valid. Check that it was copied completely.',
      );
      return;
    }
    sendPublicPage(res, 200, 'You are unsubscribed', 'You will not get any more emails from this list.');
  });

  router.post(
    '/:token',
    label(`${UNSUBSCRIBE_BASE_PATH}/:token`),
    express.urlencoded({ extended: false, limit: ONE_CLICK_BODY_LIMIT }),
    async (req, res) => {
      if (!(await unsubscribe(String(req.params.token)))) {
        sendPublicPage(res, 404, 'Link not found', 'This unsubscribe link is not valid.');
        return;
      }
      res.status(200).end();
    },
  );

  return router;
}
