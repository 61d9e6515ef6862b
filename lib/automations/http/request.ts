/**
 * The outbound HTTP client of the automations' `http_request` step.
 *
 * Safety: every connection goes through a `lookup` hook on the socket, so the address checked
 * (address-policy.ts) is the address connected to: no window between a separate DNS lookup and the connect in
 * which a name could be rebound to an internal address. A literal address in the URL (which Node connects to
 * without a lookup) is checked before the connect. Redirects are followed here, one hop at a time (each hop
 * checked the same way), up to a cap; Authorization, Cookie and Proxy-Authorization are dropped when a redirect
 * leaves the origin. Each request gets its own connection (no pooled socket of another caller is reused). One
 * deadline covers every hop and the body; the body is read up to a byte cap and the connection cut beyond it.
 *
 * Failures are IntegrationError (provider `http`), so an activity rethrows `toActivityFailure(err)`:
 * - permanent (non-retryable): a refused destination (`providerCode` destination_refused), a bad URL or request
 *   (bad_url, bad_request, request_too_large), too many redirects, a response over the cap (response_too_large),
 *   a TLS certificate problem, and HTTP 4xx other than 408 and 429;
 * - transient (retried): the deadline (timeout), refused or reset connections and DNS failures (unavailable),
 *   HTTP 5xx, 408 and 429, with Retry-After honoured as the next retry delay;
 * - except that a POST or PATCH without an Idempotency-Key header is retried only when it surely was not
 *   processed (the connection was refused, the name did not resolve, or 429): after a timeout, a reset or a 5xx
 *   the destination may already have acted, and a retry would act twice.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { IntegrationError, fromHttpStatus } from '../../integrations/adapters/errors';
import { type AllowList, checkDestination, compileAllowList } from './address-policy';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type HttpMethod = (typeof methods)[number];

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface HttpRequestInput {
  /** Default GET. */
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as it is (text/plain unless a content-type is given); anything else as JSON. */
  body?: JsonValue;
  /** Default true: 3xx answers with a Location are followed (each hop checked). false: the 3xx is the answer. */
  followRedirects?: boolean;
}

/** The operator's settings (lib/config.ts, `automations.http`). */
export interface HttpRequestLimits {
  /** Host names, `*.suffix`, addresses and CIDR ranges that may be reached although not public. */
  allowedHosts: readonly string[];
  /** One deadline for the whole exchange: every hop, connect, headers and body. */
  timeoutMs: number;
  maxResponseBytes: number;
  maxRequestBytes: number;
  maxRedirects: number;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface HttpRequestOptions extends HttpRequestLimits {
  /**
   * Resolves a host name to its addresses (default: the system resolver, as Node would). Tests give one to make
   * a public-looking name resolve to a local address; whatever it returns is checked and then connected to.
   */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
  /** Parsed JSON when the content type says JSON (and it parses), else text ('' when there is none). */
  body: unknown;
  bodyKind: 'json' | 'text';
  /** Bytes of the body as received. */
  bodyBytes: number;
  /** The URL that answered (after redirects) and the address connected to for it. */
  url: string;
  remoteAddress: string;
  /** The Location of each redirect followed, in order. */
  redirects: string[];
  timing: { startedAt: string; headersMs: number; totalMs: number };
}

/** The request as it would go out (the dry run), secrets masked. */
export interface HttpRequestPreview {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  bodyBytes: number;
}

/** The response exceeded maxResponseBytes; `bytesRead` is what was read before the connection was cut. */
export class HttpResponseTooLargeError extends IntegrationError {
  constructor(
    readonly limit: number,
    readonly bytesRead: number,
    declared?: number,
  ) {
    const what =
      declared !== undefined ? `declares ${declared} bytes` : `went past it after ${bytesRead} bytes`;
    const message = `The response is larger than the limit of ${limit} bytes (it ${what}); nothing more was read.`;
    super({
      provider: 'http',
      kind: 'invalid',
      providerCode: 'response_too_large',
      message,
      plainMessage: message,
    });
  }
}

interface PreparedRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

const permanent = (providerCode: string, message: string): IntegrationError =>
  new IntegrationError({ provider: 'http', kind: 'invalid', providerCode, message, plainMessage: message });

const refused = (reason: string): IntegrationError =>
  new IntegrationError({
    provider: 'http',
    kind: 'invalid',
    providerCode: 'destination_refused',
    message: reason,
    plainMessage: `${reason}. An operator can allow it with AUTOMATION_HTTP_ALLOWED_HOSTS.`,
  });

/** Set by this client; a builder's value would contradict what is sent or how it is read. */
const managedHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'accept-encoding',
  'proxy-connection',
]);
/** Credentials that must not follow a redirect to another origin. */
const originBoundHeaders = new Set(['authorization', 'proxy-authorization', 'cookie']);
const bodyHeaders = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw permanent('bad_url', `"${text.slice(0, 200)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw permanent(
      'bad_url',
      `only http and https URLs may be requested, not ${url.protocol.replace(/:$/, '')}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw permanent('bad_url', 'the URL carries credentials: put them in an Authorization header instead');
  }
  return url;
}

