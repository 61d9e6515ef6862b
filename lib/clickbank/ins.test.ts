import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  InsDecodeError,
  decryptIns,
  deriveInsKey,
  encryptIns,
  insDedupeKey,
  isTestTransaction,
  parseTransactionTime,
} from './ins';

interface Vector {
  name: string;
  secretKey: string;
  body: { notification: string; iv: string };
  decrypted: Record<string, unknown>;
}

const repoRoot = path.resolve(__dirname, '../..');
const vectors = (
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/vectors/clickbank-ins.json'), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;

const decodeError = (fn: () => unknown): InsDecodeError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InsDecodeError) return err;
    throw err;
  }
  throw new Error('expected an InsDecodeError');
};

describe('ClickBank INS', () => {
  it('derives the key from the lowercase hex SHA-1 as 32 ASCII bytes', () => {
    const key = deriveInsKey('G3B7H7T87J2E0VFN');
    expect(key).toHaveLength(32);
    expect(key.toString('ascii')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('has both published vectors', () => {
    expect(vectors.map((v) => v.name)).toEqual(['v6-sale', 'v7-test']);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('decodes the %s vector', (_name, vector) => {
    const decoded = decryptIns(vector.body, vector.secretKey);
    expect(decoded).toEqual(vector.decrypted);
    expect(decoded.lineItems[0]?.itemNo).toBe('1');
    expect(parseTransactionTime(decoded.transactionTime)).toBeInstanceOf(Date);
  });

  it('parses both time formats', () => {
    expect(parseTransactionTime('2023-07-28T02:07:57+00:00').toISOString()).toBe('2023-07-28T02:07:57.000Z');
    expect(parseTransactionTime('20220810T162015-0700').toISOString()).toBe('2022-08-10T23:20:15.000Z');
    expect(() => parseTransactionTime('yesterday')).toThrow(InsDecodeError);
  });

  it('round-trips encrypt/decrypt with string amounts and version "7.0"', () => {
    const payload = {
      transactionTime: '2024-03-01T10:00:00-05:00',
      receipt: 'ABCD1234',
      transactionType: 'SALE',
      vendor: 'vendorx',
      affiliate: 'sandboxaff',
      totalAccountAmount: '37.50',
      trackingCodes: ['camp_1'],
      lineItems: [{ itemNo: '1', productTitle: 'Guide', accountAmount: '37.50', quantity: 1 }],
      version: '7.0',
      attemptCount: 1,
      someFutureField: { kept: true },
    };
    const body = encryptIns(payload, 'SANDBOXSECRETKY1');
    expect(Buffer.from(body.iv, 'base64')).toHaveLength(16);
    const decoded = decryptIns(body, 'SANDBOXSECRETKY1');
    expect(decoded.totalAccountAmount).toBe(37.5);
    expect(decoded.version).toBe(7);
    expect(decoded.trackingCodes).toEqual(['camp_1']);
    expect(decoded.someFutureField).toEqual({ kept: true });
  });

  it('reports each decode failure with its own code', () => {
    const good = encryptIns(
      { transactionTime: 'x', receipt: 'R', transactionType: 'SALE', version: 6 },
      'KEY1',
    );
    expect(decodeError(() => decryptIns(good, 'WRONGKEY')).code).toBe('bad_key_or_ciphertext');
    expect(decodeError(() => decryptIns({ notification: '%%%not base64', iv: good.iv }, 'KEY1')).code).toBe(
      'bad_base64',
    );
    expect(decodeError(() => decryptIns({ notification: good.notification, iv: 'AAAA' }, 'KEY1')).code).toBe(
      'bad_base64',
    );
    expect(decodeError(() => decryptIns(encryptIns('{"receipt": ', 'KEY1'), 'KEY1')).code).toBe('bad_json');
    expect(decodeError(() => decryptIns(encryptIns({ hello: 'world' }, 'KEY1'), 'KEY1')).code).toBe(
      'bad_shape',
    );
    expect(decodeError(() => decryptIns({ notification: 1 }, 'KEY1')).code).toBe('bad_shape');
    expect(decodeError(() => decryptIns(null, 'KEY1')).message).toMatch(/notification/);
  });

  it('never mistakes a wrong key for valid JSON across many keys', () => {
    const body = encryptIns(
      { transactionTime: 'x', receipt: 'R', transactionType: 'SALE', version: 6 },
      'RIGHT',
    );
    for (let i = 0; i < 300; i++) {
      const code = decodeError(() => decryptIns(body, `WRONG${i}`)).code;
      expect(['bad_key_or_ciphertext', 'bad_json']).toContain(code);
    }
  });

  it('builds dedupe keys from receipt/type/items, or the body hash for TEST and masked receipts', () => {
    const sale = {
      receipt: 'ABCD1234',
      transactionType: 'SALE',
      lineItems: [{ itemNo: '1' }, { itemNo: '3' }],
    };
    expect(insDedupeKey(sale, 'body')).toBe('ABCD1234:SALE:1+3');
    const test = insDedupeKey({ receipt: 'ABCD1234', transactionType: 'TEST_SALE', lineItems: [] }, 'body-a');
    expect(test).toMatch(/^test:[0-9a-f]{64}$/);
    expect(insDedupeKey({ receipt: '********', transactionType: 'SALE' }, 'body-a')).toBe(test);
    expect(insDedupeKey({ receipt: '********', transactionType: 'SALE' }, 'body-b')).not.toBe(test);
    expect(isTestTransaction('TEST')).toBe(true);
    expect(isTestTransaction('RFND')).toBe(false);
  });
});
