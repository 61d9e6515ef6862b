import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { bearer, createTestApi, registerUser, type TestApi } from '../support/api';

/** The request log keeps what a request was (method, route, status), never the data or secrets it carried. */
describe('the request log', () => {
  let api: TestApi;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    api = await createTestApi();
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    app = createApp({ ...api.deps, logger });
  });
  afterAll(async () => {
    await api.close();
  });

  const logged = () => lines.map((l) => JSON.parse(l) as { req?: Record<string, unknown>; msg: string });

  it('logs search queries by parameter name only, and no headers', async () => {
    const user = await registerUser(app, 'logged');
    lines.length = 0;
    const res = await request(app)
      .get(`/api/v1/teams/${user.personalTeamId}/contacts?q=secret.person%40example.com&limit=5`)
      .set(bearer(user.accessToken));
    expect(res.status).toBe(200);
    const text = lines.join('');
    expect(text).not.toContain('secret.person');
    expect(text).not.toContain(user.accessToken);
    const entry = logged().find((l) => l.msg === 'request completed');
    expect(entry?.req).toEqual({
      id: expect.any(String) as unknown,
      method: 'GET',
      url: `/api/v1/teams/${user.personalTeamId}/contacts?q=…&limit=…`,
      remoteAddress: expect.any(String) as unknown,
    });
  });

  it('never logs the token of an unsubscribe or bonus link', async () => {
    lines.length = 0;
    await request(app).get('/u/secret-capability-token-1');
    await request(app).head('/b/secret-capability-token-2?x=1');
    const text = lines.join('');
    expect(text).not.toContain('secret-capability-token');
    expect(logged().map((l) => l.req?.url)).toEqual(['/u/:token', '/b/:token?x=…']);
  });
});
