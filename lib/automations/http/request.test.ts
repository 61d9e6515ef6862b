import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IntegrationError, toActivityFailure } from '../../integrations/adapters/errors';
import { refusalReason } from './address-policy';
import {
  type HttpRequestOptions,
  HttpResponseTooLargeError,
  type ResolvedAddress,
  previewHttpRequest,
  sendHttpRequest,
} from './request';

interface TestServer {
  port: number;
  origin: string;
  requests: http.IncomingMessage[];
  bodies: string[];
  close: () => Promise<void>;
}

const servers: TestServer[] = [];

async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const requests: http.IncomingMessage[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const started: TestServer = {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/** Test-only DNS: these names exist nowhere (there is no network here); each resolves to what the test says. */
const fakeDns =
  (table: Record<string, string[]>) =>
  (hostname: string): Promise<ResolvedAddress[]> => {
    const addresses = table[hostname];
    if (!addresses)
      return Promise.reject(Object.assign(new Error(`no such name ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };

const limits = (over: Partial<HttpRequestOptions> = {}): HttpRequestOptions => ({
  allowedHosts: [],
  timeoutMs: 5000,
  maxResponseBytes: 1024 * 1024,
  maxRequestBytes: 64 * 1024,
  maxRedirects: 5,
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(IntegrationError);
    return err as IntegrationError;
  }
  throw new Error('the request succeeded but should have failed');
}

describe('sendHttpRequest: destinations', () => {
  it('refuses a server on 127.0.0.1 by default, before any request reaches it, and allows it when listed', async () => {
    const server = await startServer((_req, res) => json(res, 200, { hello: 'world' }));

    const err = await failure(sendHttpRequest({ url: `${server.origin}/x` }, limits()));
    expect(err.providerCode).toBe('destination_refused');
    expect(err.message).toBe('refused: 127.0.0.1 is a loopback address');
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);

    for (const allowed of ['127.0.0.1', '127.0.0.0/8']) {
      const res = await sendHttpRequest({ url: `${server.origin}/x` }, limits({ allowedHosts: [allowed] }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ hello: 'world' });
    }
    expect(server.requests).toHaveLength(2);
  });

  it('checks the address a public-looking name resolves to, and connects to that very address', async () => {
    const server = await startServer((req, res) => json(res, 200, { host: req.headers.host }));
    const resolve = fakeDns({ 'api.public-example.com': ['127.0.0.1'] });
    const url = `http://api.public-example.com:${server.port}/hook`;

    const err = await failure(sendHttpRequest({ url }, limits({ resolve })));
    expect(err.providerCode).toBe('destination_refused');
    expect(err.message).toBe(
      'refused: 127.0.0.1 is a loopback address (api.public-example.com resolves to it)',
    );
    expect(server.requests).toHaveLength(0);

    // Allowed by name: the connection goes to the address the resolver gave (nothing else knows this name).
    const res = await sendHttpRequest({ url }, limits({ resolve, allowedHosts: ['*.public-example.com'] }));
    expect(res.remoteAddress).toBe('127.0.0.1');
    expect(res.body).toEqual({ host: `api.public-example.com:${server.port}` });
  });

  it('refuses a name when any of its addresses is internal (a later one could be tried without a new lookup)', async () => {
    const resolve = fakeDns({ 'mixed.example.com': ['93.184.216.34', '10.0.0.5'] });
    const err = await failure(sendHttpRequest({ url: 'http://mixed.example.com/' }, limits({ resolve })));
    expect(err.providerCode).toBe('destination_refused');
    expect(err.message).toBe('refused: 10.0.0.5 is a private address (mixed.example.com resolves to it)');
  });

  it.each([
    ['http://[::1]/', 'refused: ::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'refused: ::ffff:7f00:1 is a loopback address'],
    ['http://[::ffff:a00:5]/', 'refused: ::ffff:a00:5 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'refused: fd00:ec2::254 is a cloud metadata address'],
    ['http://0x7f.1/', 'refused: 127.0.0.1 is a loopback address'],
    ['http://0.0.0.0/', 'refused: 0.0.0.0 is an unspecified address'],
    ['http://192.168.1.1/', 'refused: 192.168.1.1 is a private address'],
  ])('refuses the literal address in %s', async (url, message) => {
    const err = await failure(sendHttpRequest({ url }, limits()));
    expect(err.providerCode).toBe('destination_refused');
    expect(err.message).toBe(message);
  });

  it.each([
    ['10.0.0.5', 'a private address'],
    ['172.16.3.4', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['169.254.1.1', 'a link-local address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['::', 'an unspecified address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['::7f00:1', 'an IPv4-compatible IPv6 address'],
    ['fd12:3456::1', 'a unique local (private) IPv6 address'],
    ['fe80::1', 'a link-local address'],
    ['ff02::1', 'a multicast address'],
    ['64:ff9b::a00:5', 'a NAT64 address'],
  ])('refuses a name that resolves to %s (%s)', async (address, reason) => {
    const resolve = fakeDns({ 'internal.example.com': [address] });
    const err = await failure(sendHttpRequest({ url: 'https://internal.example.com/' }, limits({ resolve })));
    expect(err.providerCode).toBe('destination_refused');
    expect(err.message).toBe(`refused: ${address} is ${reason} (internal.example.com resolves to it)`);
  });

  it('classifies public addresses as allowed', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect(refusalReason(address)).toBeNull();
  });
});

describe('sendHttpRequest: redirects', () => {
  it('refuses a redirect from an allowed server to an internal address at that hop', async () => {
    const internal = await startServer((_req, res) => json(res, 200, { secret: true }));
    const front = await startServer((req, res) => {
      const to =
        req.url === '/meta'
          ? 'http://169.254.169.254/latest/meta-data/'
          : req.url === '/name'
            ? `http://admin.example.com:${internal.port}/admin`
            : `${internal.origin}/admin`;
      res.writeHead(302, { location: to }).end();
    });
    const resolve = fakeDns({ 'front.example.com': ['127.0.0.1'], 'admin.example.com': ['127.0.0.1'] });
    const options = limits({ resolve, allowedHosts: ['front.example.com'] });

    const err = await failure(sendHttpRequest({ url: `http://front.example.com:${front.port}/go` }, options));
    expect(err.message).toBe('refused: 127.0.0.1 is a loopback address');
    expect(front.requests).toHaveLength(1);
    expect(internal.requests).toHaveLength(0);

    const meta = await failure(
      sendHttpRequest({ url: `http://front.example.com:${front.port}/meta` }, options),
    );
    expect(meta.message).toBe('refused: 169.254.169.254 is a cloud metadata address');

    // A name at the hop is resolved and checked like the first one.
    const named = await failure(
      sendHttpRequest({ url: `http://front.example.com:${front.port}/name` }, options),
    );
    expect(named.message).toBe('refused: 127.0.0.1 is a loopback address (admin.example.com resolves to it)');
    expect(front.requests).toHaveLength(3);
    expect(internal.requests).toHaveLength(0);
  });

  it('follows allowed hops, keeps Authorization on the same origin, drops it on another, and turns a 303 into GET', async () => {
    const target = await startServer((req, res) => json(res, 200, { method: req.method }));
    const front = await startServer((req, res) => {
      if (req.url === '/start') res.writeHead(307, { location: '/same' }).end();
      else res.writeHead(303, { location: `http://target.example.com:${target.port}/end` }).end();
    });
    const resolve = fakeDns({ 'front.example.com': ['127.0.0.1'], 'target.example.com': ['127.0.0.1'] });
    const res = await sendHttpRequest(
      {
        method: 'POST',
        url: `http://front.example.com:${front.port}/start`,
        headers: { Authorization: 'Bearer s3cret', Cookie: 'sid=1', 'X-Trace': 't1' },
        body: { a: 1 },
      },
      limits({ resolve, allowedHosts: ['front.example.com', 'target.example.com'] }),
    );
    expect(res.body).toEqual({ method: 'GET' });
    expect(res.redirects).toEqual([
      `http://front.example.com:${front.port}/same`,
      `http://target.example.com:${target.port}/end`,
    ]);
    const [first, second] = front.requests;
    expect(first?.headers.authorization).toBe('Bearer s3cret');
    expect(second?.method).toBe('POST'); // 307 keeps the method and the body
    expect(second?.headers.authorization).toBe('Bearer s3cret');
    expect(front.bodies[1]).toBe('{"a":1}');
    const last = target.requests[0];
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers['x-trace']).toBe('t1');
    expect(last?.headers['content-type']).toBeUndefined();
    expect(target.bodies[0]).toBe('');
  });

  it('stops after the redirect cap, and returns the 3xx itself when not following', async () => {
    const loop = await startServer((_req, res) => res.writeHead(302, { location: '/again' }).end());
    const err = await failure(
      sendHttpRequest({ url: `${loop.origin}/` }, limits({ allowedHosts: ['127.0.0.1'], maxRedirects: 3 })),
    );
    expect(err.providerCode).toBe('too_many_redirects');
    expect(err.retryable).toBe(false);
    expect(loop.requests).toHaveLength(4);

    const manual = await sendHttpRequest(
      { url: `${loop.origin}/`, followRedirects: false },
      limits({ allowedHosts: ['127.0.0.1'] }),
    );
    expect(manual).toMatchObject({ status: 302, headers: { location: '/again' }, redirects: [] });
  });
});

describe('sendHttpRequest: deadline and size', () => {
  it('times out on a server that never answers, as a transient failure', async () => {
    const silent = await startServer(() => undefined);
    const started = Date.now();
    const err = await failure(
      sendHttpRequest({ url: `${silent.origin}/` }, limits({ allowedHosts: ['127.0.0.1'], timeoutMs: 300 })),
    );
    expect(err.kind).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('counts the body in the deadline (headers sent, body stalls)', async () => {
    const stall = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
    });
    const err = await failure(
      sendHttpRequest({ url: `${stall.origin}/` }, limits({ allowedHosts: ['127.0.0.1'], timeoutMs: 300 })),
    );
    expect(err.kind).toBe('timeout');
  });

  it('cuts a streamed response over the cap without reading the rest', async () => {
    const total = 64 * 1024 * 1024;
    const state = { sent: 0, finished: false };
    const big = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length announced
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (state.sent < total && !res.destroyed) {
          state.sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end(() => (state.finished = true));
      };
      pump();
    });
    const limit = 100 * 1024;
    const err = await failure(
      sendHttpRequest(
        { url: `${big.origin}/` },
        limits({ allowedHosts: ['127.0.0.1'], maxResponseBytes: limit }),
      ),
    );
    expect(err).toBeInstanceOf(HttpResponseTooLargeError);
    const tooLarge = err as HttpResponseTooLargeError;
    expect(tooLarge.retryable).toBe(false);
    expect(tooLarge.bytesRead).toBeGreaterThan(limit);
    expect(tooLarge.bytesRead).toBeLessThanOrEqual(limit + 64 * 1024); // at most one chunk past the cap
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.finished).toBe(false);
    expect(state.sent).toBeLessThan(total / 4); // the connection was cut: the server could not push it all
  });

  it('refuses a response that announces a length over the cap before reading any of it (not a HEAD answer)', async () => {
    const big = await startServer((req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      if (req.method === 'HEAD') res.end();
      else res.write(Buffer.alloc(1024));
    });
    const err = await failure(
      sendHttpRequest(
        { url: `${big.origin}/` },
        limits({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 1024 }),
      ),
    );
    expect((err as HttpResponseTooLargeError).bytesRead).toBe(0);
    expect(err.message).toMatch(/larger than the limit of 1024 bytes \(it declares 10485760 bytes\)/);
    expect(big.requests).toHaveLength(1);

    // A HEAD answer announces the length of a body it does not carry: not a reason to fail.
    const head = await sendHttpRequest(
      { method: 'HEAD', url: `${big.origin}/` },
      limits({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 1024 }),
    );
    expect(head).toMatchObject({ status: 200, body: '', bodyBytes: 0 });
  });

  it('refuses a request body over its cap without connecting', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    const err = await failure(
      sendHttpRequest(
        { method: 'POST', url: `${server.origin}/`, body: 'x'.repeat(2048) },
        limits({ allowedHosts: ['127.0.0.1'], maxRequestBytes: 1024 }),
      ),
    );
    expect(err.providerCode).toBe('request_too_large');
    expect(server.requests).toHaveLength(0);
  });
});

