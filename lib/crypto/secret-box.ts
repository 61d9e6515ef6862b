import crypto from 'node:crypto';

/**
 * AES-256-GCM for small secrets at rest (team credentials). Format: "v1.<iv>.<tag>.<ciphertext>", each part
 * base64url. The additional authenticated data binds a ciphertext to its owner (e.g. `${teamId}:${provider}`),
 * so a value copied into another row fails to open instead of lending one team's credentials to another.
 */

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size; random per message
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new SecretBoxError('secret box key must be 32 bytes');
}

export function seal(key: Buffer, plaintext: string, aad: string): string {
  checkKey(key);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function open(key: Buffer, sealed: string, aad: string): string {
  checkKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed v1 value');
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (!iv || iv.length !== IV_BYTES || !tag || tag.length !== TAG_BYTES || !ciphertext) {
    throw new SecretBoxError('malformed sealed value');
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // Wrong key, wrong owner (aad) or a tampered value: GCM cannot tell them apart, and should not.
    throw new SecretBoxError('sealed value failed authentication (wrong key, wrong owner or tampered)');
  }
}

export function sealJson(key: Buffer, value: unknown, aad: string): string {
  return seal(key, JSON.stringify(value), aad);
}

export function openJson<T = unknown>(key: Buffer, sealed: string, aad: string): T {
  return JSON.parse(open(key, sealed, aad)) as T;
}
