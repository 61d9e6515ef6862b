export { createClickbankClient, CLICKBANK_403_MESSAGE } from './client';
export { streamMarketplaceFeed } from './feed';
export type { MarketplaceSite } from './types';
