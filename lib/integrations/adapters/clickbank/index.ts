export { createClickbankClient, CLICKBANK_403_MESSAGE } from './client';
export type { ClickbankClient, ClickbankClientSettings } from './client';
export { streamMarketplaceFeed } from './feed';
export type { FeedProgress, FeedSummary, StreamFeedOptions } from './feed';
export type { ClickbankLineItem, ClickbankOrder, MarketplaceSite, OrderQuery } from './types';
