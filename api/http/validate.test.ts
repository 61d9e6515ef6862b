import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { validate } from './validate';

/** validate() on a tiny app: parsed values reach the handler; problems become [{path, message}] details. */
function appWith(schemas: Parameters<typeof validate>[0]) {
  const app = express();
  app.use(express.json());
  app.post('/things/:id', validate(schemas), (_req, res) => {
    res.json(res.locals.valid);
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = err as AppError;
    res.status(e.status).json({ code: e.code, details: e.details });
  });
  return app;
}

describe('validate', () => {
  const app = appWith({
    params: z.object({ id: z.uuid() }),
    query: z.object({ limit: z.coerce.number().int().max(50).optional() }),
    body: z.object({ members: z.array(z.object({ role: z.enum(['admin', 'viewer']) })) }),
  });
  const id = '6f1c3f7e-8a53-4a57-9d36-3c1c1f5c2c11';

  it('hands parsed values to the handler', async () => {
    const res = await request(app)
      .post(`/things/${id}?limit=5`)
      .send({ members: [{ role: 'admin' }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ params: { id }, query: { limit: 5 }, body: { members: [{ role: 'admin' }] } });
  });

  it('reports nested body paths with dots and prefixes params and query', async () => {
    const res = await request(app)
      .post('/things/nope?limit=500')
      .send({ members: [{ role: 'admin' }, { role: 'god' }] });
    expect(res.status).toBe(400);
    const paths = (res.body as { details: { path: string }[] }).details.map((d) => d.path).sort();
    expect(paths).toEqual(['members.1.role', 'params.id', 'query.limit']);
  });

  it('refuses NUL and unpaired surrogates in any string, with or without a schema, naming the field', async () => {
    const loose = appWith({ body: z.object({ name: z.string() }) });
    const res = await request(loose)
      .post(`/things/${id}?q=%00`)
      .send({ name: 'a\u0000b', extra: { note: '\udc00\udc00' }, ok: '👍' });
    expect(res.status).toBe(400);
    const details = (res.body as { code: string; details: { path: string; message: string }[] }).details;
    expect(details.map((d) => d.path).sort()).toEqual(['extra.note', 'name', 'query.q']);
    expect(details.every((d) => d.message.includes('cannot be stored'))).toBe(true);
  });
});
