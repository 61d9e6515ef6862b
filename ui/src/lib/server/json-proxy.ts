import { json, type RequestEvent } from '@sveltejs/kit';
import { ApiError, api } from './api';

const headers = { 'cache-control': 'no-store' };

/** Lets browser code poll an API GET through the UI server (the browser never calls the API itself). */
export async function proxyGet(event: RequestEvent, apiPath: string): Promise<Response> {
  if (!event.locals.user) {
    return json({ error: { code: 'unauthorized', message: 'Log in again' } }, { status: 401, headers });
  }
  try {
    return json(await api(event).get<unknown>(apiPath), { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return json({ error: { code: err.code, message: err.message } }, { status: err.status, headers });
  }
}
