import type { Meta } from '$api/auth';
import { apiRequest } from './api';

/** /meta changes only on redeploy; cache it briefly instead of asking on every page view. */
const TTL_MS = 60_000;
let cached: { meta: Meta; at: number } | null = null;

export async function getMeta(requestId: string): Promise<Meta | null> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.meta;
  try {
    const meta = await apiRequest<Meta>('GET', '/meta', undefined, { requestId });
    cached = { meta, at: Date.now() };
    return meta;
  } catch (err) {
    console.error(`[${requestId}] GET /meta failed:`, err);
    return null;
  }
}
