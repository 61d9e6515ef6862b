import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../lib/config';

const ISSUER = 'hopflow';
const AUDIENCE = 'hopflow-api';

export interface AccessTokenIssued {
  accessToken: string;
  expiresIn: number;
}

export interface AccessTokenClaims {
  userId: string;
  /** The session (refresh-token family) the token belongs to; revoked sessions end their access tokens. */
  sessionId: string;
}

/** Short-lived HS256 JWT; sub = user id, sid = session id (the refresh-token family). */
export function signAccessToken(auth: Config['auth'], userId: string, sessionId: string): AccessTokenIssued {
  const accessToken = jwt.sign({ sid: sessionId }, auth.jwtSecret, {
    algorithm: 'HS256',
    subject: userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: auth.accessTokenTtlSeconds,
    jwtid: randomUUID(),
  });
  return { accessToken, expiresIn: auth.accessTokenTtlSeconds };
}

/**
 * Returns the user and session ids, or null for any invalid/expired/foreign token, and for a token without a
 * session id (signed before sessions existed): such a token could not be revoked, so it is not accepted.
 */
export function verifyAccessToken(auth: Config['auth'], token: string): AccessTokenClaims | null {
  try {
    const payload = jwt.verify(token, auth.jwtSecret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string') return null;
    const sid: unknown = payload.sid;
    return typeof sid === 'string' && sid !== '' ? { userId: payload.sub, sessionId: sid } : null;
  } catch {
    return null;
  }
}

/**
 * Opaque one-time token (refresh tokens, registration confirmations): 32 random bytes; only its SHA-256 is stored,
 * so a database leak yields no tokens.
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
