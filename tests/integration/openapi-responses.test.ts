import { randomUUID } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import express from 'express';
import request from 'supertest';
import { createContactImportActivities } from '../../activities/contact-import';
import { finishContactImport, insertContactImport } from '../../data/contact-imports';
import { heavySlotKey } from '../../api/http/team-concurrency';
import { given } from '../support/fixtures';
import { bearer, createTestApi, registerUser, type RegisteredUser, type TestApi } from '../support/api';

/**
 * Every response this file sees from the API is checked against the OpenAPI document: the operation declares
 * the status, and the body validates against the declared schema (component $refs resolved). The app is
 * called through a recorder, so a response with an undeclared status fails the test even when the test did
 * not look at it (fixtures included).
 */

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

interface Seen {
  method: string;
  url: string;
  routePattern?: string;
  status: number;
  body: unknown;
}

const BASE = '/api/v1';

describe('responses match the OpenAPI document', () => {
  let api: TestApi;
  let app: express.Express;
  let doc: OpenApiDoc;
  let seen: Seen[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    api = await createTestApi();
    app = express();
    // Records every response: its route (as mounted), status and JSON body.
    app.use((req, res, next) => {
      const entry: Seen = {
        method: req.method.toLowerCase(),
        url: req.originalUrl,
        status: 0,
        body: undefined,
      };
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        // As the client reads it (dates become strings).
        entry.body = JSON.parse(JSON.stringify(body)) as unknown;
        return json(body);
      };
      res.on('finish', () => {
        entry.status = res.statusCode;
        entry.routePattern = (res.locals as { routePattern?: string }).routePattern;
        seen.push(entry);
      });
      next();
    });
    app.use(api.app);
    doc = (await request(api.app).get(`${BASE}/openapi.json`)).body as OpenApiDoc;
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => {
    seen = [];
  });
  afterEach(() => {
    expect(seen.length).toBeGreaterThan(0);
    for (const response of seen) check(response);
  });

  /** The document's path for a response: the mounted pattern when the route was reached, else by matching. */
  function documentedPath(response: Seen): string | undefined {
    if (response.routePattern?.startsWith(BASE)) {
      return response.routePattern.slice(BASE.length).replace(/:(\w+)/g, '{$1}');
    }
    const path = response.url.split('?')[0]?.slice(BASE.length) ?? '';
    return Object.keys(doc.paths).find((template) =>
      new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
    );
  }

  function check(response: Seen): void {
    const name = `${response.method.toUpperCase()} ${response.url} -> ${response.status}`;
    const path = documentedPath(response);
    const operation = path ? doc.paths[path]?.[response.method] : undefined;
    expect({ name, documented: Boolean(operation) }).toEqual({ name, documented: true });
    const declared = operation?.responses[String(response.status)];
    expect({ name, declared: Object.keys(operation?.responses ?? {}) }).toEqual({
      name,
      declared: expect.arrayContaining([String(response.status)]) as unknown,
    });
    const schema = declared?.content?.['application/json']?.schema;
    if (!schema) {
      // Declared without a body (204 and the like): nothing came back.
      expect({ name, body: response.body }).toEqual({ name, body: undefined });
      return;
    }
    const key = `${path} ${response.method} ${response.status}`;
    let validate = validators.get(key);
    if (!validate) {
      // The component schemas ride along, so "#/components/schemas/X" resolves inside this schema.
      validate = ajv.compile({ ...schema, components: doc.components });
      validators.set(key, validate);
    }
    const valid = validate(response.body);
    expect({ name, errors: valid ? null : validate.errors }).toEqual({ name, errors: null });
  }

  const call = () => request(app);

  it('fails on a status the document does not declare, or a body off its schema (the check itself)', async () => {
    const me = { method: 'get', url: `${BASE}/me`, routePattern: `${BASE}/me` };
    expect(() => check({ ...me, status: 418, body: {} })).toThrow();
    expect(() => check({ ...me, status: 200, body: { user: { id: 'not a uuid' } } })).toThrow();
    expect((await call().get(`${BASE}/me`)).status).toBe(401);
  });

  it('auth: register, login (good and bad), me (with and without a token)', async () => {
    const user = await registerUser(app, 'openapi-auth');
    expect((await call().post(`${BASE}/auth/register`).send({ email: 'nope' })).status).toBe(400);
    // A taken address: the same 202 as a new one (registerUser went through 202 and the confirm's 201).
    expect(
      (
        await call()
          .post(`${BASE}/auth/register`)
          .send({ email: user.email, password: user.password, name: 'X' })
      ).status,
    ).toBe(202);
    expect(
      (
        await call()
          .post(`${BASE}/auth/register/confirm`)
          .send({ token: 'spent-or-unknown', password: 'whatever it was' })
      ).status,
    ).toBe(400);
    expect(
      (await call().post(`${BASE}/auth/login`).send({ email: user.email, password: user.password })).status,
    ).toBe(200);
    expect(
      (await call().post(`${BASE}/auth/login`).send({ email: user.email, password: 'wrong password!' }))
        .status,
    ).toBe(401);
    expect((await call().get(`${BASE}/me`).set(bearer(user.accessToken))).status).toBe(200);
    expect((await call().get(`${BASE}/me`)).status).toBe(401);
  });

  describe('with a team', () => {
    let user: RegisteredUser;
    let teamId: string;

    beforeAll(async () => {
      user = await registerUser(api.app, 'openapi-owner');
      teamId = user.personalTeamId;
    });

    it('campaigns: create, list, get, a 400 and a 404', async () => {
      const auth = bearer(user.accessToken);
      const campaign = await given.campaign({ app, db: api.db }, user, { product: {} });
      const created = await call()
        .post(`${BASE}/teams/${teamId}/campaigns`)
        .set(auth)
        .send({ name: 'By vendor', vendor: 'vendor5' });
      expect(created.status).toBe(201);
      expect((await call().get(`${BASE}/teams/${teamId}/campaigns`).set(auth)).status).toBe(200);
      expect((await call().get(`${BASE}/teams/${teamId}/campaigns/${campaign.id}`).set(auth)).status).toBe(
        200,
      );
      expect(
        (await call().post(`${BASE}/teams/${teamId}/campaigns`).set(auth).send({ name: 'Neither' })).status,
      ).toBe(400);
      expect(
        (await call().get(`${BASE}/teams/${teamId}/campaigns/00000000-0000-4000-8000-000000000000`).set(auth))
          .status,
      ).toBe(404);
    });

    it('contacts: create and a 400', async () => {
      const auth = bearer(user.accessToken);
      const contacts = `${BASE}/teams/${teamId}/contacts`;
      expect(
        (
          await call()
            .post(contacts)
            .set(auth)
            .send({ email: 'buyer@example.com', tags: ['vip'] })
        ).status,
      ).toBe(201);
      expect((await call().post(contacts).set(auth).send({ email: 'not an email' })).status).toBe(400);
    });

    it('contact imports: the synchronous route (200, 413 over the row cap), the job routes (503 without Temporal, list, one, 404)', async () => {
      const auth = bearer(user.accessToken);
      const sync = `${BASE}/teams/${teamId}/contacts/import`;
      const csv = (rows: number) =>
        ['email', ...Array.from({ length: rows }, (_, i) => `doc${i}@example.com`), 'not-an-address'].join(
          '\n',
        );
      const post = (url: string, body: string) =>
        call().post(url).set(auth).set('Content-Type', 'text/csv').send(body);
      expect((await post(sync, csv(3))).status).toBe(200);
      expect((await post(sync, csv(10_000))).status).toBe(413);
      const jobs = `${BASE}/teams/${teamId}/contacts/imports`;
      expect((await post(jobs, csv(3))).status).toBe(503);

      const job = await insertContactImport(api.db, {
        id: randomUUID(),
        teamId,
        createdBy: user.id,
        csv: Buffer.from(csv(3)),
        tags: ['docs'],
      });
      await createContactImportActivities({ db: api.db }).readContactImport({ teamId, importId: job.id });
      await finishContactImport(api.db, teamId, job.id, {
        status: 'failed',
        error: { message: 'Stopped', details: [{ path: 'email', message: 'Stopped by the test' }] },
      });
      expect((await call().get(jobs).set(auth)).status).toBe(200);
      const one = await call().get(`${jobs}/${job.id}`).set(auth);
      expect(one.status).toBe(200);
      expect((one.body as { import: { skipped: unknown[] } }).import.skipped).toHaveLength(1);
      expect((await call().get(`${jobs}/${randomUUID()}`).set(auth)).status).toBe(404);
    });

    it('contacts: a search, and 429 team_busy while the team runs as many heavy requests as allowed', async () => {
      const auth = bearer(user.accessToken);
      const contacts = `${BASE}/teams/${teamId}/contacts`;
      expect((await call().get(contacts).query({ q: 'buyer' }).set(auth)).status).toBe(200);
      // Occupy the team's slots as two searches in flight would.
      const key = heavySlotKey(teamId);
      const limit = api.config.limits.heavyRequestsPerTeam;
      const held: string[] = [];
      for (let i = 0; i < limit; i++) held.push((await api.deps.kv.acquireSlot(key, limit, 60))!);
      try {
        expect((await call().get(contacts).query({ q: 'buyer' }).set(auth)).status).toBe(429);
        expect(
          (await call().post(`${contacts}/import`).set(auth).set('Content-Type', 'text/csv').send('email\n'))
            .status,
        ).toBe(429);
      } finally {
        for (const token of held) await api.deps.kv.releaseSlot(key, token);
      }
    });

    it('bonuses: a JSON create; products: the list', async () => {
      const auth = bearer(user.accessToken);
      const bonus = await call()
        .post(`${BASE}/teams/${teamId}/bonuses`)
        .set(auth)
        .send({ name: 'Checklist', url: 'https://example.com/checklist.pdf' });
      expect(bonus.status).toBe(201);
      expect((await call().get(`${BASE}/products`).set(auth)).status).toBe(200);
    });
  });
});