describe('sendHttpRequest: bodies and errors', () => {
  it('sends JSON, parses a JSON answer (also +json types), and returns other types as text', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/text') res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      else if (req.url === '/problem')
        json(res, 200, { ok: 1 }, { 'content-type': 'application/problem+json' });
      else json(res, 201, { got: req.headers['content-type'], method: req.method });
    });
    const options = limits({ allowedHosts: ['127.0.0.1'] });
    const sent = await sendHttpRequest(
      { method: 'post', url: `${server.origin}/`, body: { name: 'Ann' } },
      options,
    );
    expect(sent.status).toBe(201);
    expect(sent.bodyKind).toBe('json');
    expect(sent.body).toEqual({ got: 'application/json', method: 'POST' });
    expect(server.bodies[0]).toBe('{"name":"Ann"}');
    expect(sent.timing.totalMs).toBeGreaterThanOrEqual(sent.timing.headersMs);
    expect(Date.parse(sent.timing.startedAt)).not.toBeNaN();
    expect((await sendHttpRequest({ url: `${server.origin}/problem` }, options)).body).toEqual({ ok: 1 });
    const text = await sendHttpRequest({ url: `${server.origin}/text` }, options);
    expect(text).toMatchObject({ body: 'plain words', bodyKind: 'text' });
  });

  it('fails 4xx permanently, and 429 and 5xx as transient with Retry-After as the next retry delay', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/404') json(res, 404, { message: 'no such record' });
      else if (req.url === '/429') json(res, 429, {}, { 'retry-after': '7' });
      else if (req.url === '/408') json(res, 408, {});
      else json(res, 503, {});
    });
    const options = limits({ allowedHosts: ['127.0.0.1'] });
    const notFound = await failure(sendHttpRequest({ url: `${server.origin}/404` }, options));
    expect(notFound).toMatchObject({ retryable: false, status: 404 });
    expect(notFound.plainMessage).toBe(`${server.origin} answered HTTP 404: no such record`);
    const limited = await failure(sendHttpRequest({ url: `${server.origin}/429` }, options));
    expect(limited).toMatchObject({ retryable: true, retryAfterSeconds: 7 });
    expect(toActivityFailure(limited)).toMatchObject({ nonRetryable: false, nextRetryDelay: 7000 });
    expect(await failure(sendHttpRequest({ url: `${server.origin}/408` }, options))).toMatchObject({
      retryable: true,
    });
    expect(await failure(sendHttpRequest({ url: `${server.origin}/503` }, options))).toMatchObject({
      retryable: true,
    });
  });

  it('does not retry a POST or PATCH that may have been processed, unless it carries an Idempotency-Key', async () => {
    let received = 0;
    const server = await startServer((req, res) => {
      received++;
      if (req.url === '/429') json(res, 429, {}, { 'retry-after': '3' });
      else json(res, 503, {});
    });
    const options = limits({ allowedHosts: ['127.0.0.1'] });
    const post = (path: string, headers: Record<string, string> = {}) =>
      failure(
        sendHttpRequest({ method: 'POST', url: `${server.origin}${path}`, body: { a: 1 }, headers }, options),
      );

    const once = await post('/503');
    expect(once).toMatchObject({ retryable: false, status: 503 });
    expect(once.plainMessage).toMatch(
      /Not retried: the POST may already have been processed; send an Idempotency-Key/,
    );
    expect(toActivityFailure(once)).toMatchObject({ nonRetryable: true });
    const patched = await failure(
      sendHttpRequest({ method: 'PATCH', url: `${server.origin}/503`, body: { a: 1 } }, options),
    );
    expect(patched.retryable).toBe(false);
    // With a key the destination can tell a retry from a new request; a 429 was refused before any work.
    expect(await post('/503', { 'Idempotency-Key': 'run-1-step-crm' })).toMatchObject({ retryable: true });
    expect(await post('/429')).toMatchObject({ retryable: true, retryAfterSeconds: 3 });
    // GET and PUT are idempotent: retried as before.
    expect(await failure(sendHttpRequest({ url: `${server.origin}/503` }, options))).toMatchObject({
      retryable: true,
    });
    expect(received).toBe(5);

    // Nothing was sent when the connection is refused: a POST is retried then.
    const gone = await startServer(() => undefined);
    const port = gone.port;
    await gone.close();
    const refused = await failure(
      sendHttpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/`, body: 'x' }, options),
    );
    expect(refused).toMatchObject({ retryable: true, providerCode: 'ECONNREFUSED' });
  });

  it('fails a refused connection and a DNS failure as transient, and bad URLs, methods and headers as permanent', async () => {
    const gone = await startServer(() => undefined);
    const port = gone.port;
    await gone.close();
    const refused = await failure(
      sendHttpRequest({ url: `http://127.0.0.1:${port}/` }, limits({ allowedHosts: ['127.0.0.1'] })),
    );
    expect(refused).toMatchObject({ kind: 'unavailable', retryable: true, providerCode: 'ECONNREFUSED' });

    const unknownName = await failure(
      sendHttpRequest({ url: 'http://nowhere.example.com/' }, limits({ resolve: fakeDns({}) })),
    );
    expect(unknownName).toMatchObject({ kind: 'unavailable', retryable: true, providerCode: 'ENOTFOUND' });

    for (const url of [
      'ftp://example.com/',
      'not a url',
      'http://user:pw@example.com/',
      'file:///etc/passwd',
    ]) {
      expect(await failure(sendHttpRequest({ url }, limits()))).toMatchObject({
        providerCode: 'bad_url',
        retryable: false,
      });
    }
    expect(
      await failure(sendHttpRequest({ method: 'TRACE', url: 'http://example.com/' }, limits())),
    ).toMatchObject({
      providerCode: 'bad_request',
    });
    expect(
      await failure(
        sendHttpRequest({ url: 'http://example.com/', headers: { 'bad header': 'x' } }, limits()),
      ),
    ).toMatchObject({ providerCode: 'bad_request' });
  });
});

