import { parseInsNotification } from '../clickbank/ins';
import { clickbankTriggerMatches, clickbankTriggerPayload } from './clickbank-trigger';

const notification = parseInsNotification({
  transactionTime: '20261206T120000-0700',
  receipt: 'ABCD1234',
  transactionType: 'SALE',
  vendor: 'KetoBoost1',
  affiliate: 'someaff',
  role: 'AFFILIATE',
  totalAccountAmount: '27.50',
  totalOrderAmount: 47,
  currency: 'USD',
  trackingCodes: ['  ', 'spring_sale'],
  lineItems: [{ itemNo: 1, productTitle: 'Keto Boost', accountAmount: 27.5, quantity: 1 }],
  customer: {
    billing: { firstName: 'Bo', lastName: null, email: 'Bo@Example.com', address: { country: 'US' } },
    shipping: { firstName: 'Other', lastName: 'Lee', email: 'ship@example.com' },
  },
  version: 8,
});

describe('clickbank trigger payload', () => {
  const payload = clickbankTriggerPayload(notification, { tid: 'spring_sale', campaignId: 'c1' });

  it('is snake_case with every documented field, billing first and shipping filling its gaps', () => {
    expect(payload).toEqual({
      receipt: 'ABCD1234',
      transaction_type: 'SALE',
      transaction_time: '2026-12-06T19:00:00.000Z',
      test: false,
      amount: 27.5,
      order_amount: 47,
      currency: 'USD',
      vendor: 'KetoBoost1',
      affiliate: 'someaff',
      role: 'AFFILIATE',
      payment_method: null,
      tracking_id: 'spring_sale',
      tracking_codes: ['spring_sale'],
      campaign_id: 'c1',
      customer: {
        email: 'bo@example.com',
        first_name: 'Bo',
        last_name: 'Lee',
        full_name: null,
        phone: null,
        country: 'US',
      },
      line_items: [
        {
          item_no: '1',
          product_title: 'Keto Boost',
          amount: 27.5,
          quantity: 1,
          recurring: false,
          line_item_type: null,
        },
      ],
    });
  });

  it.each([
    [{ transaction_types: ['SALE'] }, true],
    [{}, true],
    [{ transaction_types: ['RFND', 'CGBK'] }, false],
    [{ transaction_types: ['SALE'], vendor: 'ketoboost1' }, true],
    [{ transaction_types: ['SALE'], vendor: 'other' }, false],
    [{ transaction_types: ['SALE'], item: '1' }, true],
    [{ transaction_types: ['SALE'], item: '2' }, false],
    [{ transaction_types: ['SALE'], campaign_id: 'c1' }, true],
    [{ transaction_types: ['SALE'], campaign_id: 'c2' }, false],
  ])('trigger %j matches: %s', (fields, expected) => {
    expect(clickbankTriggerMatches({ type: 'clickbank', ...fields }, payload)).toBe(expected);
  });

  it('an unattributed notification matches no campaign_id trigger', () => {
    const unattributed = clickbankTriggerPayload(notification, { tid: null, campaignId: null });
    expect(clickbankTriggerMatches({ type: 'clickbank', campaign_id: 'c1' }, unattributed)).toBe(false);
  });
});
