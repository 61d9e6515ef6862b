import net, { type AddressInfo } from 'node:net';
import request from 'supertest';
import { IntegrationError } from '../../lib/integrations/adapters/errors';
import { createIntegrationResolver } from '../../lib/integrations/resolve';
import { teamIntegrationStore } from '../../data/integrations';
import { integrationBodies } from '../../api/schemas/integrations';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import { startAnthropicSandbox, type SandboxServer } from '../../sandbox/anthropic/server';
import { startClickbankSandbox } from '../../sandbox/clickbank/server';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

/** Team integration settings against the real database: sealing, masking, roles, validation, resolution. */

const secrets = {
  insSecretKey: 'TEAMSECRET2024AB',
  clickbankApiKey: 'API-TEAMKEY9Q7W3E5R',
  anthropicKey: 'sk-ant-api03-teamkey-0123456789abcdef',
  serverToken: '5f3c1a2e-7b9d-4c8e-a1f0-3d2b6e9c8a7f',
  appPassword: 'abcd EFGH ijkl MNOP qrst UV12',
};

type RawRow = Record<string, unknown> & { secret: string };

const clickbankBody = {
  affiliateNickname: 'TeamAff01',
  insSecretKey: secrets.insSecretKey,
  apiKey: secrets.clickbankApiKey,
};

