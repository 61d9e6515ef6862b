import crypto from 'node:crypto';
import { open, openJson, seal, sealJson, SecretBoxError } from './secret-box';

const key = crypto.randomBytes(32);
const aad = 'team-1:clickbank';

describe('secret box (AES-256-GCM)', () => {
  it('round-trips text and JSON', () => {
    expect(open(key, seal(key, 'héllo wörld', aad), aad)).toBe('héllo wörld');
    expect(open(key, seal(key, '', aad), aad)).toBe('');
    const value = { apiKey: 'API-XYZ', insSecretKey: 'ABC123' };
    expect(openJson(key, sealJson(key, value, aad), aad)).toEqual(value);
  });

  it('writes v1.<iv>.<tag>.<ciphertext> in base64url with a fresh 12-byte IV each time', () => {
    const a = seal(key, 'same secret', aad);
    const b = seal(key, 'same secret', aad);
    expect(a).not.toBe(b);
    const parts = a.split('.');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('v1');
    for (const p of parts.slice(1)) expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(parts[1] ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[2] ?? '', 'base64url')).toHaveLength(16);
    expect(a).not.toContain('same secret');
  });

  it('refuses a ciphertext moved to another owner (aad)', () => {
    const sealed = seal(key, 'secret', 'team-1:clickbank');
    expect(() => open(key, sealed, 'team-2:clickbank')).toThrow(SecretBoxError);
    expect(() => open(key, sealed, 'team-1:postmark')).toThrow(SecretBoxError);
  });

  it('refuses the wrong key', () => {
    const sealed = seal(key, 'secret', aad);
    expect(() => open(crypto.randomBytes(32), sealed, aad)).toThrow(/failed authentication/);
  });

  it('refuses any tampered part', () => {
    const sealed = seal(key, 'a longer secret value', aad);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      expect(() => open(key, tampered, aad)).toThrow(SecretBoxError);
    }
  });

  it('refuses malformed values and bad keys', () => {
    expect(() => open(key, 'plain text', aad)).toThrow(/not a sealed v1 value/);
    expect(() => open(key, 'v2.a.b.c', aad)).toThrow(/not a sealed v1 value/);
    expect(() => open(key, 'v1.AAAA.BBBB.CCCC', aad)).toThrow(/malformed/);
    expect(() => seal(Buffer.alloc(16), 'x', aad)).toThrow(/32 bytes/);
  });
});
