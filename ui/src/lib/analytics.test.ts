import {
  formatDay,
  formatRate,
  isFutureRange,
  rangeFromQuery,
  rowLabel,
  todayIn,
  withQuery,
} from './analytics';

const q = (s: string) => new URLSearchParams(s);

describe('the figures range in a page address', () => {
  it('defaults to the last 30 days by sale date, today included', () => {
    expect(rangeFromQuery(q(''), '2026-12-07')).toEqual({
      preset: 30,
      from: '2026-11-08',
      to: '2026-12-07',
      basis: 'sale',
    });
  });
  it('takes 7 and 90 days and the click basis; other day counts fall back to 30', () => {
    expect(rangeFromQuery(q('days=7&basis=click'), '2026-03-02')).toMatchObject({
      preset: 7,
      from: '2026-02-24',
      basis: 'click',
    });
    expect(rangeFromQuery(q('days=90'), '2026-12-07').from).toBe('2026-09-09');
    expect(rangeFromQuery(q('days=12'), '2026-12-07').preset).toBe(30);
  });
  it('keeps chosen days in order and to at most 366 of them; bad days fall back', () => {
    expect(rangeFromQuery(q('from=2026-12-01&to=2026-11-01'), '2026-12-07')).toMatchObject({
      preset: 0,
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(rangeFromQuery(q('from=2020-01-01&to=2026-12-07'), '2026-12-07').from).toBe('2025-12-07');
    expect(rangeFromQuery(q('from=2026-02-30&to=2026-03-01'), '2026-12-07').preset).toBe(30);
  });
  it('reads today in the team zone', () => {
    const at = new Date('2026-12-07T02:00:00Z');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-12-06');
    expect(todayIn('Asia/Tokyo', at)).toBe('2026-12-07');
  });
  it('changes one part of the address and keeps the rest', () => {
    expect(withQuery(q('team=t1&days=7&by=device'), { days: '90', from: null })).toBe(
      '?team=t1&days=90&by=device',
    );
  });
});

describe('figures in words', () => {
  it('says days with one month spelling and rates with one decimal', () => {
    expect(formatDay('2026-09-09')).toBe('9 Sep 2026');
    expect(formatDay('2026-12-22')).toBe('22 Dec 2026');
    expect(formatRate(0.03)).toBe('3.0%');
    expect(formatRate(0.0333)).toBe('3.3%');
    expect(formatRate(null)).toBe('—');
  });
  it('knows a range wholly after today', () => {
    const range = { preset: 0, from: '2027-01-01', to: '2027-01-31', basis: 'sale' as const };
    expect(isFutureRange(range, '2026-12-07')).toBe(true);
    expect(isFutureRange({ ...range, from: '2026-12-07' }, '2026-12-07')).toBe(false);
  });
});

describe('breakdown row names', () => {
  it('says unknown values and countries in words', () => {
    expect(rowLabel('country', 'US', 'US')).toBe('United States');
    expect(rowLabel('referrer', '', '(none)')).toBe('No referrer (email, apps, typed)');
    expect(rowLabel('sub1', '', '(none)')).toBe('No sub-id');
    expect(rowLabel('sub3', '', '(none)')).toBe('No sub-id');
    expect(rowLabel('link', '', '(none)')).toBe('No tracking link (plain HopLink)');
    expect(rowLabel('product', '', '(none)')).toBe('No catalog product');
    expect(rowLabel('country', '', '(none)')).toBe('Not known');
    expect(rowLabel('device', 'mobile', 'mobile')).toBe('Mobile');
  });
});
