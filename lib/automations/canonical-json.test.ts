import { canonicalJson, contentHash } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and writes numbers and strings as ECMAScript does', () => {
    const value = {
      b: [1, 2.5e-7, 1e21, 'é\u2028', null, true],
      a: { é: 1, z: 2, '\ud83d\ude00': 3, '\uffff': 4 },
      '': -0,
    };
    // The output of the reference implementation (the canonicalize package) for the same value.
    expect(canonicalJson(value)).toBe(
      '{"":0,"a":{"z":2,"é":1,"😀":3,"￿":4},"b":[1,2.5e-7,1e+21,"é\u2028",null,true]}',
    );
  });

  it('ignores key order and undefined members, refuses what JSON cannot hold', () => {
    expect(contentHash({ a: 1, b: { c: [1, 2] } })).toBe(
      contentHash({ b: { c: [1, 2] }, a: 1, d: undefined }),
    );
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(() => canonicalJson({ a: NaN })).toThrow();
    expect(() => canonicalJson('\ud800')).toThrow();
  });
});
