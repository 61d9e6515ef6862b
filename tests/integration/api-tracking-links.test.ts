import request from 'supertest';
import { findRedirectLink } from '../../data/tracking-links';
import {
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';
import { given } from '../support/fixtures';

interface Link {
  id: string;
  campaignId: string;
  name: string;
  slug: string;
  source: string;
  isPrimary: boolean;
  url: string;
  createdAt: string;
  archivedAt: string | null;
}
interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] };
}

describe('tracking links API', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let campaignId: string;
  let trackingUrl: string;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'links-owner');
    editor = await registerUser(api.app, 'links-editor');
    viewer = await registerUser(api.app, 'links-viewer');
    outsider = await registerUser(api.app, 'links-outsider');
    teamId = await createTeamWith(api.app, owner, [
      { user: editor, role: 'editor' },
      { user: viewer, role: 'viewer' },
    ]);
    const campaign = await given.campaign({ app: api.app, db: api.db }, editor, {
      teamId,
      name: 'Links campaign',
      vendor: 'linkvend1',
    });
    campaignId = campaign.id;
    trackingUrl = (campaign as { trackingUrl: string }).trackingUrl;
  });
  afterAll(async () => {
    await api?.close();
  });

  const base = (team = teamId, campaign = campaignId) => `/api/v1/teams/${team}/campaigns/${campaign}/links`;
  const list = (user: RegisteredUser, query = '') =>
    request(api.app)
      .get(base() + query)
      .set(bearer(user.accessToken));
  const create = (user: RegisteredUser, body: object, path = base()) =>
    request(api.app).post(path).set(bearer(user.accessToken)).send(body);

  it("lists the campaign's main link first; adds links with a generated or chosen address", async () => {
    const first = await list(viewer);
    expect(first.status).toBe(200);
    const [main] = (first.body as { links: Link[] }).links;
    expect(main).toMatchObject({ campaignId, isPrimary: true, source: 'direct', archivedAt: null });
    expect(main!.url).toBe(trackingUrl);
    expect(main!.url).toBe(`${api.deps.config.links.publicUrl}/r/${main!.slug}`);

    const generated = await create(editor, { name: 'YouTube description', source: ' YouTube ' });
    expect(generated.status).toBe(201);
    const yt = (generated.body as { link: Link }).link;
    expect(yt).toMatchObject({ name: 'YouTube description', source: 'youtube', isPrimary: false });
    expect(yt.slug).toMatch(/^[a-z0-9]{10}$/);

    const chosen = await create(editor, { name: 'Newsletter', source: 'newsletter', slug: 'Spring-Letter' });
    expect(chosen.status).toBe(201);
    const letter = (chosen.body as { link: Link }).link;
    expect(letter.slug).toBe('spring-letter');
    expect(letter.url).toBe(`${api.deps.config.links.publicUrl}/r/spring-letter`);

    // What the redirect reads for the new slug: this team, this campaign, its source.
    await expect(findRedirectLink(api.db, 'spring-letter')).resolves.toMatchObject({
      linkId: letter.id,
      teamId,
      campaignId,
      source: 'newsletter',
    });

    const all = (await list(viewer)).body as { links: Link[] };
    expect(all.links.map((l) => l.id)).toEqual([main!.id, yt.id, letter.id]);
  });

  it('answers 409 slug_taken on a chosen address in use (in any team), with the field', async () => {
    const again = await create(editor, { name: 'Twice', source: 'x', slug: 'spring-letter' });
    expect(again.status).toBe(409);
    expectErrorShape(again.body, 'slug_taken');
    expect((again.body as ErrorBody).error.details.map((d) => d.path)).toEqual(['slug']);

    const other = await given.campaign({ app: api.app, db: api.db }, outsider, { vendor: 'othervnd1' });
    const elsewhere = await create(
      outsider,
      { name: 'Mine', source: 'x', slug: 'spring-letter' },
      base(outsider.personalTeamId, other.id),
    );
    expect(elsewhere.status).toBe(409);
  });

  it('validates name, source and address with the field at fault', async () => {
    const cases: [object, string[]][] = [
      [{ name: '', source: 'youtube' }, ['name']],
      [{ name: 'x'.repeat(121), source: 'youtube' }, ['name']],
      [{ name: 'Ok', source: 'you tube' }, ['source']],
      [{ name: 'Ok', source: '-lead' }, ['source']],
      [{ name: 'Ok', source: 'a'.repeat(33) }, ['source']],
      [{ name: 'Ok', source: 'x\u0000y' }, ['source']],
      [{ name: 'Ok' }, ['source']],
      [{ name: 'Ok', source: 'ok', slug: 'ab' }, ['slug']],
      [{ name: 'Ok', source: 'ok', slug: 'has space' }, ['slug']],
      [{ name: 'Ok', source: 'ok', slug: '../admin' }, ['slug']],
      [{ name: 'Ok', source: 'ok', slug: 'a'.repeat(41) }, ['slug']],
      [{ name: 'Ok', source: 'ok', slug: 'caf\u00e9-deal' }, ['slug']],
      [{ name: 'Ok', source: 'ok', extra: 1 }, ['(root)']],
    ];
    for (const [body, paths] of cases) {
      const res = await create(editor, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expectErrorShape(res.body, 'validation_failed');
      const got = (res.body as ErrorBody).error.details.map((d) => d.path);
      expect({ body, paths: got }).toEqual({ body, paths });
    }
    const patch = await request(api.app)
      .patch(`${base()}/${(await mainLink()).id}`)
      .set(bearer(editor.accessToken))
      .send({});
    expect(patch.status).toBe(400);
  });

  async function mainLink(): Promise<Link> {
    return ((await list(viewer)).body as { links: Link[] }).links.find((l) => l.isPrimary)!;
  }

  it('renames and changes the source; archives (idempotent), but never the main link', async () => {
    const made = (await create(editor, { name: 'Facebook', source: 'facebook' })).body as { link: Link };
    const link = made.link;
    const renamed = await request(api.app)
      .patch(`${base()}/${link.id}`)
      .set(bearer(editor.accessToken))
      .send({ name: 'Facebook group', source: 'fb-group' });
    expect(renamed.status).toBe(200);
    expect((renamed.body as { link: Link }).link).toMatchObject({
      name: 'Facebook group',
      source: 'fb-group',
      slug: link.slug,
    });

    const archive = () =>
      request(api.app).post(`${base()}/${link.id}/archive`).set(bearer(editor.accessToken));
    const archived = await archive();
    expect(archived.status).toBe(200);
    const at = (archived.body as { link: Link }).link.archivedAt;
    expect(at).not.toBeNull();
    expect(((await archive()).body as { link: Link }).link.archivedAt).toBe(at);
    // Out of the list, still in it on request, and still redirecting (it is out in the world).
    expect(((await list(viewer)).body as { links: Link[] }).links.map((l) => l.id)).not.toContain(link.id);
    expect(
      ((await list(viewer, '?archived=true')).body as { links: Link[] }).links.map((l) => l.id),
    ).toContain(link.id);
    await expect(findRedirectLink(api.db, link.slug)).resolves.toMatchObject({ linkId: link.id });
    const late = await request(api.app)
      .patch(`${base()}/${link.id}`)
      .set(bearer(editor.accessToken))
      .send({ name: 'Too late' });
    expect(late.status).toBe(409);
    expectErrorShape(late.body, 'link_archived');

    const main = await mainLink();
    const refused = await request(api.app)
      .post(`${base()}/${main.id}/archive`)
      .set(bearer(editor.accessToken));
    expect(refused.status).toBe(409);
    expectErrorShape(refused.body, 'link_primary');
  });

  it('restores an archived link to the list (idempotent), as it was; viewers cannot', async () => {
    const made = ((await create(editor, { name: 'Podcast', source: 'podcast' })).body as { link: Link }).link;
    const post = (user: RegisteredUser, action: 'archive' | 'restore', id = made.id) =>
      request(api.app).post(`${base()}/${id}/${action}`).set(bearer(user.accessToken));
    expect((await post(editor, 'archive')).status).toBe(200);
    expect((await post(viewer, 'restore')).status).toBe(403);

    const restored = await post(editor, 'restore');
    expect(restored.status).toBe(200);
    expect((restored.body as { link: Link }).link).toMatchObject({
      id: made.id,
      name: 'Podcast',
      source: 'podcast',
      slug: made.slug,
      archivedAt: null,
    });
    const again = await post(editor, 'restore');
    expect(again.status).toBe(200);
    expect((again.body as { link: Link }).link.archivedAt).toBeNull();
    // Back in the list, in its place (oldest first), and it can be changed again.
    const ids = ((await list(viewer)).body as { links: Link[] }).links.map((l) => l.id);
    expect(ids[ids.length - 1]).toBe(made.id);
    const renamed = await request(api.app)
      .patch(`${base()}/${made.id}`)
      .set(bearer(editor.accessToken))
      .send({ name: 'Podcast notes' });
    expect(renamed.status).toBe(200);

    // The main link was never archived: restoring it answers it unchanged.
    const main = await mainLink();
    const same = await post(editor, 'restore', main.id);
    expect(same.status).toBe(200);
    expect((same.body as { link: Link }).link).toMatchObject({
      id: main.id,
      isPrimary: true,
      archivedAt: null,
    });
  });

  it('lets viewers read but not write', async () => {
    expect((await create(viewer, { name: 'Nope', source: 'x' })).status).toBe(403);
    const main = await mainLink();
    const patch = await request(api.app)
      .patch(`${base()}/${main.id}`)
      .set(bearer(viewer.accessToken))
      .send({ name: 'Nope' });
    expect(patch.status).toBe(403);
  });

  it("hides another team's campaign and links: 404, also through the outsider's own team", async () => {
    const main = await mainLink();
    const own = await given.campaign({ app: api.app, db: api.db }, outsider, { vendor: 'outsider1' });
    const ownBase = base(outsider.personalTeamId, own.id);
    const attempts = [
      request(api.app).get(base()).set(bearer(outsider.accessToken)),
      create(outsider, { name: 'Intruder', source: 'x' }),
      // This team's campaign through the outsider's own team.
      request(api.app).get(base(outsider.personalTeamId, campaignId)).set(bearer(outsider.accessToken)),
      create(outsider, { name: 'Intruder', source: 'x' }, base(outsider.personalTeamId, campaignId)),
      // This team's link under the outsider's own campaign.
      request(api.app)
        .patch(`${ownBase}/${main.id}`)
        .set(bearer(outsider.accessToken))
        .send({ name: 'Mine now' }),
      request(api.app).post(`${ownBase}/${main.id}/archive`).set(bearer(outsider.accessToken)),
      request(api.app).post(`${ownBase}/${main.id}/restore`).set(bearer(outsider.accessToken)),
    ];
    const answers = await Promise.all(attempts);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await mainLink()).name).toBe('Main link');

    // A link of another campaign of the same team is not found under this one either.
    const second = await given.campaign({ app: api.app, db: api.db }, editor, {
      teamId,
      vendor: 'linkvend2',
    });
    const moved = await request(api.app)
      .patch(`${base(teamId, second.id)}/${main.id}`)
      .set(bearer(editor.accessToken))
      .send({ name: 'Moved' });
    expect(moved.status).toBe(404);
    expectErrorShape(moved.body, 'link_not_found');
  });

  it('refuses new links on an archived campaign', async () => {
    const gone = await given.campaign({ app: api.app, db: api.db }, editor, { teamId, vendor: 'linkvend3' });
    await request(api.app)
      .post(`/api/v1/teams/${teamId}/campaigns/${gone.id}/archive`)
      .set(bearer(editor.accessToken))
      .expect(200);
    const res = await create(editor, { name: 'Late', source: 'x' }, base(teamId, gone.id));
    expect(res.status).toBe(409);
    expectErrorShape(res.body, 'campaign_archived');
  });
});
