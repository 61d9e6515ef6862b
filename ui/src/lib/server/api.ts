import { env } from '$env/dynamic/private';
import { getRequestEvent } from '$app/server';
import type { ErrorBody } from '$api/common';

/** One field-level problem reported by the API (zod path joined with dots). */
export type ApiErrorDetail = ErrorBody['error']['details'][number];

/** The API's error envelope turned into a typed exception. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId: string | null = null,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field name -> first message; API paths may be "email" or "body.email", so key by the last segment. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.path.split('.').pop() ?? d.path;
      if (field && !(field in out)) out[field] = d.message;
    }
    return out;
  }
}

export interface ApiCallOptions {
  accessToken?: string | null;
  requestId?: string;
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A non-JSON request body passed on as it is (a CSV text, a multipart upload stream). */
export class RawBody {
  constructor(
    readonly body: string | ReadableStream<Uint8Array>,
    readonly contentType: string,
    /** Uploads can take longer than the 15 s JSON calls get. */
    readonly timeoutMs = 15_000,
  ) {}
}

export function apiBaseUrl(): string {
  return (env.API_URL || 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/**
 * Every browser reaches the API through this server, so the API would see one address for all of them (one
 * login budget for everybody). With the secret shared with the API (UI_API_SECRET, set by the launcher) the
 * browser's address goes along; the API honours it only when the secret matches.
 */
function clientAddressHeaders(): Record<string, string> {
  const secret = env.UI_API_SECRET;
  if (!secret) return {};
  let address: string;
  try {
    address = getRequestEvent().getClientAddress();
  } catch {
    return {}; // not within a request (or the address is unknown)
  }
  return { 'x-hopflow-ui-secret': secret, 'x-hopflow-client-address': address };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toApiError(status: number, body: unknown, headers: Headers): ApiError {
  const retryAfterHeader = headers.get('retry-after');
  const retryAfter = retryAfterHeader ? Number(retryAfterHeader) : null;
  const err = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (!err) {
    return new ApiError(
      status,
      `http_${status}`,
      `The API answered ${status}`,
      [],
      headers.get('x-request-id'),
      retryAfter,
    );
  }
  const details = Array.isArray(err.details)
    ? err.details
        .filter(isRecord)
        .map((d) => ({ path: String(d.path ?? ''), message: String(d.message ?? '') }))
    : [];
  return new ApiError(
    status,
    typeof err.code === 'string' ? err.code : `http_${status}`,
    typeof err.message === 'string' ? err.message : `The API answered ${status}`,
    details,
    typeof err.requestId === 'string' ? err.requestId : headers.get('x-request-id'),
    Number.isFinite(retryAfter) ? retryAfter : null,
  );
}

/** Calls the Hopflow API. Every server-side call to the API goes through here. */
export async function apiRequest<T>(
  method: Method,
  path: string,
  body: unknown,
  opts: ApiCallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...clientAddressHeaders() };
  const raw = body instanceof RawBody ? body : null;
  if (body !== undefined) headers['content-type'] = raw ? raw.contentType : 'application/json';
  if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;
  if (opts.requestId) headers['x-request-id'] = opts.requestId;

  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(`${apiBaseUrl()}/api/v1${path}`, {
      method,
      headers,
      body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body),
      // Never let Kit's fetch pass the browser's session cookies along: the API only takes the bearer token.
      credentials: 'omit',
      signal: AbortSignal.timeout(raw?.timeoutMs ?? 15_000),
      ...(raw && typeof raw.body !== 'string' ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(
      503,
      'api_unreachable',
      `The Hopflow API could not be reached (${reason})`,
      [],
      opts.requestId ?? null,
    );
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) throw toApiError(res.status, parsed, res.headers);
  return parsed as T;
}

/** A client bound to one request's session: access token and request id. */
export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  del(path: string): Promise<void>;
  /** POST a non-JSON body (CSV text, a multipart stream). */
  send<T>(path: string, body: RawBody): Promise<T>;
}

export function createApi(opts: ApiCallOptions): Api {
  return {
    get: (path) => apiRequest('GET', path, undefined, opts),
    post: (path, body = {}) => apiRequest('POST', path, body, opts),
    put: (path, body) => apiRequest('PUT', path, body, opts),
    patch: (path, body) => apiRequest('PATCH', path, body, opts),
    del: (path) => apiRequest<void>('DELETE', path, undefined, opts),
    send: (path, body) => apiRequest('POST', path, body, opts),
  };
}

/** The client for the current request, using the session the hook established. */
export function api(event: { locals: App.Locals }): Api {
  return createApi({ accessToken: event.locals.accessToken, requestId: event.locals.requestId });
}

/**
 * Opens a long-lived API response (Server-Sent Events) for proxying to the browser. Unlike apiRequest there
 * is no timeout: the stream lives until the browser leaves, which `signal` reports.
 */
export async function apiStream(
  path: string,
  opts: ApiCallOptions & { signal?: AbortSignal; lastEventId?: string | null },
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;
  if (opts.requestId) headers['x-request-id'] = opts.requestId;
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(`${apiBaseUrl()}/api/v1${path}`, {
      method: 'GET',
      headers,
      credentials: 'omit',
      signal: opts.signal,
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(503, 'api_unreachable', `The Hopflow API could not be reached (${reason})`);
  }
  if (!res.ok) {
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    throw toApiError(res.status, parsed, res.headers);
  }
  return res;
}