describe('previewHttpRequest (dry run)', () => {
  it('shows the request that would go out with secrets masked, and sends nothing', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    const preview = previewHttpRequest(
      {
        method: 'POST',
        url: `${server.origin}/hook?api_key=abc123&page=2`,
        headers: {
          Authorization: 'Bearer s3cret-token',
          'X-Api-Key': 'k-999',
          Cookie: 'sid=42',
          Accept: 'application/json',
        },
        body: { email: 'ann@example.com' },
      },
      limits({ allowedHosts: ['127.0.0.1'] }),
    );
    expect(preview).toEqual({
      method: 'POST',
      url: `${server.origin}/hook?api_key=****&page=2`,
      headers: {
        authorization: 'Bearer ****',
        'x-api-key': '****',
        cookie: '****',
        accept: 'application/json',
        'user-agent': 'Hopflow-Automations/1.0',
        'accept-encoding': 'identity',
        'content-type': 'application/json',
        'content-length': '27',
      },
      body: '{"email":"ann@example.com"}',
      bodyBytes: 27,
    });
    expect(JSON.stringify(preview)).not.toMatch(/s3cret|k-999|sid=42|abc123/);
    expect(server.requests).toHaveLength(0);
  });

  it('fails as sending would on a literal internal address', () => {
    expect(() => previewHttpRequest({ url: 'http://169.254.169.254/' }, limits())).toThrow(
      'refused: 169.254.169.254 is a cloud metadata address',
    );
  });
});