describe('team integration settings API', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let admin: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi();
    [owner, admin, editor, viewer, outsider] = await Promise.all([
      registerUser(api.app, 'int-owner'),
      registerUser(api.app, 'int-admin'),
      registerUser(api.app, 'int-editor'),
      registerUser(api.app, 'int-viewer'),
      registerUser(api.app, 'int-outsider'),
    ]);
    teamId = await createTeamWith(api.app, owner, [
      { user: admin, role: 'admin' },
      { user: editor, role: 'editor' },
      { user: viewer, role: 'viewer' },
    ]);
  });

  afterAll(async () => {
    await api.close();
  });

  const url = (provider?: string, team = teamId) =>
    `/api/v1/teams/${team}/integrations${provider ? `/${provider}` : ''}`;
  const put = (user: RegisteredUser, provider: string, body: object, team = teamId) =>
    request(api.app).put(url(provider, team)).set(bearer(user.accessToken)).send(body);
  const get = (user: RegisteredUser, provider?: string, team = teamId) =>
    request(api.app).get(url(provider, team)).set(bearer(user.accessToken));
  const del = (user: RegisteredUser, provider: string, team = teamId) =>
    request(api.app).delete(url(provider, team)).set(bearer(user.accessToken));

  function expectNoSecretIn(body: unknown) {
    const text = JSON.stringify(body);
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
  }

  it('lists all four integrations, none connected, using the sandbox in sandbox mode', async () => {
    const res = await get(viewer).expect(200);
    const list = (res.body as { integrations: { provider: string }[] }).integrations;
    expect(list.map((i) => i.provider)).toEqual(['clickbank', 'anthropic', 'postmark', 'wordpress']);
    for (const integration of list) {
      const mode = api.config.integrations[integration.provider as 'clickbank'].mode;
      expect(integration).toEqual({
        provider: integration.provider,
        mode,
        connected: false,
        source: mode === 'sandbox' ? 'sandbox' : 'none',
        settings: {},
        secrets: {},
        insUrl: null,
        lastTest: null,
        updatedAt: null,
      });
    }
  });

  it('saves ClickBank settings, answers them masked with the INS URL, and keeps no plaintext secret in the row', async () => {
    const res = await put(owner, 'clickbank', clickbankBody).expect(200);
    expectNoSecretIn(res.body);
    const integration = (res.body as { integration: Record<string, unknown> }).integration;
    expect(integration).toMatchObject({
      provider: 'clickbank',
      connected: true,
      source: 'team',
      settings: { affiliateNickname: 'teamaff01' },
      secrets: { insSecretKey: '••••••••24AB', apiKey: '••••••••3E5R' },
      lastTest: null,
    });
    expect(integration.insUrl).toMatch(
      new RegExp(`^${api.config.api.publicUrl}/webhooks/clickbank/ins/[A-Za-z0-9_-]{43}$`),
    );

    const again = await get(viewer, 'clickbank').expect(200);
    expect((again.body as { integration: unknown }).integration).toEqual(integration);
    expectNoSecretIn(again.body);
    expectNoSecretIn((await get(viewer).expect(200)).body);

    const rows = await api.db('team_integrations').where({ team_id: teamId }).select<RawRow[]>('*');
    expect(rows).toHaveLength(1);
    const rowText = JSON.stringify(rows);
    for (const secret of Object.values(secrets)) expect(rowText).not.toContain(secret);
    expect(rows[0]).toMatchObject({
      provider: 'clickbank',
      settings: { affiliateNickname: 'teamaff01' },
      created_by: owner.id,
      updated_by: owner.id,
    });
    expect(String(rows[0]?.secret)).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('lets an admin save, and refuses editors and viewers (403) and outsiders (404)', async () => {
    const body = { apiKey: secrets.anthropicKey };
    expectErrorShape((await put(editor, 'anthropic', body).expect(403)).body, 'forbidden');
    expectErrorShape((await put(viewer, 'anthropic', body).expect(403)).body, 'forbidden');
    expectErrorShape((await put(outsider, 'anthropic', body).expect(404)).body, 'team_not_found');
    expectErrorShape((await get(outsider, 'anthropic').expect(404)).body, 'team_not_found');
    expectErrorShape((await del(viewer, 'anthropic').expect(403)).body, 'forbidden');
    expectErrorShape(
      (
        await request(api.app)
          .post(`${url('anthropic')}/test`)
          .set(bearer(editor.accessToken))
          .expect(403)
      ).body,
      'forbidden',
    );
    const res = await put(admin, 'anthropic', body).expect(200);
    expect(res.body).toMatchObject({
      integration: {
        provider: 'anthropic',
        connected: true,
        secrets: { apiKey: '••••••••cdef' },
        settings: {},
      },
    });
    expectNoSecretIn(res.body);
    const row = await api
      .db('team_integrations')
      .where({ team_id: teamId, provider: 'anthropic' })
      .first<RawRow | undefined>();
    expect(row).toMatchObject({ created_by: admin.id, updated_by: admin.id, ins_token: null });
  });

  it('answers 404 for a provider it does not know', async () => {
    await put(owner, 'mailchimp', { apiKey: 'x' }).expect(404);
    await get(owner, 'stripe').expect(404);
  });

  it('names the field in validation errors, and refuses a first save without its secrets', async () => {
    const cases: [string, object, string][] = [
      ['clickbank', { ...clickbankBody, affiliateNickname: 'ab' }, 'affiliateNickname'],
      ['clickbank', { ...clickbankBody, insSecretKey: 'lowercase' }, 'insSecretKey'],
      ['clickbank', { ...clickbankBody, insSecretKey: 'ABCDEFGHIJKLMNOPQ' }, 'insSecretKey'],
      ['clickbank', { ...clickbankBody, apiKey: 'DEV-123456' }, 'apiKey'],
      ['clickbank', { ...clickbankBody, password: 'x' }, '(root)'],
      ['anthropic', { apiKey: 'not-a-key' }, 'apiKey'],
      ['postmark', { serverToken: secrets.serverToken, fromEmail: 'nope' }, 'fromEmail'],
      ['postmark', { serverToken: secrets.serverToken }, 'fromEmail'],
      ['wordpress', { siteUrl: 'ftp://blog.example.com', username: 'ada' }, 'siteUrl'],
      [
        'wordpress',
        { siteUrl: 'https://blog.example.com', username: 'ada', applicationPassword: 'short' },
        'applicationPassword',
      ],
    ];
    for (const [provider, body, path] of cases) {
      const res = await put(owner, provider, body);
      expect(`${provider} ${res.status}`).toBe(`${provider} 400`);
      expectErrorShape(res.body, 'validation_failed');
      const paths = (res.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
      expect(paths).toContain(path);
    }
    // Well-formed, but nothing stored yet: the required secret must come with the first save.
    const first = await put(owner, 'postmark', { fromEmail: 'news@example.com' }).expect(400);
    expect((first.body as { error: { details: unknown } }).error.details).toEqual([
      { path: 'serverToken', message: expect.any(String) as unknown },
    ]);
    const wp = await put(owner, 'wordpress', { siteUrl: 'https://blog.example.com', username: 'ada' }).expect(
      400,
    );
    expect((wp.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toEqual([
      'applicationPassword',
    ]);
    expect(await api.db('team_integrations').where({ team_id: teamId, provider: 'postmark' })).toHaveLength(
      0,
    );
  });

  it('accepts the sandbox default credentials', () => {
    const d = SANDBOX_CREDENTIALS;
    expect(integrationBodies.clickbank.safeParse(d.clickbank).success).toBe(true);
    expect(integrationBodies.anthropic.safeParse(d.anthropic).success).toBe(true);
    expect(integrationBodies.postmark.safeParse(d.postmark).success).toBe(true);
    expect(
      integrationBodies.wordpress.safeParse({
        siteUrl: api.config.integrations.wordpress.sandboxUrl,
        ...d.wordpress,
      }).success,
    ).toBe(true);
  });

  it('keeps a stored secret when a save omits it, removes an optional one sent as null, keeps the INS URL', async () => {
    const resolver = createIntegrationResolver({ store: teamIntegrationStore(api.db), config: api.config });
    const before = (await get(owner, 'clickbank').expect(200)).body as { integration: { insUrl: string } };

    const renamed = await put(owner, 'clickbank', { affiliateNickname: 'renamed01' }).expect(200);
    expect(renamed.body).toMatchObject({
      integration: {
        settings: { affiliateNickname: 'renamed01' },
        secrets: { insSecretKey: '••••••••24AB', apiKey: '••••••••3E5R' },
        insUrl: before.integration.insUrl,
      },
    });
    expect(await resolver.clickbank(teamId)).toMatchObject({
      affiliateNickname: 'renamed01',
      insSecretKey: secrets.insSecretKey,
      apiKey: secrets.clickbankApiKey,
    });

    const withoutApiKey = await put(owner, 'clickbank', {
      affiliateNickname: 'renamed01',
      apiKey: null,
    }).expect(200);
    expect((withoutApiKey.body as { integration: { secrets: object } }).integration.secrets).toEqual({
      insSecretKey: '••••••••24AB',
    });
    expect((await resolver.clickbank(teamId)).apiKey).toBeUndefined();

    const newKey = await put(owner, 'clickbank', { ...clickbankBody, insSecretKey: 'NEWSECRET99' }).expect(
      200,
    );
    // Short secrets show no characters at all.
    expect(newKey.body).toMatchObject({
      integration: { secrets: { insSecretKey: '••••••••' }, insUrl: before.integration.insUrl },
    });
    const via = await resolver.clickbankByInsToken(before.integration.insUrl.split('/').pop() ?? '');
    expect(via).toEqual({
      teamId,
      settings: expect.objectContaining({ insSecretKey: 'NEWSECRET99' }) as unknown,
    });
    expect(await resolver.clickbankByInsToken('no-such-token')).toBeUndefined();

    await put(owner, 'clickbank', clickbankBody).expect(200);
  });

  it('gives concurrent first saves one row and one INS URL', async () => {
    const team = await createTeamWith(api.app, owner, [], 'Concurrent saves');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => put(owner, 'clickbank', clickbankBody, team)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const urls = new Set(
      answers.map((r) => (r.body as { integration: { insUrl: string } }).integration.insUrl),
    );
    expect(urls.size).toBe(1);
    expect(await api.db('team_integrations').where({ team_id: team })).toHaveLength(1);
  });

  it('disconnects with DELETE (idempotent); a later save gets a new INS URL', async () => {
    const before = (await get(owner, 'clickbank').expect(200)).body as { integration: { insUrl: string } };
    await del(owner, 'clickbank').expect(204);
    await del(owner, 'clickbank').expect(204);
    const after = (await get(owner, 'clickbank').expect(200)).body as {
      integration: Record<string, unknown>;
    };
    expect(after.integration).toMatchObject({ connected: false, secrets: {}, settings: {}, insUrl: null });
    const saved = await put(owner, 'clickbank', clickbankBody).expect(200);
    const insUrl = (saved.body as { integration: { insUrl: string } }).integration.insUrl;
    expect(insUrl).toMatch(/\/webhooks\/clickbank\/ins\//);
    expect(insUrl).not.toBe(before.integration.insUrl);
  });

  describe('credential resolver', () => {
    const resolver = () =>
      createIntegrationResolver({ store: teamIntegrationStore(api.db), config: api.config });
    const modes = () => api.config.integrations;
    let saved: Record<string, 'sandbox' | 'live'>;

    beforeEach(() => {
      const i = modes();
      saved = {
        anthropic: i.anthropic.mode,
        clickbank: i.clickbank.mode,
        postmark: i.postmark.mode,
        wordpress: i.wordpress.mode,
      };
    });
    afterEach(() => {
      const i = modes();
      i.anthropic.mode = saved.anthropic ?? 'sandbox';
      i.clickbank.mode = saved.clickbank ?? 'sandbox';
      i.postmark.mode = saved.postmark ?? 'sandbox';
      i.wordpress.mode = saved.wordpress ?? 'sandbox';
    });

    it('falls back to the sandbox defaults and sandbox URLs in sandbox mode', async () => {
      const i = modes();
      for (const p of ['anthropic', 'clickbank', 'postmark', 'wordpress'] as const) i[p].mode = 'sandbox';
      const r = resolver();
      const fresh = outsider.personalTeamId;
      expect(await r.anthropic(fresh)).toEqual({
        apiKey: SANDBOX_CREDENTIALS.anthropic.apiKey,
        baseUrl: i.anthropic.baseUrl,
        model: i.anthropic.model,
      });
      expect(await r.clickbank(fresh)).toEqual({
        ...SANDBOX_CREDENTIALS.clickbank,
        baseUrl: i.clickbank.apiBaseUrl,
        feedUrl: i.clickbank.feedUrl,
      });
      expect(await r.postmark(fresh)).toEqual({
        ...SANDBOX_CREDENTIALS.postmark,
        requestHost: i.postmark.requestHost,
        useHttps: i.postmark.useHttps,
      });
      expect(await r.wordpress(fresh)).toEqual({
        siteUrl: i.wordpress.sandboxUrl,
        ...SANDBOX_CREDENTIALS.wordpress,
      });
      // A team's own credentials win, and its own WordPress site is used even in sandbox mode.
      await put(owner, 'wordpress', {
        siteUrl: 'https://blog.example.com/',
        username: 'ada',
        applicationPassword: secrets.appPassword,
      }).expect(200);
      expect(await r.wordpress(teamId)).toEqual({
        siteUrl: 'https://blog.example.com',
        username: 'ada',
        applicationPassword: secrets.appPassword,
      });
      expect((await r.anthropic(teamId)).apiKey).toBe(secrets.anthropicKey);
    });

    it('throws not_connected in live mode for a team without credentials, and uses saved ones', async () => {
      const i = modes();
      for (const p of ['anthropic', 'clickbank', 'postmark', 'wordpress'] as const) i[p].mode = 'live';
      const r = resolver();
      const fresh = outsider.personalTeamId;
      for (const [p, name] of [
        ['anthropic', 'Claude (Anthropic)'],
        ['clickbank', 'ClickBank'],
        ['postmark', 'Postmark'],
        ['wordpress', 'WordPress'],
      ] as const) {
        const err: unknown = await r[p](fresh).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(IntegrationError);
        expect(err).toMatchObject({
          provider: p,
          kind: 'not_connected',
          retryable: false,
          plainMessage: `Connect ${name} in Settings → Integrations to use this`,
        });
      }
      expect((await r.clickbank(teamId)).insSecretKey).toBe(secrets.insSecretKey);
      const view = await get(viewer, 'postmark').expect(200);
      expect(view.body).toMatchObject({ integration: { mode: 'live', connected: false, source: 'none' } });
      const test = await request(api.app)
        .post(`${url('postmark')}/test`)
        .set(bearer(admin.accessToken))
        .expect(200);
      expect(test.body).toEqual({
        ok: false,
        message: 'Connect Postmark in Settings → Integrations to use this',
        testedAt: expect.any(String) as unknown,
      });
    });

    it("refuses a sealed secret copied into another team's row", async () => {
      const source = await api
        .db('team_integrations')
        .where({ team_id: teamId, provider: 'anthropic' })
        .first<RawRow | undefined>();
      const otherTeam = outsider.personalTeamId;
      await request(api.app)
        .put(url('anthropic', otherTeam))
        .set(bearer(outsider.accessToken))
        .send({ apiKey: 'sk-ant-outsider-own-key' })
        .expect(200);
      await api
        .db('team_integrations')
        .where({ team_id: otherTeam, provider: 'anthropic' })
        .update({ secret: source?.secret });
      const err: unknown = await resolver()
        .anthropic(otherTeam)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({
        kind: 'not_connected',
        plainMessage: expect.stringContaining('cannot be read') as unknown,
      });
      const view = await request(api.app)
        .get(url('anthropic', otherTeam))
        .set(bearer(outsider.accessToken))
        .expect(200);
      expect(view.body).toMatchObject({ integration: { secrets: { apiKey: 'unreadable: enter it again' } } });
      expectNoSecretIn(view.body);
      // Saving the secret again repairs it.
      await request(api.app)
        .put(url('anthropic', otherTeam))
        .set(bearer(outsider.accessToken))
        .send({ apiKey: 'sk-ant-outsider-own-key' })
        .expect(200);
      expect((await resolver().anthropic(otherTeam)).apiKey).toBe('sk-ant-outsider-own-key');
      await request(api.app)
        .delete(url('anthropic', otherTeam))
        .set(bearer(outsider.accessToken))
        .expect(204);
    });
  });

  describe('test connection against the sandbox servers', () => {
    const servers: SandboxServer[] = [];
    let original: string;
    let team: string;
    let wordpressUrl: string;

    beforeAll(async () => {
      const i = api.config.integrations;
      original = JSON.stringify(i);
      const [anthropic, clickbank, postmark, wordpress] = await Promise.all([
        startAnthropicSandbox({ port: 0, chunkDelayMs: 1 }),
        startClickbankSandbox({ port: 0 }),
        startPostmarkSandbox({ port: 0 }),
        startWordpressSandbox({ port: 0 }),
      ]);
      servers.push(anthropic, clickbank, postmark, wordpress);
      wordpressUrl = wordpress.url;
      for (const p of ['anthropic', 'clickbank', 'postmark', 'wordpress'] as const) i[p].mode = 'sandbox';
      i.anthropic.baseUrl = anthropic.url;
      i.clickbank.apiBaseUrl = `${clickbank.url}/rest/1.3`;
      i.clickbank.feedUrl = `${clickbank.url}/feeds/marketplace_feed_v2.xml.zip`;
      i.postmark.requestHost = `127.0.0.1:${postmark.port}`;
      i.postmark.useHttps = false;
      i.wordpress.sandboxUrl = wordpress.url;
      team = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }], 'Connection tests');
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
      const restored = JSON.parse(original) as Record<string, { mode: string }>;
      const i = api.config.integrations;
      for (const p of ['anthropic', 'clickbank', 'postmark', 'wordpress'] as const) {
        Object.assign(i[p], restored[p]);
      }
    });

    const testConnection = (provider: string) =>
      request(api.app)
        .post(`${url(provider, team)}/test`)
        .set(bearer(owner.accessToken))
        .expect(200);
    type TestAnswer = { ok: boolean; message: string; testedAt: string };
    const lastTest = async (provider: string) =>
      ((await get(viewer, provider, team).expect(200)).body as { integration: { lastTest: unknown } })
        .integration.lastTest;

    it('tests the sandbox defaults for a team that has not connected (nothing stored)', async () => {
      for (const provider of ['anthropic', 'postmark', 'clickbank', 'wordpress']) {
        const answer = (await testConnection(provider)).body as TestAnswer;
        expect(`${provider}: ${answer.ok}`).toBe(`${provider}: true`);
        expect(Date.parse(answer.testedAt)).not.toBeNaN();
        expect(await lastTest(provider)).toBeNull();
      }
      expect(((await testConnection('anthropic')).body as TestAnswer).message).toMatch(
        /Claude accepted the API key/,
      );
      expect(((await testConnection('postmark')).body as TestAnswer).message).toMatch(/Postmark accepted/);
    });

    it("reports the provider's refusal in plain words, stores it, and clears it when the credentials change", async () => {
      const refused: [string, object, RegExp][] = [
        ['anthropic', { apiKey: 'sk-ant-invalid-key-123' }, /refused the credentials/],
        ['postmark', { serverToken: 'invalid-server-token', fromEmail: 'news@example.com' }, /Postmark/],
        ['clickbank', { ...clickbankBody, apiKey: 'API-INVALIDKEY1' }, /check the API key/],
        [
          'wordpress',
          { siteUrl: wordpressUrl, username: 'sandbox', applicationPassword: 'invalidinvalidinvalidinv' },
          /WordPress/,
        ],
      ];
      for (const [provider, body, message] of refused) {
        await put(owner, provider, body, team).expect(200);
        const answer = (await testConnection(provider)).body as TestAnswer;
        expect(answer).toEqual({
          ok: false,
          message: expect.stringMatching(message) as unknown,
          testedAt: expect.any(String) as unknown,
        });
        expectNoSecretIn(answer);
        expect(await lastTest(provider)).toEqual({ ok: false, message: answer.message, at: answer.testedAt });
      }

      // New credentials: the old result no longer describes them.
      await put(owner, 'anthropic', { apiKey: secrets.anthropicKey }, team).expect(200);
      expect(await lastTest('anthropic')).toBeNull();
      const ok = (await testConnection('anthropic')).body as TestAnswer;
      expect(ok).toMatchObject({ ok: true, message: expect.stringMatching(/Claude accepted/) as unknown });
      expect(await lastTest('anthropic')).toEqual({ ok: true, message: ok.message, at: ok.testedAt });

      await put(
        owner,
        'postmark',
        { serverToken: secrets.serverToken, fromEmail: 'news@example.com' },
        team,
      ).expect(200);
      expect(((await testConnection('postmark')).body as TestAnswer).ok).toBe(true);

      await put(
        owner,
        'clickbank',
        { affiliateNickname: 'teamaff01', apiKey: secrets.clickbankApiKey },
        team,
      ).expect(200);
      expect(((await testConnection('clickbank')).body as TestAnswer).ok).toBe(true);
      await put(
        owner,
        'wordpress',
        { siteUrl: `${wordpressUrl}/`, ...SANDBOX_CREDENTIALS.wordpress },
        team,
      ).expect(200);
      expect((await testConnection('wordpress')).body).toMatchObject({
        ok: true,
        message: expect.stringMatching(/WordPress accepted/) as unknown,
      });

      // Without an API key the REST API cannot be tried: the answer says what to add.
      await put(owner, 'clickbank', { affiliateNickname: 'teamaff01', apiKey: null }, team).expect(200);
      expect((await testConnection('clickbank')).body).toMatchObject({
        ok: false,
        message: expect.stringMatching(/API key/) as unknown,
      });
    });

    it('answers within the time limit when the service accepts the connection but never answers', async () => {
      const open: net.Socket[] = [];
      const silent = net.createServer((socket) => open.push(socket)); // accepts, never replies
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      try {
        await put(
          owner,
          'wordpress',
          { siteUrl: `http://127.0.0.1:${port}`, ...SANDBOX_CREDENTIALS.wordpress },
          team,
        ).expect(200);
        const started = Date.now();
        const answer = (await testConnection('wordpress')).body as TestAnswer;
        expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/WordPress/) as unknown });
        expect(Date.now() - started).toBeLessThan(15_000);
      } finally {
        silent.close();
        for (const socket of open) socket.destroy();
      }
    }, 30_000);

    it('answers 200 with a plain message when the service cannot be reached', async () => {
      const i = api.config.integrations;
      const saved = i.anthropic.baseUrl;
      const closed = await startAnthropicSandbox({ port: 0 });
      await closed.close(); // a port nobody listens on any more
      i.anthropic.baseUrl = closed.url;
      try {
        const answer = (await testConnection('anthropic')).body as TestAnswer;
        expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/Claude/) as unknown });
      } finally {
        i.anthropic.baseUrl = saved;
      }
    });
  });
});
