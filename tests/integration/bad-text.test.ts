import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { errorHandler } from '../../api/http/errors';
import { createMetrics } from '../../api/http/metrics';
import { assignRequestId } from '../../api/http/request-id';
import { buildInsNotification } from '../../sandbox/clickbank/ins-sender';
import { encryptIns } from '../../lib/clickbank/ins';
import {
  bearer,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

const NUL = 'a\u0000b';
const LONE = '\udc00\udc00';
const badStrings = [NUL, LONE, '\u0000', 'x\ud800', '\udfffx', 'ok\ud83d'];
const cannotBeStored = expect.stringContaining('cannot be stored') as unknown;

interface ErrorResponse {
  error: { code: string; details: { path: string; message: string }[] };
}
/** In a URL: a lone surrogate has no UTF-8 form, so it goes as the bytes a careless encoder makes of it. */
const inUrl = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((c) => {
        const u = c.charCodeAt(0);
        if (u < 0xd800 || u > 0xdfff) return encodeURIComponent(c);
        return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      })
      .join('');
  }
};
const detailsOf = (body: unknown) => (body as ErrorResponse).error.details;

/** Text PostgreSQL cannot store (NUL, unpaired surrogates) is a 400 naming the field on every route, never a 500. */
describe('bad text', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let user: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi();
    user = await registerUser(api.app, 'bad-text');
    teamId = user.personalTeamId;
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('the reproducers answer 400 with the field named', () => {
    it('register with a NUL in the name', async () => {
      const res = await request(api.app)
        .post('/api/v1/auth/register')
        .send({ email: 'n@example.com', password: 'Password-123456', name: NUL });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'validation_failed');
      expect(detailsOf(res.body)).toEqual([{ path: 'name', message: cannotBeStored }]);
    });

    it('a contact whose first name is two lone surrogates', async () => {
      const res = await request(api.app)
        .post(`/api/v1/teams/${teamId}/contacts`)
        .set(bearer(user.accessToken))
        .send({ email: 's@example.com', firstName: LONE });
      expect(res.status).toBe(400);
      expect(detailsOf(res.body)).toEqual([{ path: 'firstName', message: cannotBeStored }]);
    });

    it.each([['/api/v1/products?q=%00'], ['/api/v1/teams/{teamId}/contacts?q=%00']])(
      'a search for a NUL: GET %s',
      async (url) => {
        const res = await request(api.app).get(url.replace('{teamId}', teamId)).set(bearer(user.accessToken));
        expect(res.status).toBe(400);
        expect(detailsOf(res.body)).toEqual([{ path: 'query.q', message: cannotBeStored }]);
      },
    );

    it('a CSV import with a NUL byte inside a field names its line and column', async () => {
      const csv = 'email,first_name\nok@example.com,Ann\nnul@example.com,Bo\u0000b\n';
      const res = await request(api.app)
        .post(`/api/v1/teams/${teamId}/contacts/import`)
        .set(bearer(user.accessToken))
        .set('Content-Type', 'text/csv')
        .send(Buffer.from(csv, 'utf8'));
      expect(res.status).toBe(400);
      expect(detailsOf(res.body)).toEqual([{ path: 'line 3, column "first_name"', message: cannotBeStored }]);
      const stored = await api
        .db('contacts')
        .where({ team_id: teamId })
        .count<{ count: string }[]>('* as count');
      expect(Number(stored[0]?.count)).toBe(0);
    });

    it('a bonus upload whose form field or file name holds such text', async () => {
      const fieldRes = await request(api.app)
        .post(`/api/v1/teams/${teamId}/bonuses`)
        .set(bearer(user.accessToken))
        .field('name', `Guide${NUL}`)
        .attach('file', Buffer.from('%PDF-1.4'), 'guide.pdf');
      expect(fieldRes.status).toBe(400);
      expect(detailsOf(fieldRes.body)).toEqual([{ path: 'name', message: cannotBeStored }]);

      const nameRes = await request(api.app)
        .post(`/api/v1/teams/${teamId}/bonuses`)
        .set(bearer(user.accessToken))
        .field('name', 'Guide')
        .attach('file', Buffer.from('%PDF-1.4'), `guide${NUL}.pdf`);
      // Multipart headers cannot carry it: the part is refused as malformed, naming the file.
      expect(nameRes.status).toBe(400);
      expect(detailsOf(nameRes.body).map((d) => d.path)).toEqual(['file']);
      const stored = await api
        .db('bonuses')
        .where({ team_id: teamId })
        .count<{ count: string }[]>('* as count');
      expect(Number(stored[0]?.count)).toBe(0);
    });

    describe('a ClickBank INS notification, correctly encrypted', () => {
      const secret = 'BADTEXTSECRET1';
      let insPath: string;
      beforeAll(async () => {
        const res = await request(api.app)
          .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
          .set(bearer(user.accessToken))
          .send({ affiliateNickname: 'testaff1', insSecretKey: secret });
        expect(res.status).toBe(200);
        insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
      });

      it.each([
        [
          'receipt',
          (n: Record<string, unknown>) => ({ ...n, receipt: `RCPT${NUL}` }),
          'notification.receipt',
        ],
        [
          'line item',
          (n: Record<string, unknown>) => {
            const items = n.lineItems as Record<string, unknown>[];
            return { ...n, lineItems: [{ ...items[0], productTitle: `Keto\u0000Boost` }, ...items.slice(1)] };
          },
          'notification.lineItems.0.productTitle',
        ],
      ])(
        'with a NUL in its %s: 400, and the refusal stored as a failed event',
        async (_what, spoil, path) => {
          const notification = spoil(
            buildInsNotification({ receipt: `BT${randomUUID().slice(0, 8).toUpperCase()}` }),
          );
          const res = await request(api.app)
            .post(insPath)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(encryptIns(notification, secret)));
          expect(res.status).toBe(400);
          expectErrorShape(res.body, 'ins_invalid');
          expect(detailsOf(res.body)).toEqual([{ path, message: cannotBeStored }]);

          const rows = await api
            .db('webhook_events')
            .where({ team_id: teamId, source: 'clickbank' })
            .andWhereLike('external_id', '%invalid_text%')
            .select<{ status: string; error: string; payload: Record<string, unknown> }[]>(
              'status',
              'error',
              'payload',
            );
          const row = rows.find((r) => r.error.includes(path));
          expect(row).toMatchObject({
            status: 'failed',
            error: expect.stringContaining('invalid_text') as unknown,
          });
          expect(JSON.stringify(row?.payload)).toContain('\\\\u0000');

          // ClickBank redelivers: the same answer, no second row.
          const again = await request(api.app)
            .post(insPath)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(encryptIns(notification, secret)));
          expect(again.status).toBe(400);
          const after = await api
            .db('webhook_events')
            .where({ team_id: teamId, source: 'clickbank' })
            .andWhereLike('external_id', '%invalid_text%')
            .count<{ count: string }[]>('* as count');
          expect(Number(after[0]?.count)).toBe(rows.length);
        },
      );
    });
  });

  describe('every operation of the OpenAPI document', () => {
    interface Parameter {
      name: string;
      in: 'path' | 'query' | 'header' | 'cookie';
    }
    interface Schema {
      $ref?: string;
      type?: string;
      properties?: Record<string, Schema>;
    }
    interface Operation {
      parameters?: Parameter[];
      requestBody?: { content: Record<string, { schema: Schema }> };
    }
    interface Document {
      paths: Record<string, Record<string, Operation>>;
      components?: { schemas?: Record<string, Schema> };
    }

    it('answers 4xx, never 5xx and never success, when a string it takes (path, query, body) holds text PostgreSQL cannot store', async () => {
      const doc = (await request(api.app).get('/api/v1/openapi.json')).body as Document;
      const resolve = (s: Schema | undefined): Schema | undefined =>
        s?.$ref ? resolve(doc.components?.schemas?.[s.$ref.split('/').pop() ?? '']) : s;
      const failures: string[] = [];
      let sent = 0;
      let operations = 0;

      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          operations++;
          const params = op.parameters ?? [];
          const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
          const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
          const urlWith = (value: (name: string) => string) =>
            `/api/v1${path.replace(/\{(\w+)\}/g, (_m, name: string) => inUrl(value(name)))}`;
          const goodUrl = urlWith((name) => (name === 'teamId' ? teamId : randomUUID()));
          const bodyProps = Object.entries(
            resolve(op.requestBody?.content['application/json']?.schema)?.properties ?? {},
          );

          for (const bad of badStrings) {
            const attempts: { url: string; body?: unknown }[] = [];
            if (pathParams.length > 0) attempts.push({ url: urlWith(() => bad) });
            if (queryParams.length > 0) {
              attempts.push({ url: `${goodUrl}?${queryParams.map((q) => `${q}=${inUrl(bad)}`).join('&')}` });
            }
            if (method !== 'get' && method !== 'delete') {
              // Each body property that takes a string (or anything) gets the bad text; with no schema, one field.
              const body = Object.fromEntries(
                bodyProps
                  .filter(([, s]) => {
                    const t = resolve(s)?.type;
                    return t === undefined || t === 'string';
                  })
                  .map(([name]) => [name, bad]),
              );
              attempts.push({ url: goodUrl, body: Object.keys(body).length > 0 ? body : { note: bad } });
            }
            for (const attempt of attempts) {
              const req = request(api.app)[method as 'get'](attempt.url).set(bearer(user.accessToken));
              const res = attempt.body === undefined ? await req : await req.send(attempt.body as object);
              sent++;
              // Every attempt carries bad text somewhere, so none may succeed either.
              if (res.status >= 500 || res.status < 400) {
                failures.push(`${method.toUpperCase()} ${path} ${JSON.stringify(attempt)} -> ${res.status}`);
              }
            }
          }
        }
      }
      expect(operations).toBeGreaterThan(30);
      expect(sent).toBeGreaterThan(operations);
      expect(failures).toEqual([]);
    });
  });

  /** A small app with the real error middleware and request logging, and routes that fail in the database. */
  function appWithDatabaseErrors() {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const app = express();
    app.use(pinoHttp({ logger, genReqId: assignRequestId }));
    app.get('/text', async () => {
      await api.db.raw('select ?::text as v', ['secret-nul\u0000@example.com']);
    });
    app.get('/jsonb-nul', async () => {
      await api.db.raw('select ?::jsonb as v', [JSON.stringify({ body: 'x\u0000' })]);
    });
    app.get('/jsonb-surrogate', async () => {
      await api.db.raw('select ?::jsonb as v', [JSON.stringify({ body: 'x\udc00' })]);
    });
    app.get('/unhandled', async () => {
      await api
        .db('contacts')
        .insert({ team_id: randomUUID(), email: 'secret-person@example.com', first_name: 'Secretname' });
    });
    app.use(errorHandler({ logger, metrics: createMetrics(), bodyLimit: '1mb' }));
    return { app, lines };
  }

  describe('the backstop in the error middleware', () => {
    it.each([['/text'], ['/jsonb-nul'], ['/jsonb-surrogate']])(
      'maps PostgreSQL refusing the text (%s) to 400 invalid_text',
      async (url) => {
        const { app } = appWithDatabaseErrors();
        const res = await request(app).get(url);
        expect(res.status).toBe(400);
        expectErrorShape(res.body, 'invalid_text');
      },
    );
  });

  describe('logging an unhandled database error', () => {
    it('logs its code, table, constraint, route and request id, never the SQL or its parameters', async () => {
      const { app, lines } = appWithDatabaseErrors();
      const res = await request(app).get('/unhandled').set('X-Request-Id', 'req-bad-text-1');
      expect(res.status).toBe(500);
      expectErrorShape(res.body, 'internal_error');
      const log = lines.join('');
      expect(log).not.toMatch(/secret-person|Secretname|insert into|Key \(/i);
      const unhandled = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'unhandled error');
      expect(unhandled).toMatchObject({
        route: '/unhandled',
        requestId: 'req-bad-text-1',
        err: { code: '23503', table: 'contacts', constraint: expect.any(String) as unknown },
      });
      expect(JSON.stringify(unhandled)).not.toContain('message');
    });
  });
});
