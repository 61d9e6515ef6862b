import crypto from 'node:crypto';

/**
 * Links in emails that work without a login: `/u/{token}` (unsubscribe) and `/b/{token}` (bonus download).
 * A token is `<payload>.<signature>`: the payload (base64url JSON) names what the link is for, the object id
 * and an optional expiry (unix seconds); the signature is HMAC-SHA256 over purpose + payload, so a token made
 * for one purpose never verifies for another and nobody can forge or extend one.
 */
export type LinkPurpose = 'unsubscribe' | 'bonus';

export interface LinkClaims {
  /** The object the link acts on (contact id, bonus delivery id). */
  id: string;
  /** Unix seconds after which the link no longer works; absent = never expires. */
  exp?: number;
}

export type LinkVerdict =
  { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const sign = (secret: Buffer, purpose: LinkPurpose, payload: string): string =>
  crypto.createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url');

export function signLinkToken(secret: Buffer, purpose: LinkPurpose, claims: LinkClaims): string {
  const body: Record<string, unknown> = { id: claims.id };
  if (claims.exp !== undefined) body.exp = claims.exp;
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(secret, purpose, payload)}`;
}

export function verifyLinkToken(
  secret: Buffer,
  purpose: LinkPurpose,
  token: string,
  now: Date = new Date(),
): LinkVerdict {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(sign(secret, purpose, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad_signature' };
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed' };
  const { id, exp } = claims as { id?: unknown; exp?: unknown };
  if (typeof id !== 'string' || id === '' || (exp !== undefined && typeof exp !== 'number')) {
    return { ok: false, reason: 'malformed' };
  }
  if (exp !== undefined && exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: exp === undefined ? { id } : { id, exp } };
}

/** SHA-256 of a token, for storing it (bonus_deliveries.token_hash) without keeping the token itself. */
export const hashLinkToken = (token: string): string =>
  crypto.createHash('sha256').update(token).digest('hex');

export const unsubscribeUrl = (links: { secret: Buffer; publicUrl: string }, contactId: string): string =>
  `${links.publicUrl}/u/${signLinkToken(links.secret, 'unsubscribe', { id: contactId })}`;
