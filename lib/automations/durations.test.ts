import { durationSchema, MAX_WAIT_MS, parseDuration } from './durations';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1w2d3h4m5s', 788_645_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '1.5h', '-1d', '1m1h', '1 d', 'soon'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('bounds a duration field, a year at most for waits', () => {
    const wait = durationSchema(MAX_WAIT_MS);
    expect(wait.safeParse('365d').success).toBe(true);
    expect(wait.safeParse('52w1d').success).toBe(true);
    expect(wait.safeParse('366d').error?.issues.map((i) => i.message)).toEqual(['at most 365 days']);
    expect(wait.safeParse('0s').error?.issues.map((i) => i.message)).toEqual(['at least 1 second']);
    expect(wait.safeParse('later').error?.issues.map((i) => i.message)).toEqual([
      'a duration such as 30s, 15m, 2h, 7d or 1h30m',
    ]);
  });
});
