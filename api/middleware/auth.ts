import type { RequestHandler } from 'express';
import type { Config } from '../../lib/config';
import { unauthorized } from '../../lib/errors';
import { verifyAccessToken } from '../services/tokens';
import '../http/locals';

/** Requires `Authorization: Bearer <accessToken>`; leaves { userId } on res.locals.auth. */
export function requireUser(auth: Config['auth']): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized('Authentication required');
    const userId = verifyAccessToken(auth, match[1]);
    if (!userId) throw unauthorized('The access token is invalid or expired', 'invalid_token');
    res.locals.auth = { userId };
    next();
  };
}
