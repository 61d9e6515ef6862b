import { createHash } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { apiRequest } from './api';
import type { Session } from '$api/auth';

export const ACCESS_COOKIE = 'hf_access';
export const REFRESH_COOKIE = 'hf_refresh';
/** The cookie lives as long as the API's refresh token (same variable and default as lib/config.ts). */
function refreshCookieMaxAge(): number {
  const days = Number(env.REFRESH_TOKEN_TTL_DAYS ?? 7);
  return 60 * 60 * 24 * (Number.isFinite(days) && days > 0 ? days : 7);
}
/** Refresh when the access token has less than this left, so it cannot expire mid-request. */
const REFRESH_MARGIN_SECONDS = 30;

function cookieOptions(url: URL) {
  // `secure` only over https: a browser would drop a secure cookie sent from http://127.0.0.1.
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' };
}

export function setSessionCookies(cookies: Cookies, url: URL, tokens: Session): void {
  const opts = cookieOptions(url);
  cookies.set(ACCESS_COOKIE, tokens.accessToken, {
    ...opts,
    maxAge: Math.max(1, Math.floor(tokens.expiresIn)),
  });
  cookies.set(REFRESH_COOKIE, tokens.refreshToken, { ...opts, maxAge: refreshCookieMaxAge() });
}

export function clearSessionCookies(cookies: Cookies, url: URL): void {
  const opts = cookieOptions(url);
  cookies.delete(ACCESS_COOKIE, opts);
  cookies.delete(REFRESH_COOKIE, opts);
}

/** Reads `exp` from a JWT without verifying it (the API verifies); unreadable tokens count as expired. */
function secondsUntilExpiry(token: string, nowMs = Date.now()): number {
  const payload = token.split('.')[1];
  if (!payload) return 0;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && 'exp' in claims && typeof claims.exp === 'number') {
      return claims.exp - nowMs / 1000;
    }
  } catch {
    // fall through: treat as expired
  }
  return 0;
}

export function needsRefresh(accessToken: string | undefined): boolean {
  return !accessToken || secondsUntilExpiry(accessToken) <= REFRESH_MARGIN_SECONDS;
}

/*
 * The API revokes a whole token family when a refresh token is presented twice. Two browser requests
 * (a poll and a navigation, say) can both arrive carrying the same expiring cookie, so rotations are
 * single-flight per refresh token and the outcome is remembered briefly for late arrivals that still
 * carry the old cookie. Keys are hashes so the old token itself is not kept in memory.
 */
const REUSE_GRACE_MS = 60_000;
const rotations = new Map<string, { promise: Promise<Session>; expiresAt: number }>();

function keyOf(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url');
}

function pruneRotations(now: number): void {
  for (const [key, entry] of rotations) if (entry.expiresAt <= now) rotations.delete(key);
}

export function refreshSession(refreshToken: string, requestId: string): Promise<Session> {
  const now = Date.now();
  pruneRotations(now);
  const key = keyOf(refreshToken);
  const existing = rotations.get(key);
  if (existing) return existing.promise;
  const promise = apiRequest<Session>('POST', '/auth/refresh', { refreshToken }, { requestId });
  rotations.set(key, { promise, expiresAt: now + REUSE_GRACE_MS });
  // A failed rotation is not cached beyond its own flight: a network blip must not lock the user out.
  promise.catch(() => rotations.delete(key));
  return promise;
}
