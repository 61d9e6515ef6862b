import { analyticsTypeFor } from './ins';

describe('analyticsTypeFor', () => {
  it('maps the money-moving ClickBank types to analytics types', () => {
    expect(analyticsTypeFor({ transactionType: 'SALE', receipt: 'ABCD1234' }).type).toBe('sale');
    expect(analyticsTypeFor({ transactionType: 'BILL', receipt: 'ABCD1234' }).type).toBe('rebill');
    expect(analyticsTypeFor({ transactionType: 'RFND', receipt: 'ABCD1234' }).type).toBe('refund');
    expect(analyticsTypeFor({ transactionType: 'CGBK', receipt: 'ABCD1234' }).type).toBe('chargeback');
  });

  it('keeps test messages and masked receipts out of analytics', () => {
    expect(analyticsTypeFor({ transactionType: 'TEST_SALE', receipt: 'ABCD1234' })).toEqual({
      type: undefined,
      reason: 'ClickBank test notification',
    });
    expect(analyticsTypeFor({ transactionType: 'SALE', receipt: '********' }).type).toBeUndefined();
  });

  it('ignores other types with a reason instead of failing', () => {
    expect(analyticsTypeFor({ transactionType: 'CANCEL-REBILL', receipt: 'ABCD1234' })).toEqual({
      type: undefined,
      reason: 'CANCEL-REBILL is not counted in analytics',
    });
  });
});