function prepareRequest(input: HttpRequestInput, limits: HttpRequestLimits): PreparedRequest {
  const method = (input.method ?? 'GET').toUpperCase();
  if (!(methods as readonly string[]).includes(method)) {
    throw permanent('bad_request', `${input.method} is not a supported method (${methods.join(', ')})`);
  }
  const url = parseUrl(input.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    try {
      http.validateHeaderName(lower);
      http.validateHeaderValue(lower, value);
    } catch {
      throw permanent('bad_request', `the header ${JSON.stringify(name)} is not a valid HTTP header`);
    }
    if (!managedHeaders.has(lower)) headers[lower] = value;
  }
  headers['user-agent'] ??= 'Hopflow-Automations/1.0';
  headers['accept-encoding'] = 'identity'; // the size cap counts the bytes a builder gets, never a compressed form
  let body: Buffer | undefined;
  if (input.body !== undefined) {
    if (method === 'GET' || method === 'HEAD') {
      throw permanent('bad_request', `a ${method} request cannot carry a body`);
    }
    const isText = typeof input.body === 'string';
    body = Buffer.from(isText ? (input.body as string) : JSON.stringify(input.body), 'utf8');
    headers['content-type'] ??= isText ? 'text/plain; charset=utf-8' : 'application/json';
    if (body.length > limits.maxRequestBytes) {
      throw permanent(
        'request_too_large',
        `the request body is ${body.length} bytes, over the limit of ${limits.maxRequestBytes} bytes`,
      );
    }
  }
  return { method: method as HttpMethod, url, headers, body };
}

/** The URL's host as Node's connect takes it: an IPv6 literal without its brackets. */
const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A socket `lookup` that resolves, checks every address against the policy, and only then lets Node connect. */
function guardedLookup(
  list: AllowList,
  resolve: (hostname: string) => Promise<ResolvedAddress[]>,
): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family ? found.filter((a) => a.family === options.family) : found;
        const first = addresses[0];
        if (first === undefined) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
          return;
        }
        // Every address, not only the first: Node may try the others (happy eyeballs) without asking again.
        for (const { address } of addresses) {
          const refusal = checkDestination(list, hostname, address);
          if (refusal) {
            callback(refused(refusal), '', 0);
            return;
          }
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function openResponse(
  req: PreparedRequest,
  list: AllowList,
  resolve: (hostname: string) => Promise<ResolvedAddress[]>,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const host = bareHost(req.url);
  if (net.isIP(host) !== 0) {
    // Node connects to a literal address without calling lookup: check it here (it cannot change).
    const refusal = checkDestination(list, host, host);
    if (refusal) return Promise.reject(refused(refusal));
  }
  const client = req.url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    const request = client.request({
      hostname: host,
      port: req.url.port === '' ? undefined : Number(req.url.port),
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      headers: req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers,
      // A fresh agent: never a pooled socket opened by other code without this lookup.
      agent: false,
      lookup: guardedLookup(list, resolve),
      signal,
    });
    request.once('response', resolvePromise);
    // `on`, not `once`: an error after the answer (a cut connection) must not become an uncaught 'error' event.
    request.on('error', reject);
    request.end(req.body);
  });
}

