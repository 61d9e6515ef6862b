import { hashLinkToken, signLinkToken, verifyLinkToken } from './links';

const secret = Buffer.alloc(32, 7);
const other = Buffer.alloc(32, 8);

describe('signed email links', () => {
  it('verifies its own token and returns the claims', () => {
    const token = signLinkToken(secret, 'bonus', { id: 'delivery-1', exp: 2_000_000_000 });
    expect(verifyLinkToken(secret, 'bonus', token, new Date('2030-01-01'))).toEqual({
      ok: true,
      claims: { id: 'delivery-1', exp: 2_000_000_000 },
    });
  });

  it('refuses another purpose, another key, a changed payload and an expired link', () => {
    const token = signLinkToken(secret, 'unsubscribe', { id: 'contact-1' });
    expect(verifyLinkToken(secret, 'bonus', token)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLinkToken(other, 'unsubscribe', token)).toEqual({ ok: false, reason: 'bad_signature' });
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ id: 'contact-2' })).toString('base64url')}.${signature}`;
    expect(verifyLinkToken(secret, 'unsubscribe', forged)).toEqual({ ok: false, reason: 'bad_signature' });
    const expiring = signLinkToken(secret, 'bonus', { id: 'd', exp: 1_700_000_000 });
    expect(verifyLinkToken(secret, 'bonus', expiring, new Date(1_700_000_000_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLinkToken(secret, 'bonus', 'not-a-token')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('hashes tokens for storage (same token, same hash)', () => {
    const token = signLinkToken(secret, 'bonus', { id: 'x' });
    expect(hashLinkToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkToken(token)).toBe(hashLinkToken(token));
    expect(hashLinkToken(token)).not.toBe(hashLinkToken(token + 'x'));
  });
});
