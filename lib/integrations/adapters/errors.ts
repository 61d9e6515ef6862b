/**
 * Typed errors for calls to outside services (ClickBank, Claude, Postmark, WordPress, Stripe).
 *
 * Adapters throw IntegrationError; activities rethrow `toActivityFailure(err)` so Temporal retries the
 * transient kinds (with the provider's retry-after where known) and fails the permanent ones at once.
 */
import { ApplicationFailure } from '@temporalio/common';

/** `http`: the automations' http_request step, whose destination is any address a builder gives. */
export type IntegrationProvider = 'clickbank' | 'anthropic' | 'postmark' | 'wordpress' | 'stripe' | 'http';

export type IntegrationErrorKind =
  'auth' | 'invalid' | 'not_found' | 'rate_limited' | 'unavailable' | 'timeout' | 'not_connected';

const providerDisplayNames: Record<IntegrationProvider, string> = {
  clickbank: 'ClickBank',
  anthropic: 'Claude (Anthropic)',
  postmark: 'Postmark',
  wordpress: 'WordPress',
  stripe: 'Stripe',
  http: 'The HTTP destination',
};

/** Kinds worth retrying: the same request may succeed later. */
const transientKinds: ReadonlySet<IntegrationErrorKind> = new Set(['rate_limited', 'unavailable', 'timeout']);

const isTransientKind = (kind: IntegrationErrorKind): boolean => transientKinds.has(kind);

function defaultPlainMessage(provider: IntegrationProvider, kind: IntegrationErrorKind): string {
  const name = providerDisplayNames[provider];
  switch (kind) {
    case 'auth':
      return `${name} refused the credentials: check them in Settings → Integrations.`;
    case 'invalid':
      return `${name} rejected the request as invalid.`;
    case 'not_found':
      return `${name} could not find what was asked for.`;
    case 'rate_limited':
      return `${name} is limiting how fast we can call it; we will try again shortly.`;
    case 'unavailable':
      return `${name} is unavailable right now; we will try again shortly.`;
    case 'timeout':
      return `${name} did not answer in time; we will try again shortly.`;
    case 'not_connected':
      return `${name} is not connected for this team: connect it in Settings → Integrations.`;
  }
}

export interface IntegrationErrorInit {
  provider: IntegrationProvider;
  kind: IntegrationErrorKind;
  /** Technical message for logs; defaults to plainMessage. */
  message?: string;
  /** Message for people (shown in the UI and in workflow failures). */
  plainMessage?: string;
  /** Defaults to true for rate_limited/unavailable/timeout, false otherwise. */
  retryable?: boolean;
  status?: number;
  providerCode?: string | number;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class IntegrationError extends Error {
  readonly provider: IntegrationProvider;
  readonly kind: IntegrationErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly providerCode?: string | number;
  readonly retryAfterSeconds?: number;
  readonly plainMessage: string;

  constructor(init: IntegrationErrorInit) {
    const plainMessage = init.plainMessage ?? defaultPlainMessage(init.provider, init.kind);
    super(init.message ?? plainMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'IntegrationError';
    this.provider = init.provider;
    this.kind = init.kind;
    this.retryable = init.retryable ?? isTransientKind(init.kind);
    this.plainMessage = plainMessage;
    if (init.status !== undefined) this.status = init.status;
    if (init.providerCode !== undefined) this.providerCode = init.providerCode;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** Failure type string used in Temporal and in API error codes, e.g. "postmark.invalid". */
  get failureType(): string {
    return `${this.provider}.${this.kind}`;
  }
}

export const isIntegrationError = (err: unknown): err is IntegrationError => err instanceof IntegrationError;

export const notConnected = (provider: IntegrationProvider): IntegrationError =>
  new IntegrationError({ provider, kind: 'not_connected' });

export type HeaderBag = Headers | Record<string, string | string[] | number | undefined> | undefined;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower || value === undefined) continue;
    return Array.isArray(value) ? value[0] : String(value);
  }
  return undefined;
}

/** Retry-After as seconds (delta-seconds or HTTP-date); also honours retry-after-ms (Anthropic). */
export function parseRetryAfter(headers: HeaderBag, now: Date = new Date()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms) / 1000;
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now.getTime()) / 1000);
}