function readBody(response: http.IncomingMessage, limit: number, method: HttpMethod): Promise<Buffer> {
  // A HEAD answer (and 204, 304) announces the length of a body it does not carry.
  const bodyless = method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304;
  const declared = bodyless ? NaN : Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.destroy();
    return Promise.reject(new HttpResponseTooLargeError(limit, 0, declared));
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        response.destroy();
        reject(new HttpResponseTooLargeError(limit, bytes));
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolvePromise(Buffer.concat(chunks)));
    response.once('error', reject);
    response.once('close', () => {
      if (!response.complete) {
        reject(
          Object.assign(new Error('the connection closed before the response ended'), { code: 'ECONNRESET' }),
        );
      }
    });
  });
}

function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
): { body: unknown; bodyKind: 'json' | 'text' } {
  const charset = /;\s*charset="?([\w-]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(charset).decode(raw);
  } catch {
    text = raw.toString('utf8'); // an unknown charset label
  }
  if (text !== '' && /^(application\/([\w.-]+\+)?json|text\/json)\s*(;|$)/i.test(contentType ?? '')) {
    try {
      return { body: JSON.parse(text) as unknown, bodyKind: 'json' };
    } catch {
      // Says JSON but is not: the builder still gets the text.
    }
  }
  return { body: text, bodyKind: 'text' };
}

/** The next hop of a redirect, as browsers and fetch do it: 303 (and 301/302 after a POST) become GET. */
function redirectTarget(previous: PreparedRequest, status: number, location: string): PreparedRequest {
  const url = parseUrl(location, previous.url);
  const toGet =
    (status === 303 && previous.method !== 'HEAD') ||
    ((status === 301 || status === 302) && previous.method === 'POST');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    if (url.origin !== previous.url.origin && originBoundHeaders.has(name)) continue;
    if (toGet && bodyHeaders.has(name)) continue;
    headers[name] = value;
  }
  return { method: toGet ? 'GET' : previous.method, url, headers, body: toGet ? undefined : previous.body };
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** Failures after which the request surely did not reach the destination's handling. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * A POST or PATCH without an Idempotency-Key is not retried when the destination may already have acted on it:
 * the failure stays, and says how to allow retries.
 */
function onceForUnsafe(request: PreparedRequest, err: IntegrationError): IntegrationError {
  if (!err.retryable || (request.method !== 'POST' && request.method !== 'PATCH')) return err;
  if (Object.keys(request.headers).some((name) => name.toLowerCase() === 'idempotency-key')) return err;
  const code = typeof err.providerCode === 'string' ? err.providerCode : '';
  if (err.kind === 'rate_limited' || notSentCodes.has(code)) return err;
  const plainMessage = `${err.plainMessage}. Not retried: the ${request.method} may already have been processed; send an Idempotency-Key header to allow retries.`;
  return new IntegrationError({
    provider: err.provider,
    kind: err.kind,
    message: err.message,
    plainMessage,
    retryable: false,
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(err.providerCode !== undefined ? { providerCode: err.providerCode } : {}),
    cause: err,
  });
}

function classify(err: unknown, timedOut: boolean, timeoutMs: number, url: URL): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (timedOut) {
    const message = `${url.origin} did not answer within ${timeoutMs} ms`;
    return new IntegrationError({
      provider: 'http',
      kind: 'timeout',
      message,
      plainMessage: message,
      cause: err,
    });
  }
  // Not `instanceof Error`: errors of Node's own code may come from another realm (as under jest).
  const error = (
    err && typeof err === 'object' && 'message' in err ? err : new Error(String(err))
  ) as NodeJS.ErrnoException;
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && tlsCodes.test(code)) {
    const message = `${url.origin} has a TLS certificate problem: ${error.message} (${code})`;
    return new IntegrationError({
      provider: 'http',
      kind: 'invalid',
      providerCode: code,
      message,
      plainMessage: message,
      cause: err,
    });
  }
  const message = `${url.origin} could not be reached: ${error.message}${code ? ` (${code})` : ''}`;
  return new IntegrationError({
    provider: 'http',
    kind: 'unavailable',
    providerCode: code,
    message,
    plainMessage: message,
    cause: err,
  });
}

function plainHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * Sends one request of an http_request step and returns its answer (2xx, or a 3xx not followed). Throws
 * IntegrationError (see the module comment for which are permanent and which are retried).
 */
export async function sendHttpRequest(
  input: HttpRequestInput,
  options: HttpRequestOptions,
): Promise<HttpResponse> {
  let current = prepareRequest(input, options);
  const list = compileAllowList(options.allowedHosts);
  const resolve = options.resolve ?? systemResolve;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const startedAt = new Date();
  const t0 = performance.now();
  const redirects: string[] = [];
  try {
    for (;;) {
      const response = await openResponse(current, list, resolve, deadline.signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (redirectStatuses.has(status) && location !== undefined && input.followRedirects !== false) {
        response.destroy();
        if (redirects.length >= options.maxRedirects) {
          throw permanent(
            'too_many_redirects',
            `more than ${options.maxRedirects} redirects (last to ${location})`,
          );
        }
        current = redirectTarget(current, status, location);
        redirects.push(current.url.href);
        continue;
      }
      const headersMs = performance.now() - t0;
      const remoteAddress = response.socket?.remoteAddress ?? bareHost(current.url);
      const raw = await readBody(response, options.maxResponseBytes, current.method);
      const { body, bodyKind } = decodeBody(raw, response.headers['content-type']);
      if (status >= 400) {
        const origin = current.url.origin;
        throw fromHttpStatus('http', status, body, plainHeaders(response.headers), ({ providerMessage }) => ({
          plainMessage: `${origin} answered HTTP ${status}${providerMessage ? `: ${providerMessage.slice(0, 300)}` : ''}`,
        }));
      }
      return {
        status,
        statusText: response.statusMessage ?? '',
        headers: plainHeaders(response.headers),
        body,
        bodyKind,
        bodyBytes: raw.length,
        url: current.url.href,
        remoteAddress,
        redirects,
        timing: {
          startedAt: startedAt.toISOString(),
          headersMs: Math.round(headersMs),
          totalMs: Math.round(performance.now() - t0),
        },
      };
    }
  } catch (err) {
    throw onceForUnsafe(current, classify(err, deadline.signal.aborted, options.timeoutMs, current.url));
  } finally {
    clearTimeout(timer);
  }
}

const secretName = /(auth|token|secret|passw|api[-_]?key|session|cookie|signature|credential)/i;
const secretParam = /(auth|token|secret|passw|key|sig|session|credential|code)/i;

function maskHeader(name: string, value: string): string {
  if (!secretName.test(name)) return value;
  // Keep the scheme (Bearer, Basic): it helps, and says nothing secret.
  const scheme = /^(bearer|basic|digest|token)\s+/i.exec(value)?.[1];
  return scheme ? `${scheme} ****` : '****';
}

/**
 * The dry run: the request that would go out (method, URL, the headers this client sends, the body) without
 * sending it. Header values and query parameters that look secret are masked. It fails as sending would on a
 * bad URL, method or header, a body over the cap, or a literal refused address; host names are resolved and
 * checked only when sending.
 */
export function previewHttpRequest(input: HttpRequestInput, limits: HttpRequestLimits): HttpRequestPreview {
  const prepared = prepareRequest(input, limits);
  const host = bareHost(prepared.url);
  if (net.isIP(host) !== 0) {
    const refusal = checkDestination(compileAllowList(limits.allowedHosts), host, host);
    if (refusal) throw refused(refusal);
  }
  const url = new URL(prepared.url.href);
  for (const name of [...url.searchParams.keys()]) {
    if (secretParam.test(name)) url.searchParams.set(name, '****');
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(prepared.headers)) headers[name] = maskHeader(name, value);
  if (prepared.body) headers['content-length'] = String(prepared.body.length);
  return {
    method: prepared.method,
    url: url.href,
    headers,
    body: prepared.body ? prepared.body.toString('utf8') : null,
    bodyBytes: prepared.body?.length ?? 0,
  };
}
