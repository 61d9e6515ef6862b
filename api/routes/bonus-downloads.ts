import express, { type Router } from 'express';
import type { ApiDeps } from '../deps';
import { sendPublicPage } from '../http/public-page';
import { rateLimit } from '../http/rate-limit';
import { createBonusDownloads } from '../services/bonuses';

export const BONUS_DOWNLOADS_BASE_PATH = '/b';

/**
 * `Content-Disposition: attachment` with the original name (RFC 6266): `filename*` carries it as UTF-8 (RFC 8187
 * percent-encoding, which also escapes the ' ( ) * that encodeURIComponent leaves), `filename` an ASCII
 * fallback for old clients (accents dropped, anything else non-printable as `_`).
 */
function attachment(name: string): string {
  const fallback = Array.from(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''), (ch) =>
    /^[\x20-\x7e]$/.test(ch) && ch !== '"' && ch !== '\\' ? ch : '_',
  ).join('');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * GET /b/{token}: the bonus link from a buyer's email. No login: the signed token is the permission. Mounted
 * outside /api/v1 like the webhooks.
 */
export function bonusDownloadRouter(deps: Pick<ApiDeps, 'db' | 'config' | 'logger' | 'kv'>): Router {
  const router = express.Router();
  router.use(
    rateLimit(deps.kv, {
      name: 'bonus_download',
      limit: deps.config.limits.publicLinks,
      message: 'Too many downloads from this address, try again in a minute',
      pageTitle: 'Please wait a minute',
    }),
  );
  const downloads = createBonusDownloads(deps);

  router.get('/:token', async (req, res) => {
    res.locals.routePattern = `${BONUS_DOWNLOADS_BASE_PATH}/:token`;
    const verdict = await downloads.resolve(String(req.params.token), { count: req.method === 'GET' });
    switch (verdict.kind) {
      case 'not_found':
        sendPublicPage(
          res,
          404,
          'Link not found',
          'This download link is not valid. Check that you copied all of it.',
        );
        return;
      case 'revoked':
        sendPublicPage(res, 410, 'Access withdrawn', 'Access to this bonus was withdrawn after a refund.');
        return;
      case 'expired':
        sendPublicPage(
          res,
          410,
          'Link expired',
          'This download link has expired. Contact the sender for a new one.',
        );
        return;
      case 'redirect':
        res.set('Cache-Control', 'no-store').redirect(302, verdict.url);
        return;
      case 'file': {
        const opened = await downloads.files.open(verdict.path);
        if (!opened) {
          deps.logger.error({ path: verdict.path }, 'bonus file missing from disk');
          sendPublicPage(
            res,
            404,
            'File not found',
            'This bonus file is no longer available. Contact the sender.',
          );
          return;
        }
        res.status(200);
        res.set({
          'Content-Type': verdict.contentType,
          'Content-Length': String(opened.size),
          'Content-Disposition': attachment(verdict.name),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        await new Promise<void>((resolve, reject) => {
          opened.stream.on('error', reject);
          res.on('close', () => {
            opened.stream.destroy();
            resolve();
          });
          opened.stream.pipe(res);
        });
        return;
      }
    }
  });
  return router;
}
