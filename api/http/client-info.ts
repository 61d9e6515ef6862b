import crypto from 'node:crypto';
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { ClientInfo } from '../services/auth';

/** Sent by the UI server (ui/src/lib/server/api.ts): the shared secret, and the browser's address it vouches for. */
const UI_SECRET_HEADER = 'x-hopflow-ui-secret';
const UI_CLIENT_ADDRESS_HEADER = 'x-hopflow-client-address';

const vouched = new WeakMap<Request, string>();

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/**
 * Every browser reaches the API through the UI server, so without this they would all share its address (and
 * its login and registration budgets). A request carrying the UI secret may name the browser's address; without
 * the secret, or with a wrong one, the header is ignored and the request's own address counts.
 */
export function trustUiClientAddress(secret: string | null): RequestHandler {
  const expected = secret ? digest(secret) : null;
  return (req, _res, next) => {
    const given = req.get(UI_SECRET_HEADER);
    const address = req.get(UI_CLIENT_ADDRESS_HEADER)?.trim();
    if (expected && given && address && isIP(address) && crypto.timingSafeEqual(digest(given), expected)) {
      vouched.set(req, address);
    }
    next();
  };
}

/**
 * The client's address: the one the UI server vouched for, else req.ip (which honours the trust-proxy setting,
 * so X-Forwarded-For only counts behind a configured proxy).
 */
export function clientAddress(req: Request): string {
  return vouched.get(req) ?? req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function clientInfo(req: Request): ClientInfo {
  return { ip: clientAddress(req), userAgent: req.get('user-agent') };
}
