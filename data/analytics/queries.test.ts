import { daysBetween, figuresOf } from './queries';
import { monthStart } from './partitions';

const sums = {
  clicks: 0,
  uniqueClicks: 0,
  botClicks: 0,
  sales: 0,
  rebills: 0,
  refunds: 0,
  chargebacks: 0,
  grossCents: 0,
  refundedCents: 0,
};

describe('analytics read helpers', () => {
  it('lists every calendar day of a range, across months, a leap day and a year end', () => {
    expect(daysBetween('2028-02-27', '2028-03-01')).toEqual([
      '2028-02-27',
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(daysBetween('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
    expect(daysBetween('2026-11-05', '2026-11-05')).toEqual(['2026-11-05']);
    expect(daysBetween('2026-01-01', '2026-12-31')).toHaveLength(365);
  });

  it('computes rates from sums: EPC from net per person click, refunds against sales and rebills', () => {
    const f = figuresOf({
      ...sums,
      clicks: 8,
      botClicks: 5,
      sales: 2,
      rebills: 2,
      refunds: 1,
      grossCents: 10_000,
      refundedCents: 2_550,
    });
    expect(f).toMatchObject({ gross: 100, net: 74.5, epc: 74.5 / 8, conversionRate: 0.25, refundRate: 0.25 });
    // A refund alone: negative net, rates without a denominator are null rather than 0 or Infinity.
    expect(figuresOf({ ...sums, refunds: 1, refundedCents: 4_950 })).toMatchObject({
      net: -49.5,
      epc: null,
      conversionRate: null,
      refundRate: null,
    });
  });

  it('counts retention months back from the UTC month', () => {
    expect(monthStart(new Date('2026-12-07T09:00:00Z'), 25)).toBe('2024-11-01');
    expect(monthStart(new Date('2026-01-31T23:59:59Z'), 1)).toBe('2025-12-01');
    expect(monthStart(new Date('2026-12-07T09:00:00Z'), -12)).toBe('2027-12-01');
  });
});
