import { feedFields } from './feed-fields';

describe('feed fields', () => {
  it('labels the feed row in words and formats its numbers', () => {
    const fields = feedFields({
      id: 'zenloc9u',
      title: 'Zen',
      activateDate: '2019-03-04',
      percentPerSale: '75.0',
      popularityRank: 3,
      totalRebillAmt: 12.5,
      hasRecurringProducts: 'true',
      averageEarningsPerSale: 41.237,
      someNewField: 2,
    });
    expect(fields).toEqual([
      ['Vendor', 'zenloc9u'],
      ['Listed since', '4 Mar 2019'],
      ['Popularity rank in its category', '#3'],
      ['Commission per sale', '75%'],
      ['Average earnings per sale', '$41.24'],
      ['Average rebill earnings', '$12.50'],
      ['Has subscriptions', 'Yes'],
      ['Some new field', '2.00'],
    ]);
    for (const [label] of fields) expect(label).not.toMatch(/[a-z][A-Z]/);
  });
});