/** Pulls a message and a code out of the common provider error bodies (JSON or text). */
function extractProviderError(body: unknown): { message?: string; code?: string | number } {
  let value = body;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return {};
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return { message: text.slice(0, 500) };
    }
  }
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  // Anthropic/Stripe nest the error: {error: {type|code, message}}.
  const nested = record.error;
  if (nested && typeof nested === 'object') {
    const inner = nested as Record<string, unknown>;
    return {
      message: typeof inner.message === 'string' ? inner.message : undefined,
      code: pickCode(inner.code) ?? pickCode(inner.type),
    };
  }
  const message =
    typeof record.message === 'string'
      ? record.message
      : typeof record.Message === 'string' // Postmark
        ? record.Message
        : typeof record.error === 'string'
          ? record.error
          : undefined;
  return { message, code: pickCode(record.ErrorCode) ?? pickCode(record.code) };
}

const pickCode = (v: unknown): string | number | undefined =>
  typeof v === 'string' || typeof v === 'number' ? v : undefined;

function kindForStatus(status: number): IntegrationErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable'; // includes Anthropic's 529 overloaded
  return 'invalid'; // 400, 406, 409, 422 and other 4xx: the same request will fail again
}

interface HttpErrorContext {
  provider: IntegrationProvider;
  status: number;
  body: unknown;
  headers: HeaderBag;
  providerMessage?: string;
  providerCode?: string | number;
  retryAfterSeconds?: number;
}

/** Provider-specific tweak: return fields to override (kind, plainMessage, retryable...) or undefined. */
export type HttpErrorOverride = (ctx: HttpErrorContext) => Partial<IntegrationErrorInit> | undefined;

/** Maps a non-2xx HTTP answer to an IntegrationError. */
export function fromHttpStatus(
  provider: IntegrationProvider,
  status: number,
  body?: unknown,
  headers?: HeaderBag,
  override?: HttpErrorOverride,
): IntegrationError {
  const { message: providerMessage, code: providerCode } = extractProviderError(body);
  const retryAfterSeconds = parseRetryAfter(headers);
  const ctx: HttpErrorContext = {
    provider,
    status,
    body,
    headers,
    providerMessage,
    providerCode,
    retryAfterSeconds,
  };
  const kind = kindForStatus(status);
  const name = providerDisplayNames[provider];
  const base: IntegrationErrorInit = {
    provider,
    kind,
    status,
    providerCode,
    retryAfterSeconds,
    message: `${name} answered HTTP ${status}${providerMessage ? `: ${providerMessage}` : ''}`,
    plainMessage:
      providerMessage && (kind === 'invalid' || kind === 'not_found' || kind === 'auth')
        ? `${defaultPlainMessage(provider, kind)} ${name} said: ${providerMessage}`
        : undefined,
  };
  return new IntegrationError({ ...base, ...(override?.(ctx) ?? {}) });
}

const timeoutCodes = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** Maps a thrown network error (refused connection, DNS failure, abort/timeout) to an IntegrationError. */
export function fromNetworkError(provider: IntegrationProvider, err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  // DOMException (AbortSignal.timeout) is not always `instanceof Error` across realms: read name/message.
  const error = err && typeof err === 'object' && 'message' in err ? (err as Error) : new Error(String(err));
  const code = networkCode(error);
  const isTimeout =
    error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (code !== undefined && timeoutCodes.has(code));
  return new IntegrationError({
    provider,
    kind: isTimeout ? 'timeout' : 'unavailable',
    message: `${providerDisplayNames[provider]} request failed: ${error.message}${code ? ` (${code})` : ''}`,
    providerCode: code,
    cause: err,
  });
}

function networkCode(error: Error): string | undefined {
  // fetch wraps the socket error as `cause`.
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Turns an IntegrationError into an ApplicationFailure (type "<provider>.<kind>"), non-retryable when the
 * error is permanent, with nextRetryDelay from retry-after. Other errors are returned unchanged (Temporal
 * retries plain errors by the activity's retry policy).
 */
export function toActivityFailure(err: IntegrationError): ApplicationFailure;
export function toActivityFailure(err: unknown): Error;
export function toActivityFailure(err: unknown): Error {
  if (!(err instanceof IntegrationError)) return err instanceof Error ? err : new Error(String(err));
  const nextRetryDelay =
    err.retryable && err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 0
      ? Math.ceil(err.retryAfterSeconds * 1000)
      : undefined;
  return ApplicationFailure.create({
    type: err.failureType,
    message: err.plainMessage,
    nonRetryable: !err.retryable,
    ...(nextRetryDelay !== undefined ? { nextRetryDelay } : {}),
    details: [
      {
        provider: err.provider,
        kind: err.kind,
        status: err.status ?? null,
        providerCode: err.providerCode ?? null,
        retryAfterSeconds: err.retryAfterSeconds ?? null,
        technicalMessage: err.message,
      },
    ],
    cause: err,
  });
}
