import { proxyGet } from '$lib/server/json-proxy';
import type { RequestHandler } from './$types';

/** Polled every second while a catalog sync runs. */
export const GET: RequestHandler = (event) => proxyGet(event, '/products/sync');
