import express, { type Router } from 'express';
import { verifyLinkToken } from '../../lib/links';
import { setContactStatus } from '../../data/contacts';
import { findContactTeamId } from '../../data/sequence-runs';
import type { ApiDeps } from '../deps';
import { sendPublicPage } from '../http/public-page';
import { createSequenceRunner } from '../services/sequence-runs';

export const UNSUBSCRIBE_BASE_PATH = '/u';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  const runner = createSequenceRunner({ db: deps.db, temporal: deps.temporal?.client ?? null });

  /** The contact's team when the token is good, after unsubscribing them and stopping their sequences. */
  async function unsubscribe(token: string): Promise<boolean> {
    const verdict = verifyLinkToken(deps.config.links.secret, 'unsubscribe', token);
    if (!verdict.ok || !UUID.test(verdict.claims.id)) return false;
    const contactId = verdict.claims.id;
    const teamId = await findContactTeamId(deps.db, contactId);
    if (!teamId) return false;
    await setContactStatus(deps.db, {
      teamId,
      contactId,
      status: 'unsubscribed',
      reason: 'unsubscribe link',
    });
    try {
      await runner.stopContactSequences({ teamId, contactId, reason: 'The contact unsubscribed' });
    } catch (err) {
      // The runs are marked stopped already, and every later send checks the contact's status.
      deps.logger.warn({ err, contactId }, 'could not signal every sequence run to stop');
    }
    return true;
  }

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
