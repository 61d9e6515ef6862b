import request from 'supertest';
import { createApp } from '../../api/app';
import { makeTrackingId } from '../../api/services/campaigns';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

interface Campaign {
  id: string;
  teamId: string;
  name: string;
  productId: string | null;
  vendor: string | null;
  trackingId: string;
  hoplink: string;
  trackingUrl: string | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

describe('campaigns API', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let teamId: string;
  let productId: string;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'campaign-owner');
    editor = await registerUser(api.app, 'campaign-editor');
    viewer = await registerUser(api.app, 'campaign-viewer');
    teamId = await createTeamWith(api.app, owner, [
      { user: editor, role: 'editor' },
      { user: viewer, role: 'viewer' },
    ]);
    // The catalog is filled by the sync workflow; here one product row stands in for it.
    const [row] = await api
      .db('products')
      .insert({ clickbank_id: 'FITVEND1', title: 'Fit in 30 days', gravity: 42.5 })
      .returning<{ id: string }[]>('id');
    productId = row!.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (user: RegisteredUser, body: object, team = teamId) =>
    request(api.app).post(`/api/v1/teams/${team}/campaigns`).set(bearer(user.accessToken)).send(body);

  it('creates a campaign for a catalog product with a HopLink carrying its tid', async () => {
    const res = await post(editor, { name: 'Summer Fitness Push!', productId });
    expect(res.status).toBe(201);
    const { campaign } = res.body as { campaign: Campaign };
    expect(campaign).toMatchObject({
      teamId,
      name: 'Summer Fitness Push!',
      productId,
      vendor: 'fitvend1',
      status: 'active',
    });
    // At most 16 letters and digits: the tid is also the click prefix (prefix + 8-char click id <= 24).
    expect(campaign.trackingId).toMatch(/^summerfitn[a-z0-9]{6}$/);
    // The campaign's main tracking link is made with it.
    const { slug } = await api
      .db('tracking_links')
      .where({ campaign_id: campaign.id, is_primary: true })
      .first<{ slug: string }>('slug');
    expect(campaign.trackingUrl).toBe(`${api.deps.config.links.publicUrl}/r/${slug}`);
    const { click_prefix } = await api
      .db('campaigns')
      .where({ id: campaign.id })
      .first<{ click_prefix: string }>('click_prefix');
    expect(click_prefix).toBe(campaign.trackingId);
    const url = new URL(campaign.hoplink);
    expect(url.origin + url.pathname).toBe('https://hop.clickbank.net/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      affiliate: SANDBOX_CREDENTIALS.clickbank.affiliateNickname,
      vendor: 'fitvend1',
      tid: campaign.trackingId,
    });

    const got = await request(api.app)
      .get(`/api/v1/teams/${teamId}/campaigns/${campaign.id}`)
      .set(bearer(viewer.accessToken));
    expect(got.status).toBe(200);
    expect((got.body as { campaign: Campaign }).campaign).toEqual(campaign);
  });

  it("creates one for a vendor nickname, links the catalog's product, and uses the team's own affiliate nickname", async () => {
    const saved = await request(api.app)
      .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'MyAff77', insSecretKey: 'TEAMSECRET1' });
    expect(saved.status).toBe(200);
    try {
      const known = await post(editor, { name: 'Known vendor', vendor: 'FitVend1' });
      expect(known.status).toBe(201);
      expect((known.body as { campaign: Campaign }).campaign).toMatchObject({
        productId,
        vendor: 'fitvend1',
      });
      const unknown = await post(editor, { name: 'Vendor only', vendor: 'otherv9' });
      expect(unknown.status).toBe(201);
      const { campaign } = unknown.body as { campaign: Campaign };
      expect(campaign.productId).toBeNull();
      expect(campaign.hoplink).toBe(
        `https://hop.clickbank.net/?affiliate=myaff77&vendor=otherv9&tid=${campaign.trackingId}`,
      );
    } finally {
      await request(api.app)
        .delete(`/api/v1/teams/${teamId}/integrations/clickbank`)
        .set(bearer(owner.accessToken))
        .expect(204);
    }
  });

  it('derives short, URL-safe tracking ids from any name and keeps them unique in the team', async () => {
    const names = ['Ünïcode & spaces / slashes?', '!!!', 'x'.repeat(80), 'tid=1&vendor=evil#frag'];
    for (const name of names) {
      const res = await post(editor, { name, vendor: 'vendor5' });
      expect(res.status).toBe(201);
      const { campaign } = res.body as { campaign: Campaign };
      expect(campaign.trackingId).toMatch(/^[a-z0-9]{7,16}$/);
      expect(campaign.name).toBe(name);
      // The name never leaks raw into the URL: exactly three parameters, the tid intact.
      const url = new URL(campaign.hoplink);
      expect([...url.searchParams.keys()]).toEqual(['affiliate', 'vendor', 'tid']);
      expect(url.searchParams.get('tid')).toBe(campaign.trackingId);
      expect(url.searchParams.get('vendor')).toBe('vendor5');
    }
    expect(makeTrackingId('!!!')).toMatch(/^cmp[a-z0-9]{6}$/);
    expect(makeTrackingId('a'.repeat(50))).toMatch(/^a{10}[a-z0-9]{6}$/);
    expect(makeTrackingId('Ünïcode & Ñame')).toMatch(/^unicodenam[a-z0-9]{6}$/);

    // Twenty campaigns with the same name still get twenty distinct tids.
    const created = await Promise.all(
      Array.from({ length: 20 }, () => post(editor, { name: 'Same name', vendor: 'vendor5' })),
    );
    const tids = created.map((res) => (res.body as { campaign: Campaign }).campaign.trackingId);
    expect(new Set(tids).size).toBe(20);
  });

  it('answers 404 product_not_found for an unknown product and 400 for bad input', async () => {
    const missing = await post(editor, { name: 'Ghost', productId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expectErrorShape(missing.body, 'product_not_found');
    expect((missing.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'productId',
    );

    for (const body of [
      { name: 'No target' },
      { name: '', vendor: 'vendor5' },
      { name: 'Bad vendor', vendor: 'no way!' },
      { name: 'Too short', vendor: 'abc' },
      { name: 'Both', vendor: 'vendor5', productId },
    ]) {
      const res = await post(editor, body);
      expect(`${JSON.stringify(body)} -> ${res.status}`).toBe(`${JSON.stringify(body)} -> 400`);
    }
  });

  it('names the fields when a body matches neither kind of campaign, and what to do', async () => {
    const details = async (body: object) => {
      const res = await post(editor, body);
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'validation_failed');
      return (res.body as { error: { details: { path: string; message: string }[] } }).error.details;
    };
    const choose = 'Choose a product or enter a vendor (one of productId and vendor)';
    // Neither: both fields are named, with the one thing to do.
    expect(await details({ name: 'No target' })).toEqual([
      { path: 'productId', message: choose },
      { path: 'vendor', message: choose },
    ]);
    // Both: the same two fields.
    expect(await details({ name: 'Both', vendor: 'vendor5', productId })).toEqual([
      { path: 'vendor', message: choose },
      { path: 'productId', message: choose },
    ]);
    // One, but wrong: the problem of the branch that was meant.
    expect(await details({ name: 'Short', vendor: 'abc' })).toEqual([
      { path: 'vendor', message: 'A ClickBank vendor nickname has 5 to 10 letters and digits' },
    ]);
    expect(await details({ name: '', productId })).toEqual([
      { path: 'name', message: 'Enter a campaign name' },
    ]);
  });

  it('answers 409 clickbank_not_connected in live mode when the team has not connected ClickBank', async () => {
    const { config } = api.deps;
    const live = createApp({
      ...api.deps,
      config: {
        ...config,
        integrations: {
          ...config.integrations,
          clickbank: { ...config.integrations.clickbank, mode: 'live' },
        },
      },
    });
    const res = await request(live)
      .post(`/api/v1/teams/${teamId}/campaigns`)
      .set(bearer(editor.accessToken))
      .send({ name: 'Live', productId });
    expect(res.status).toBe(409);
    expectErrorShape(res.body, 'clickbank_not_connected');
    expect((res.body as { error: { message: string } }).error.message).toMatch(/Settings → Integrations/);
  });

  it('lists newest first, filters by status, updates, and archives for good', async () => {
    const a = (await post(editor, { name: 'List A', vendor: 'vendor5' })).body as { campaign: Campaign };
    const b = (await post(editor, { name: 'List B', vendor: 'vendor5' })).body as { campaign: Campaign };
    const base = `/api/v1/teams/${teamId}/campaigns`;

    const all = await request(api.app).get(base).set(bearer(viewer.accessToken));
    expect(all.status).toBe(200);
    const ids = (all.body as { campaigns: Campaign[] }).campaigns.map((c) => c.id);
    expect(ids.indexOf(b.campaign.id)).toBeLessThan(ids.indexOf(a.campaign.id));
    expect(ids.indexOf(a.campaign.id)).toBeGreaterThanOrEqual(0);

    const paused = await request(api.app)
      .patch(`${base}/${a.campaign.id}`)
      .set(bearer(editor.accessToken))
      .send({ name: 'List A renamed', status: 'paused' });
    expect(paused.status).toBe(200);
    const pausedCampaign = (paused.body as { campaign: Campaign }).campaign;
    expect(pausedCampaign).toMatchObject({
      name: 'List A renamed',
      status: 'paused',
      trackingId: a.campaign.trackingId,
      hoplink: a.campaign.hoplink,
    });
    expect(new Date(pausedCampaign.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(a.campaign.updatedAt).getTime(),
    );

    const onlyPaused = await request(api.app).get(`${base}?status=paused`).set(bearer(viewer.accessToken));
    expect((onlyPaused.body as { campaigns: Campaign[] }).campaigns.map((c) => c.id)).toEqual([
      a.campaign.id,
    ]);
    const badFilter = await request(api.app).get(`${base}?status=deleted`).set(bearer(viewer.accessToken));
    expect(badFilter.status).toBe(400);

    const archived = await request(api.app)
      .post(`${base}/${b.campaign.id}/archive`)
      .set(bearer(editor.accessToken));
    expect(archived.status).toBe(200);
    expect((archived.body as { campaign: Campaign }).campaign.status).toBe('archived');
    const again = await request(api.app)
      .post(`${base}/${b.campaign.id}/archive`)
      .set(bearer(editor.accessToken));
    expect((again.body as { campaign: Campaign }).campaign.status).toBe('archived');

    const edit = await request(api.app)
      .patch(`${base}/${b.campaign.id}`)
      .set(bearer(editor.accessToken))
      .send({ status: 'active' });
    expect(edit.status).toBe(409);
    expectErrorShape(edit.body, 'campaign_archived');
    const archivedList = await request(api.app)
      .get(`${base}?status=archived`)
      .set(bearer(viewer.accessToken));
    expect((archivedList.body as { campaigns: Campaign[] }).campaigns.map((c) => c.id)).toEqual([
      b.campaign.id,
    ]);

    // Archiving through PATCH is refused: it has its own endpoint.
    const viaPatch = await request(api.app)
      .patch(`${base}/${a.campaign.id}`)
      .set(bearer(editor.accessToken))
      .send({ status: 'archived' });
    expect(viaPatch.status).toBe(400);
  });

  it('lets viewers read but not write, and hides other teams', async () => {
    const denied = await post(viewer, { name: 'Viewer', vendor: 'vendor5' });
    expect(denied.status).toBe(403);

    const mine = (await post(editor, { name: 'Private', vendor: 'vendor5' })).body as { campaign: Campaign };
    const outsider = await registerUser(api.app, 'campaign-outsider');
    const own = `/api/v1/teams/${outsider.personalTeamId}/campaigns`;
    const peek = await request(api.app).get(`${own}/${mine.campaign.id}`).set(bearer(outsider.accessToken));
    expect(peek.status).toBe(404);
    expectErrorShape(peek.body, 'campaign_not_found');
    const list = await request(api.app).get(own).set(bearer(outsider.accessToken));
    expect((list.body as { campaigns: Campaign[] }).campaigns).toEqual([]);
  });
});
