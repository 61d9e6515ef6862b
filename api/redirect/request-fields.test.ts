import {
  cleanText,
  clickParams,
  countryFrom,
  referrerHost,
  SUB_ID_MAX_LENGTH,
  visitorAddress,
} from './request-fields';

describe('cleanText', () => {
  it('drops lone surrogates, NUL and other controls, keeps pairs whole when cutting', () => {
    expect(cleanText('a\uD800b\uDC00c', 10)).toBe('abc');
    expect(cleanText('\u0000x\u0001\u007f\u0085y\n', 10)).toBe('xy');
    expect(cleanText('😀😀😀', 2)).toBe('😀😀');
    expect(cleanText('ab😀', 3)).toBe('ab😀');
    expect(cleanText('  ', 5)).toBeNull();
    expect(cleanText('\u0000', 5)).toBeNull();
    expect(cleanText(undefined, 5)).toBeNull();
  });
});

describe('clickParams', () => {
  it('takes the first s1..s3, cuts long ones, and accepts src only as a source label', () => {
    const p = clickParams(`s1=a&s1=b&s2=${'z'.repeat(500)}&s3=&src=News_Letter`);
    expect(p).toEqual({ sub1: 'a', sub2: 'z'.repeat(SUB_ID_MAX_LENGTH), sub3: null, source: 'news_letter' });
    expect(clickParams('src=-bad').source).toBeNull();
    expect(clickParams('src=has%20space').source).toBeNull();
    expect(clickParams(`src=${'a'.repeat(33)}`).source).toBeNull();
    expect(clickParams('s1=%00%E2%80%8Bx').sub1).toBe('\u200Bx');
  });
});

describe('referrerHost', () => {
  it('keeps the host only, lower-case, without www.', () => {
    expect(referrerHost('https://WWW.Example.com:8443/path?q=secret')).toBe('example.com');
    expect(referrerHost('android-app://com.google.android.gm/')).toBe('com.google.android.gm');
    expect(referrerHost('not a url')).toBeNull();
    expect(referrerHost('javascript:alert(1)')).toBeNull();
    expect(referrerHost(undefined)).toBeNull();
  });
});

describe('countryFrom', () => {
  it('reads the configured header only, two letters, not XX or T1', () => {
    expect(countryFrom({ 'cf-ipcountry': 'fr' }, 'cf-ipcountry')).toBe('FR');
    expect(countryFrom({ 'cf-ipcountry': 'fr' }, null)).toBeNull();
    expect(countryFrom({ 'cf-ipcountry': 'XX' }, 'cf-ipcountry')).toBeNull();
    expect(countryFrom({ 'cf-ipcountry': 'T1' }, 'cf-ipcountry')).toBeNull();
    expect(countryFrom({ 'cf-ipcountry': 'FRA' }, 'cf-ipcountry')).toBeNull();
  });
});

describe('visitorAddress', () => {
  it('believes X-Forwarded-For only behind a trusted proxy', () => {
    const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' };
    expect(visitorAddress(headers, '10.0.0.1', true)).toBe('203.0.113.9');
    expect(visitorAddress(headers, '10.0.0.1', false)).toBe('10.0.0.1');
  });
});
