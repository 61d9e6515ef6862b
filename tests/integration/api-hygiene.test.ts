import type { Application } from 'express';
import request from 'supertest';
import { createKeyValue } from '../../lib/kv';
import { createApp } from '../../api/app';
import {
  anyString,
  bearer,
  createTestApi,
  expectErrorShape,
  registerUser,
  type TestApi,
} from '../support/api';

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; parameters?: { in: string; name: string }[] }>
  >;
  components?: { schemas?: Record<string, unknown> };
}

/** Every "METHOD /path" the Express app really serves under /api/v1, read from the router itself. */
function mountedApiRoutes(app: Application): string[] {
  interface Layer {
    rawPath?: unknown;
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const appStack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const found: string[] = [];
  for (const layer of appStack) {
    if (layer.rawPath !== '/api/v1') continue;
    for (const inner of layer.handle?.stack ?? []) {
      if (!inner.route || inner.route.path === '/openapi.json') continue;
      for (const method of Object.keys(inner.route.methods))
        found.push(`${method.toUpperCase()} ${inner.route.path}`);
    }
  }
  return found.sort();
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, refs));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') refs.push(v);
      else collectRefs(v, refs);
    }
  }
  return refs;
}

describe('API hygiene', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi({ api: { bodyLimit: '2kb' }, temporal: true });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers unknown routes with 404 not_found in the error shape', async () => {
    const res = await request(api.app).get('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'not_found');
    expect((await request(api.app).delete('/nowhere')).status).toBe(404);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await request(api.app)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_json');
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const res = await request(api.app)
      .post('/api/v1/auth/register')
      .send({ email: 'big@example.com', password: 'x'.repeat(20), name: 'y'.repeat(4000) });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'payload_too_large');
  });

  it('reports nested validation paths with dots', async () => {
    const user = await registerUser(api.app, 'paths');
    const res = await request(api.app)
      .patch(`/api/v1/teams/${user.personalTeamId}`)
      .set(bearer(user.accessToken))
      .send({ name: 42 });
    expect(res.status).toBe(400);
    expect((res.body as { error: { details: unknown } }).error.details).toEqual([
      { path: 'name', message: anyString },
    ]);
    const badId = await request(api.app)
      .patch(`/api/v1/teams/${user.personalTeamId}/members/not-a-uuid`)
      .set(bearer(user.accessToken))
      .send({ role: 'viewer' });
    expect(badId.status).toBe(400);
    expect((badId.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'params.userId',
    );
  });

  it('echoes a sane X-Request-Id, replaces an unsafe one, and puts it in error bodies', async () => {
    const given = await request(api.app).get('/api/v1/nope').set('X-Request-Id', 'trace-abc.123');
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    expect((given.body as { error: { requestId: string } }).error.requestId).toBe('trace-abc.123');

    const unsafe = await request(api.app)
      .get('/healthz')
      .set('X-Request-Id', 'bad id\twith spaces and <html>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await request(api.app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and hides the framework', async () => {
    const res = await request(api.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('turns an unexpected failure into 500 internal_error without a stack', async () => {
    const broken = await createTestApi();
    const user = await registerUser(broken.app, 'boom');
    await broken.db.destroy(); // every query now throws inside knex
    try {
      const res = await request(broken.app).get('/api/v1/me').set(bearer(user.accessToken));
      expect(res.status).toBe(500);
      expectErrorShape(res.body, 'internal_error');
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    } finally {
      await broken.close();
    }
  });

  it('/healthz is always ok and /readyz checks database, Redis and Temporal', async () => {
    expect((await request(api.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(api.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'ok' }, kv: { status: 'ok', kind: 'redis' }, temporal: { status: 'ok' } },
    });
  });

  it('/readyz answers 503 naming the dependency that is down', async () => {
    const kv = await createKeyValue(api.config);
    await kv.close(); // a real Redis client whose connection is gone
    const app = createApp({ ...api.deps, kv, temporal: null });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { status: 'ok' },
        kv: { status: 'error', error: anyString },
        temporal: { status: 'disabled' },
      },
    });
  });

  it('/metrics exposes latency by route pattern (not raw URL), error counts and process metrics', async () => {
    const user = await registerUser(api.app, 'metrics');
    await request(api.app)
      .get(`/api/v1/teams/${user.personalTeamId}`)
      .set(bearer(user.accessToken))
      .expect(200);
    await request(api.app)
      .get('/api/v1/teams/00000000-0000-4000-8000-000000000000')
      .set(bearer(user.accessToken))
      .expect(404);
    const res = await request(api.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/v1\/teams\/:teamId",status="200"\}/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/teams\/:teamId",status="404"\} 1/,
    );
    expect(text).toMatch(/http_errors_total\{route="\/api\/v1\/teams\/:teamId",code="team_not_found"\} 1/);
    expect(text).toContain('# TYPE workflow_starts_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain(user.personalTeamId);
  });

  it('serves a valid OpenAPI 3 document that lists exactly the mounted routes', async () => {
    const res = await request(api.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as OpenApiDoc;
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info).toEqual({ title: 'Hopflow API', version: anyString, description: anyString });

    const documented: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(operations)) {
        documented.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        // Every {param} in the path is declared as a required path parameter.
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort()).toEqual([...pathParams].sort());
      }
    }
    expect(documented.sort()).toEqual(mountedApiRoutes(api.app));
    expect(documented).toEqual(
      expect.arrayContaining(['POST /auth/register', 'GET /me', 'DELETE /teams/:teamId/members/:userId']),
    );

    // Every $ref points at a component that exists.
    for (const ref of collectRefs(doc)) {
      const [, , kind, name] = ref.split('/');
      expect(
        (doc.components as Record<string, Record<string, unknown>>)[kind ?? '']?.[name ?? ''],
      ).toBeDefined();
    }
  });

  it('documents both bodies of the bonus uploads and the errors every route can answer', async () => {
    interface Operation {
      responses: Record<string, unknown>;
      security?: unknown[];
      requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
      parameters?: unknown[];
      'x-min-role'?: string;
    }
    const doc = (await request(api.app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    for (const path of ['/teams/{teamId}/bonuses', '/bonuses']) {
      const op = doc.paths[path]?.post;
      expect(Object.keys(op?.requestBody?.content ?? {}).sort()).toEqual([
        'application/json',
        'multipart/form-data',
      ]);
      const form = op?.requestBody?.content['multipart/form-data']?.schema.properties ?? {};
      expect(form.file).toEqual(expect.objectContaining({ type: 'string', format: 'binary' }));
      expect(Object.keys(form)).toEqual(expect.arrayContaining(['name', 'campaignIds']));
      expect(Object.keys(op?.responses ?? {})).toEqual(
        expect.arrayContaining(['201', '400', '401', '404', '413']),
      );
    }
    expect(
      Object.keys(
        doc.paths['/bonuses']?.post?.requestBody?.content['multipart/form-data']?.schema.properties ?? {},
      ),
    ).toContain('teamId');

    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const statuses = Object.keys(op.responses);
        const name = `${method.toUpperCase()} ${path}`;
        const expected = [
          ...(op.requestBody || (op.parameters ?? []).length > 0 ? ['400'] : []),
          ...(op.security ? ['401'] : []),
          ...(op['x-min-role'] ? ['403', '404'] : []),
          ...(op.requestBody ? ['413'] : []),
          // database_timeout: any statement may run past the API's statement timeout.
          '503',
        ];
        const missing = expected.filter((status) => !statuses.includes(status));
        expect({ name, missing }).toEqual({ name, missing: [] });
      }
    }
    for (const path of ['/auth/register', '/auth/register/confirm', '/auth/login', '/auth/refresh']) {
      expect(Object.keys(doc.paths[path]?.post?.responses ?? {})).toContain('429');
    }
    // The heavy routes (team_busy past the per-team cap), and not their light neighbours.
    expect(Object.keys(doc.paths['/teams/{teamId}/contacts']?.get?.responses ?? {})).toContain('429');
    expect(Object.keys(doc.paths['/teams/{teamId}/contacts/import']?.post?.responses ?? {})).toContain('429');
    expect(Object.keys(doc.paths['/teams/{teamId}/contacts']?.post?.responses ?? {})).not.toContain('429');
  });
});
