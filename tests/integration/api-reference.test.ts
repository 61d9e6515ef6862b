import request from 'supertest';
import { createTestApi, type TestApi } from '../support/api';

/** The rendered API reference must work offline: the page loads only what this server serves. */
describe('API reference page', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('serves /api/v1/docs as HTML that loads the local bundle and names the spec', async () => {
    const res = await request(api.app).get('/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Hopflow API</title>');
    expect(res.text).toMatch(/<script id="api-reference" data-url="\/api\/v1\/openapi\.json"/);

    const scripts = [...res.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([expect.stringMatching(/^\/api\/v1\/docs\/scalar\.js(\?|$)/)]);
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);

    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });

  it('serves the bundle the page names as cacheable JavaScript', async () => {
    const page = await request(api.app).get('/api/v1/docs');
    const scriptUrl = /<script[^>]*\ssrc="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await request(api.app).get(scriptUrl.replace(/&amp;/g, '&'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=\d{6,}/);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(100_000);
  });

  it('names a spec URL that answers with an OpenAPI 3 document', async () => {
    const page = await request(api.app).get('/api/v1/docs');
    const specUrl = /data-url="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await request(api.app).get(specUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect((res.body as { openapi: string }).openapi).toMatch(/^3\.\d+\.\d+$/);
  });
});
