import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp } from '../../api/app';
import { hashOpaqueToken } from '../../api/services/tokens';
import { createMemoryKeyValue } from '../../lib/kv';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import {
  anyString,
  bearer,
  confirmationTokenOf,
  createTestApi,
  expectErrorShape,
  registerUser,
  uniqueEmail,
  waitForPlatformEmail,
  type TestApi,
} from '../support/api';

describe('auth API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('register (two steps: the emailed link creates the account)', () => {
    const password = 'long enough password';
    const register = (email: string, name = 'Ada', pw = password) =>
      request(api.app).post('/api/v1/auth/register').send({ email, password: pw, name });
    const confirm = (token: string, pw = password) =>
      request(api.app).post('/api/v1/auth/register/confirm').send({ token, password: pw });
    const confirmationToken = async (email: string, count = 1) =>
      confirmationTokenOf((await waitForPlatformEmail(email, 'account-confirmation', { count }))[0]!);
    const count = async (table: string, email: string) =>
      Number(
        (
          await api.db(table).whereRaw('lower(email) = ?', [email]).count<{ count: string }[]>({ count: '*' })
        )[0]?.count,
      );
    /** As if the address's pending sign-up was made two minutes ago (past the one-link-per-minute throttle). */
    const age = (email: string) =>
      api
        .db('pending_registrations')
        .where({ email })
        .update({ created_at: api.db.raw("now() - interval '2 minutes'") });
    /** Sends are in the background: give a send that should not happen the time to happen anyway. */
    const settle = () => new Promise((r) => setTimeout(r, 300));

    it('answers 202 for a new address and emails a confirmation link; nothing is created before it is used', async () => {
      const email = uniqueEmail('ada');
      const res = await register(`  ${email.toUpperCase()} `);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ status: 'confirmation_sent', email });
      expect(await count('users', email)).toBe(0);

      const [message] = await waitForPlatformEmail(email, 'account-confirmation');
      expect(message?.From).toBe(api.config.platformMail.fromEmail);
      expect(message?.Subject).toMatch(/confirm/i);
      expect(message?.TextBody).toContain(`${api.config.ui.publicUrl}/register/confirm?token=`);
      // The name typed in the form is not put into an email anyone can trigger.
      expect(message?.TextBody).not.toContain('Ada');
      // Only a hash of the token is stored.
      const token = confirmationTokenOf(message!);
      const pending = await api
        .db('pending_registrations')
        .where({ email })
        .first<{ token_hash: string; password_hash: string; expires_at: Date }>();
      expect(pending?.token_hash).not.toContain(token);
      expect(pending?.password_hash).toMatch(/^\$argon2id\$/);
      const hours = (pending.expires_at.getTime() - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
    });

    it('confirming creates the user, a personal team with the user as owner, and a session', async () => {
      const email = uniqueEmail('ada');
      expect((await register(email.toUpperCase())).status).toBe(202);
      const res = await confirm(await confirmationToken(email));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        user: { id: anyString, email, name: 'Ada', createdAt: anyString },
        team: { id: anyString, name: "Ada's team", personal: true, role: 'owner' },
        accessToken: anyString,
        refreshToken: anyString,
        expiresIn: 900,
      });
      const body = res.body as { user: { id: string }; team: { id: string }; accessToken: string };
      const member = await api
        .db('team_members')
        .where({ team_id: body.team.id, user_id: body.user.id })
        .first<{ role: string }>();
      expect(member?.role).toBe('owner');
      expect((await request(api.app).get('/api/v1/me').set(bearer(body.accessToken))).status).toBe(200);
      const login = await request(api.app).post('/api/v1/auth/login').send({ email, password });
      expect(login.status).toBe(200);
      expect(await count('pending_registrations', email)).toBe(0);
    });

    it('stores the password as an argon2id hash with the OWASP parameters', async () => {
      const user = await registerUser(api.app, 'hash');
      const row = await api.db('users').where({ id: user.id }).first<{ password_hash: string }>();
      expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row?.password_hash).not.toContain(user.password);
    });

    it('answers a taken address byte for byte as it answered the same address when it was new', async () => {
      const email = uniqueEmail('same');
      const asNew = await register(email);
      await confirm(await confirmationToken(email)).expect(201);
      const asTaken = await register(email, 'Someone Else', 'another long password');
      const comparable = (res: request.Response) => ({
        status: res.status,
        text: res.text,
        headers: Object.fromEntries(
          Object.entries(res.headers).filter(([name]) => !['date', 'x-request-id'].includes(name)),
        ),
      });
      expect(asNew.status).toBe(202);
      expect(comparable(asTaken)).toEqual(comparable(asNew));
      // And a new and a taken address differ only by the address itself.
      const fresh = uniqueEmail('same');
      const other = await register(fresh);
      expect(other.status).toBe(asTaken.status);
      expect(other.text.replace(fresh, '<address>')).toBe(asTaken.text.replace(email, '<address>'));
    });

    it('mails the owner of a taken address a notice instead, and changes nothing of the account', async () => {
      const user = await registerUser(api.app, 'owner');
      const res = await register(user.email.toUpperCase(), 'Mallory', 'attacker password 1');
      expect(res.status).toBe(202);
      const [notice] = await waitForPlatformEmail(user.email, 'account-exists');
      expect(notice?.Subject).toMatch(/tried to create/i);
      expect(notice?.TextBody).toContain(`${api.config.ui.publicUrl}/login`);
      expect(notice?.TextBody).not.toContain('Mallory');
      await settle();
      // Only the confirmation of the owner's own sign-up: no new link for the attempt.
      expect(await waitForPlatformEmail(user.email, 'account-confirmation')).toHaveLength(1);
      expect(await count('users', user.email)).toBe(1);
      expect(await count('pending_registrations', user.email)).toBe(0);
      const login = (pw: string) =>
        request(api.app).post('/api/v1/auth/login').send({ email: user.email, password: pw });
      expect((await login(user.password)).status).toBe(200);
      expect((await login('attacker password 1')).status).toBe(401);
    });

    it('sends an owner at most one notice per 15 minutes, with the same answer either way', async () => {
      const user = await registerUser(api.app, 'bombed');
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await register(user.email, 'Bomber')).text);
      expect(new Set(answers).size).toBe(1);
      await waitForPlatformEmail(user.email, 'account-exists');
      await settle();
      expect(await waitForPlatformEmail(user.email, 'account-exists')).toHaveLength(1);

      // Once the window has passed, the next attempt notifies again.
      await api
        .db('registration_notices')
        .where({ email: user.email })
        .update({ sent_at: new Date(Date.now() - 16 * 60 * 1000) });
      expect((await register(user.email, 'Bomber')).text).toBe(answers[0]);
      await waitForPlatformEmail(user.email, 'account-exists', { count: 2 });
    });

    it('answers before the email is sent: a slow Postmark delays no answer, new or taken', async () => {
      const slow = await startPostmarkSandbox({ port: 0 });
      const slowApi = await createTestApi({ platformMail: { requestHost: new URL(slow.url).host } });
      try {
        await fetch(`${slow.url}/sandbox/latency`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ms: 3000 }),
        });
        const owner = await registerUser(api.app, 'slowmail'); // an account, made through the fast sandbox
        for (const email of [uniqueEmail('slowmail'), owner.email]) {
          const started = Date.now();
          const res = await request(slowApi.app)
            .post('/api/v1/auth/register')
            .send({ email, password, name: 'Slow' });
          expect(res.status).toBe(202);
          expect(Date.now() - started).toBeLessThan(2000);
        }
        // Both emails were taken by Postmark all the same (the sandbox records at once, answers late).
        let total = 0;
        for (let i = 0; i < 100 && total < 2; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 20));
          total = ((await (await fetch(`${slow.url}/sandbox/messages`)).json()) as { total: number }).total;
        }
        expect(total).toBe(2);
      } finally {
        await slowApi.close();
        await slow.close();
      }
    });

    it('refuses a used, unknown or expired token with 400 on the token field', async () => {
      const email = uniqueEmail('once');
      await register(email).expect(202);
      const token = await confirmationToken(email);
      await confirm(token).expect(201);
      for (const bad of [token, 'not-a-real-token']) {
        const res = await confirm(bad);
        expect(res.status).toBe(400);
        expectErrorShape(res.body, 'invalid_confirmation_token');
        expect((res.body as { error: { details: unknown[] } }).error.details).toEqual([
          { path: 'token', message: anyString },
        ]);
      }

      const late = uniqueEmail('late');
      await register(late).expect(202);
      const lateToken = await confirmationToken(late);
      await api
        .db('pending_registrations')
        .where({ email: late })
        .update({ expires_at: new Date(Date.now() - 1000) });
      const expired = await confirm(lateToken);
      expect(expired.status).toBe(400);
      expectErrorShape(expired.body, 'invalid_confirmation_token');
      expect(await count('users', late)).toBe(0);

      const missing = await request(api.app).post('/api/v1/auth/register/confirm').send({});
      expect(missing.status).toBe(400);
      expect(
        (missing.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path),
      ).toEqual(['token', 'password']);
    });

    it('a repeat sign-up for a pending address replaces it: only the newest link works', async () => {
      const email = uniqueEmail('again');
      await register(email, 'First').expect(202);
      const first = await confirmationToken(email);
      await age(email);
      await register(email, 'Second', 'second long password').expect(202);
      const second = await confirmationToken(email, 2);
      expect(second).not.toBe(first);
      expect((await confirm(first, 'second long password')).status).toBe(400);
      const res = await confirm(second, 'second long password');
      expect(res.status).toBe(201);
      expect((res.body as { user: { name: string } }).user.name).toBe('Second');
      await request(api.app)
        .post('/api/v1/auth/login')
        .send({ email, password: 'second long password' })
        .expect(200);
    });

    it('a later sign-up of the same address cannot choose the password of the account its owner confirms', async () => {
      // The owner signs up; someone else signs the same address up again with their own password before the owner
      // opens the email. The owner opens the newest link (the other person's) and types their own password.
      const email = uniqueEmail('owner');
      await register(email, 'Owner', 'the owners password').expect(202);
      await age(email);
      await register(email, 'Intruder', 'the intruders password').expect(202);
      const newest = await confirmationToken(email, 2);
      const refused = await confirm(newest, 'the owners password');
      expect(refused.status).toBe(400);
      expectErrorShape(refused.body, 'validation_failed');
      expect(refused.body).toMatchObject({
        error: {
          details: [
            { path: 'password', message: expect.stringMatching(/not the password you chose/) as unknown },
          ],
        },
      });
      expect(await count('users', email)).toBe(0);
      // A wrong password does not spend the link (the intruder never sees it, the owner can sign up again).
      expect((await confirm(newest, 'also wrong password')).status).toBe(400);
      expect(await count('pending_registrations', email)).toBe(1);
      // The owner signs up again: their link, their password.
      await age(email);
      await register(email, 'Owner', 'the owners password').expect(202);
      const own = await confirmationToken(email, 3);
      expect((await confirm(own, 'the owners password')).status).toBe(201);
      await request(api.app)
        .post('/api/v1/auth/login')
        .send({ email, password: 'the intruders password' })
        .expect(401);
    });

    it('emails an address at most one confirmation link a minute; a repeat sooner keeps the first link', async () => {
      const email = uniqueEmail('bombed');
      await register(email, 'First', 'the first password').expect(202);
      const first = await confirmationToken(email);
      const again = await register(email, 'Second', 'the second password');
      // The same answer as any other sign-up ...
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ status: 'confirmation_sent', email });
      await settle();
      // ... but no second email, and the first link still works with the first password.
      expect(await waitForPlatformEmail(email, 'account-confirmation')).toHaveLength(1);
      const res = await confirm(first, 'the first password');
      expect(res.status).toBe(201);
      expect((res.body as { user: { name: string } }).user.name).toBe('First');
    });

    it('forgets sign-ups whose link expired', async () => {
      const stale = uniqueEmail('stale');
      await register(stale).expect(202);
      await confirmationToken(stale);
      await api
        .db('pending_registrations')
        .where({ email: stale })
        .update({ expires_at: new Date(Date.now() - 1000) });
      await register(uniqueEmail('someone')).expect(202);
      await settle();
      expect(await count('pending_registrations', stale)).toBe(0);
    });

    it('of two confirmations of one link at once, exactly one creates the account', async () => {
      const email = uniqueEmail('twice');
      await register(email).expect(202);
      const token = await confirmationToken(email);
      const statuses = (await Promise.all([confirm(token), confirm(token)])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 400]);
      expect(await count('users', email)).toBe(1);
    });

    it('answers 409 email_taken when the address got an account between the two steps', async () => {
      const email = uniqueEmail('race');
      await register(email).expect(202);
      const token = await confirmationToken(email);
      await api.db('users').insert({ email, name: 'Quicker', password_hash: 'x' });
      const res = await confirm(token);
      expect(res.status).toBe(409);
      expectErrorShape(res.body, 'email_taken');
      expect(await count('users', email)).toBe(1);
    });

    it('answers 400 validation_failed naming each bad field', async () => {
      const res = await request(api.app)
        .post('/api/v1/auth/register')
        .send({ email: 'not-an-email', password: 'short', name: '' });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'validation_failed');
      const paths = (res.body as { error: { details: { path: string }[] } }).error.details
        .map((d) => d.path)
        .sort();
      expect(paths).toEqual(['email', 'name', 'password']);
    });
  });

  describe('login, me and access tokens', () => {
    it('signs in with the right password and /me shows the user and teams', async () => {
      const user = await registerUser(api.app, 'login');
      const res = await request(api.app)
        .post('/api/v1/auth/login')
        .send({ email: user.email.toUpperCase(), password: user.password });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        user: { id: user.id, email: user.email },
        accessToken: anyString,
        refreshToken: anyString,
        expiresIn: 900,
      });
      const me = await request(api.app)
        .get('/api/v1/me')
        .set(bearer((res.body as { accessToken: string }).accessToken));
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        user: { id: user.id, email: user.email, name: user.name, createdAt: anyString },
        teams: [{ id: user.personalTeamId, name: "login's team", personal: true, role: 'owner' }],
      });
    });

    it('gives the same 401 for a wrong password and an unknown email', async () => {
      const user = await registerUser(api.app, 'wrongpw');
      const wrong = await request(api.app)
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'wrong password!' });
      const unknown = await request(api.app)
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'whatever pw' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expectErrorShape(wrong.body, 'invalid_credentials');
      expect((unknown.body as { error: { message: string } }).error.message).toBe(
        (wrong.body as { error: { message: string } }).error.message,
      );
    });

    it('rejects missing, forged and expired access tokens', async () => {
      const user = await registerUser(api.app, 'expired');
      expect((await request(api.app).get('/api/v1/me')).status).toBe(401);
      const forged = jwt.sign({}, 'some-other-secret-some-other-secret-123', {
        subject: user.id,
        issuer: 'hopflow',
        audience: 'hopflow-api',
      });
      const forgedRes = await request(api.app).get('/api/v1/me').set(bearer(forged));
      expect(forgedRes.status).toBe(401);
      const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 10 }, api.config.auth.jwtSecret, {
        subject: user.id,
        issuer: 'hopflow',
        audience: 'hopflow-api',
      });
      const res = await request(api.app).get('/api/v1/me').set(bearer(expired));
      expect(res.status).toBe(401);
      expectErrorShape(res.body, 'invalid_token');
      // Well signed and unexpired, but without a session id: it could not be revoked, so it is refused.
      const sessionless = jwt.sign({}, api.config.auth.jwtSecret, {
        subject: user.id,
        issuer: 'hopflow',
        audience: 'hopflow-api',
        expiresIn: 60,
      });
      const noSid = await request(api.app).get('/api/v1/me').set(bearer(sessionless));
      expect(noSid.status).toBe(401);
      expectErrorShape(noSid.body, 'invalid_token');
    });

    it('lets an access token expire after the configured lifetime', async () => {
      const shortLived = await createTestApi({ auth: { accessTokenTtlSeconds: 1 } });
      try {
        const user = await registerUser(shortLived.app, 'ttl');
        expect((await request(shortLived.app).get('/api/v1/me').set(bearer(user.accessToken))).status).toBe(
          200,
        );
        await new Promise((r) => setTimeout(r, 2100));
        expect((await request(shortLived.app).get('/api/v1/me').set(bearer(user.accessToken))).status).toBe(
          401,
        );
      } finally {
        await shortLived.close();
      }
    });
  });

  describe('refresh token rotation', () => {
    const refresh = (token: string) =>
      request(api.app).post('/api/v1/auth/refresh').send({ refreshToken: token });

    it('issues a new pair in the same family and kills the spent token', async () => {
      const user = await registerUser(api.app, 'rotate');
      const first = await refresh(user.refreshToken);
      expect(first.status).toBe(200);
      const next = first.body as { refreshToken: string; accessToken: string; user: { id: string } };
      expect(next.user.id).toBe(user.id);
      expect(next.refreshToken).not.toBe(user.refreshToken);
      expect((await request(api.app).get('/api/v1/me').set(bearer(next.accessToken))).status).toBe(200);

      const rows = await api
        .db('refresh_tokens')
        .whereIn('token_hash', [hashOpaqueToken(user.refreshToken), hashOpaqueToken(next.refreshToken)])
        .select<
          {
            token_hash: string;
            family_id: string;
            used_at: Date | null;
            replaced_by: string | null;
            id: string;
          }[]
        >();
      const old = rows.find((r) => r.token_hash === hashOpaqueToken(user.refreshToken));
      const successor = rows.find((r) => r.token_hash === hashOpaqueToken(next.refreshToken));
      expect(old?.used_at).not.toBeNull();
      expect(old?.replaced_by).toBe(successor?.id);
      expect(successor?.family_id).toBe(old?.family_id);
      // Only hashes are stored.
      expect(await api.db('refresh_tokens').where({ token_hash: user.refreshToken }).first()).toBeUndefined();
    });

    it('treats a reused spent token as theft: 401 refresh_token_reused and the successor is revoked too', async () => {
      const user = await registerUser(api.app, 'reuse');
      const rotated = await refresh(user.refreshToken);
      expect(rotated.status).toBe(200);
      const successor = (rotated.body as { refreshToken: string }).refreshToken;

      const reuse = await refresh(user.refreshToken);
      expect(reuse.status).toBe(401);
      expectErrorShape(reuse.body, 'refresh_token_reused');

      const afterTheft = await refresh(successor);
      expect(afterTheft.status).toBe(401);
      const family = await api
        .db('refresh_tokens')
        .where({ user_id: user.id })
        .select<{ revoked_at: Date | null }[]>('revoked_at');
      expect(family.length).toBe(2);
      expect(family.every((t) => t.revoked_at !== null)).toBe(true);
    });

    it('lets only one of two concurrent refreshes with the same token win', async () => {
      const user = await registerUser(api.app, 'race');
      const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
      expect([a.status, b.status].sort()).toEqual([200, 401]);
    });

    it('rejects an unknown token with 401 invalid_refresh_token and a missing one with 400', async () => {
      const res = await refresh('definitely-not-a-token');
      expect(res.status).toBe(401);
      expectErrorShape(res.body, 'invalid_refresh_token');
      const missing = await request(api.app).post('/api/v1/auth/refresh').send({});
      expect(missing.status).toBe(400);
      expect((missing.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
        'refreshToken',
      );
    });

    it('logout revokes the whole family', async () => {
      const user = await registerUser(api.app, 'logout');
      const rotated = await refresh(user.refreshToken);
      const current = (rotated.body as { refreshToken: string }).refreshToken;
      const out = await request(api.app).post('/api/v1/auth/logout').send({ refreshToken: current });
      expect(out.status).toBe(204);
      expect((await refresh(current)).status).toBe(401);
      // Logging out again (or with nothing) is harmless.
      expect((await request(api.app).post('/api/v1/auth/logout').send({})).status).toBe(204);
    });
  });

  // The same checks on Redis (the test kv) and on the in-process stand-in of the embedded default.
  describe.each([
    ['redis', () => api.app],
    ['in-process', () => createApp({ ...api.deps, kv: createMemoryKeyValue() })],
  ])('ending a session ends its access tokens (%s kv)', (_kind, makeApp) => {
    let app: ReturnType<typeof makeApp>;
    beforeAll(() => {
      app = makeApp();
    });
    const me = (token: string) => request(app).get('/api/v1/me').set(bearer(token));
    const refresh = (token: string) =>
      request(app).post('/api/v1/auth/refresh').send({ refreshToken: token });
    const login = async (user: { email: string; password: string }) =>
      (await request(app).post('/api/v1/auth/login').send(user).expect(200)).body as {
        accessToken: string;
        refreshToken: string;
      };

    it('logout: GET /me with the old access token is 401 at once; another session of the user keeps working', async () => {
      const user = await registerUser(app, 'sid-logout');
      const other = await login(user);
      expect((await me(user.accessToken)).status).toBe(200);

      await request(app).post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
      const after = await me(user.accessToken);
      expect(after.status).toBe(401);
      expectErrorShape(after.body, 'invalid_token');

      expect((await me(other.accessToken)).status).toBe(200);
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('refresh-token reuse: every access token of the family is 401, other sessions are untouched', async () => {
      const user = await registerUser(app, 'sid-reuse');
      const other = await login(user);
      const rotated = (await refresh(user.refreshToken).expect(200)).body as { accessToken: string };
      expect((await me(rotated.accessToken)).status).toBe(200);

      expect((await refresh(user.refreshToken)).status).toBe(401); // the spent token again: theft
      for (const token of [user.accessToken, rotated.accessToken]) {
        const res = await me(token);
        expect(res.status).toBe(401);
        expectErrorShape(res.body, 'invalid_token');
      }
      expect((await me(other.accessToken)).status).toBe(200);
    });
  });

  describe('brute-force limits on failed logins', () => {
    it('blocks an account after too many failures with 429 and Retry-After, whatever the IP', async () => {
      const limited = await createTestApi({
        auth: { loginMaxFailsPerAccount: 3, loginMaxFailsPerIp: 1000 },
        api: { trustProxy: true },
      });
      try {
        const user = await registerUser(limited.app, 'brute');
        const attempt = (password: string, ip: string) =>
          request(limited.app)
            .post('/api/v1/auth/login')
            .set('X-Forwarded-For', ip)
            .send({ email: user.email, password });
        for (let i = 0; i < 3; i++)
          expect((await attempt('wrong password', `10.1.0.${i + 1}`)).status).toBe(401);
        const blocked = await attempt('wrong password', '10.1.0.9');
        expect(blocked.status).toBe(429);
        expectErrorShape(blocked.body, 'rate_limited');
        const retryAfter = Number(blocked.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(limited.config.auth.loginFailWindowSeconds);
        // Even the right password is refused while the account is locked.
        expect((await attempt(user.password, '10.1.0.10')).status).toBe(429);
      } finally {
        await limited.close();
      }
    });

    it('a successful login resets the account counter', async () => {
      const limited = await createTestApi({ auth: { loginMaxFailsPerAccount: 3, loginMaxFailsPerIp: 1000 } });
      try {
        const user = await registerUser(limited.app, 'reset');
        const login = (password: string) =>
          request(limited.app).post('/api/v1/auth/login').send({ email: user.email, password });
        expect((await login('wrong password')).status).toBe(401);
        expect((await login('wrong password')).status).toBe(401);
        expect((await login(user.password)).status).toBe(200);
        expect((await login('wrong password')).status).toBe(401);
        expect((await login('wrong password')).status).toBe(401);
        expect((await login(user.password)).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('blocks an IP that fails across many accounts', async () => {
      const limited = await createTestApi({
        auth: { loginMaxFailsPerAccount: 100, loginMaxFailsPerIp: 4 },
        api: { trustProxy: true },
      });
      try {
        const ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
        const attempt = (email: string) =>
          request(limited.app)
            .post('/api/v1/auth/login')
            .set('X-Forwarded-For', ip)
            .send({ email, password: 'guess guess' });
        for (let i = 0; i < 4; i++) expect((await attempt(uniqueEmail('spray'))).status).toBe(401);
        const blocked = await attempt(uniqueEmail('spray'));
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        // Another IP is unaffected.
        const other = await request(limited.app)
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', '10.3.0.1')
          .send({ email: uniqueEmail('x'), password: 'guess guess' });
        expect(other.status).toBe(401);
      } finally {
        await limited.close();
      }
    });
  });
});
