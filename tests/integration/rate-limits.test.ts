import request from 'supertest';
import { createTestApi, expectErrorShape, uniqueEmail, type TestApi } from '../support/api';

/** A fresh address per use, so counters from other tests (same Redis) never interfere. */
const freshIp = () =>
  `10.${40 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

type Send = (ip: string) => request.Test;

/** `points` requests pass the limiter (whatever the door answers), the next is 429; another address still passes. */
async function expectLimited(send: Send, points: number, windowSeconds: number): Promise<void> {
  const ip = freshIp();
  for (let i = 0; i < points; i++) expect((await send(ip)).status).not.toBe(429);
  const blocked = await send(ip);
  expect(blocked.status).toBe(429);
  // HEAD answers have no body.
  if (blocked.text) expectErrorShape(blocked.body, 'rate_limited');
  const retryAfter = Number(blocked.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect((await send(freshIp())).status).not.toBe(429);
}

describe('per-address limits on the open doors', () => {
  let api: TestApi;
  const limit = { points: 3, windowSeconds: 120 };

  beforeAll(async () => {
    api = await createTestApi({
      api: { trustProxy: true },
      limits: {
        register: limit,
        registerConfirm: limit,
        refresh: limit,
        publicLinks: limit,
        webhooks: limit,
      },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('POST /auth/register: 429 with Retry-After and a clear message past the limit', async () => {
    const send: Send = (ip) =>
      request(api.app)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail('limit'), password: 'correct horse battery staple', name: 'Limit' });
    await expectLimited(send, 3, 120);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await send(ip);
    const res = await send(ip);
    expect((res.body as { error: { message: string } }).error.message).toMatch(/too many sign-ups/i);
  });

  it('POST /auth/register/confirm has a budget of its own, apart from register', async () => {
    const confirm: Send = (ip) =>
      request(api.app)
        .post('/api/v1/auth/register/confirm')
        .set('X-Forwarded-For', ip)
        .send({ token: 'not-a-token' });
    await expectLimited(confirm, 3, 120);
    // Spending the confirm budget leaves register's untouched, and the other way round.
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await confirm(ip)).status).toBe(400);
    expect((await confirm(ip)).status).toBe(429);
    const registered = await request(api.app)
      .post('/api/v1/auth/register')
      .set('X-Forwarded-For', ip)
      .send({ email: uniqueEmail('limit'), password: 'correct horse battery staple', name: 'Limit' });
    expect(registered.status).toBe(202);
    const res = await confirm(ip);
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /too many account confirmations/i,
    );
  });

  it('POST /auth/refresh', async () => {
    await expectLimited(
      (ip) =>
        request(api.app)
          .post('/api/v1/auth/refresh')
          .set('X-Forwarded-For', ip)
          .send({ refreshToken: 'not-a-token' }),
      3,
      120,
    );
  });

  it('GET and POST /u/{token} share one budget per address', async () => {
    let n = 0;
    await expectLimited(
      (ip) => {
        n++;
        const req = n % 2 ? request(api.app).get('/u/bogus') : request(api.app).post('/u/bogus');
        return req.set('X-Forwarded-For', ip);
      },
      3,
      60 * 2,
    );
  });

  it('GET and HEAD /b/{token}', async () => {
    let n = 0;
    await expectLimited(
      (ip) => {
        n++;
        const req = n % 2 ? request(api.app).get('/b/bogus') : request(api.app).head('/b/bogus');
        return req.set('X-Forwarded-For', ip);
      },
      3,
      120,
    );
  });

  it('a person who clicks /u or /b too often gets a page in words, not JSON', async () => {
    for (const path of ['/u/bogus', '/b/bogus']) {
      const ip = freshIp();
      for (let i = 0; i < limit.points; i++) await request(api.app).get(path).set('X-Forwarded-For', ip);
      const blocked = await request(api.app).get(path).set('X-Forwarded-For', ip);
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^text\/html/);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.text).toContain('<h1>Please wait a minute</h1>');
      expect(blocked.text).toMatch(/Too many (clicks|downloads) from this address, try again in a minute/);
    }
  });

  it('ClickBank INS and Stripe webhooks, each with its own budget', async () => {
    await expectLimited(
      (ip) =>
        request(api.app)
          .post('/webhooks/clickbank/ins/bogus')
          .set('X-Forwarded-For', ip)
          .send({ notification: 'x', iv: 'y' }),
      3,
      120,
    );
    await expectLimited(
      (ip) => request(api.app).post('/webhooks/stripe').set('X-Forwarded-For', ip).send({ id: 'evt_1' }),
      3,
      120,
    );
  });
});

describe('the browser address passed on by the UI server', () => {
  let api: TestApi;
  const secret = 'ui-secret-ui-secret-ui-secret-0123456789';

  beforeAll(async () => {
    api = await createTestApi({
      auth: { loginMaxFailsPerAccount: 1000, loginMaxFailsPerIp: 2 },
      api: { trustProxy: true, uiSecret: secret },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  /** A failed login from `proxyIp` (the connecting address), optionally vouching for `browserIp` with `key`. */
  const failedLogin = (proxyIp: string, browserIp?: string, key?: string) => {
    const req = request(api.app).post('/api/v1/auth/login').set('X-Forwarded-For', proxyIp);
    if (browserIp) req.set('X-Hopflow-Client-Address', browserIp);
    if (key) req.set('X-Hopflow-UI-Secret', key);
    return req.send({ email: uniqueEmail('guess'), password: 'guess guess' });
  };

  it('gives two browsers behind the UI server separate login budgets', async () => {
    const ui = freshIp();
    const [a, b] = [freshIp(), freshIp()];
    expect((await failedLogin(ui, a, secret)).status).toBe(401);
    expect((await failedLogin(ui, a, secret)).status).toBe(401);
    const blocked = await failedLogin(ui, a, secret);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Same UI server, another browser: its own budget.
    expect((await failedLogin(ui, b, secret)).status).toBe(401);
  });

  it('ignores the address header without the secret or with a wrong one', async () => {
    const ui = freshIp();
    const [blockedBrowser, fresh] = [freshIp(), freshIp()];
    await failedLogin(ui, blockedBrowser, secret);
    await failedLogin(ui, blockedBrowser, secret);
    expect((await failedLogin(ui, blockedBrowser, secret)).status).toBe(429);
    // Naming the blocked address without the right secret does not count against it (nor is it blocked by it):
    // the connecting address counts instead.
    const sender = freshIp();
    expect((await failedLogin(sender, blockedBrowser)).status).toBe(401);
    expect(
      (await failedLogin(sender, blockedBrowser, 'wrong-secret-wrong-secret-wrong-secret-00')).status,
    ).toBe(401);
    expect((await failedLogin(sender, fresh, 'wrong')).status).toBe(429);
    // The fresh address's own budget was not touched.
    expect((await failedLogin(ui, fresh, secret)).status).toBe(401);
  });

  it('ignores the header when the API has no UI secret', async () => {
    const plain = await createTestApi({
      auth: { loginMaxFailsPerAccount: 1000, loginMaxFailsPerIp: 2 },
      api: { trustProxy: true, uiSecret: null },
    });
    try {
      const sender = freshIp();
      const send = (browser: string) =>
        request(plain.app)
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', sender)
          .set('X-Hopflow-Client-Address', browser)
          .set('X-Hopflow-UI-Secret', secret)
          .send({ email: uniqueEmail('guess'), password: 'guess guess' });
      expect((await send(freshIp())).status).toBe(401);
      expect((await send(freshIp())).status).toBe(401);
      expect((await send(freshIp())).status).toBe(429);
    } finally {
      await plain.close();
    }
  });
});
