import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../lib/config';

const ISSUER = 'hopflow';
const AUDIENCE = 'hopflow-api';

export interface AccessTokenIssued {
  accessToken: string;
  expiresIn: number;
}

/** Short-lived HS256 JWT; sub = user id. */
export function signAccessToken(auth: Config['auth'], userId: string): AccessTokenIssued {
  const accessToken = jwt.sign({}, auth.jwtSecret, {
    algorithm: 'HS256',
    subject: userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: auth.accessTokenTtlSeconds,
    jwtid: randomUUID(),
  });
  return { accessToken, expiresIn: auth.accessTokenTtlSeconds };
}

/** Returns the user id, or null for any invalid/expired/foreign token. */
export function verifyAccessToken(auth: Config['auth'], token: string): string | null {
  try {
    const payload = jwt.verify(token, auth.jwtSecret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}

/** Opaque refresh token: 32 random bytes; only its SHA-256 is stored, so a database leak yields no tokens. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
