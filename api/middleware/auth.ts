import type { RequestHandler } from 'express';
import type { Config } from '../../lib/config';
import { unauthorized } from '../../lib/errors';
import type { SessionRevocations } from '../services/session-revocations';
import { verifyAccessToken } from '../services/tokens';
import '../http/locals';

/**
 * Requires `Authorization: Bearer <accessToken>` of a session that has not ended (logout, refresh-token
 * reuse): one kv lookup per request. Leaves { userId, sessionId } on res.locals.auth.
 */
export function requireUser(auth: Config['auth'], sessions: SessionRevocations): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized('Authentication required');
    const claims = verifyAccessToken(auth, match[1]);
    if (!claims || (await sessions.isRevoked(claims.sessionId))) {
      throw unauthorized('The access token is invalid or expired', 'invalid_token');
    }
    res.locals.auth = claims;
    next();
  };
}
