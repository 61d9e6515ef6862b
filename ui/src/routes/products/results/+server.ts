import { proxyGet } from '$lib/server/json-proxy';
import { productQuery } from '$lib/catalog';
import type { RequestHandler } from './$types';

/** "Load more": the next keyset page for the same search, filters and sort. */
export const GET: RequestHandler = (event) =>
  proxyGet(event, `/products?${productQuery(event.url.searchParams, event.url.searchParams.get('cursor'))}`);
