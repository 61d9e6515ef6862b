import request from 'supertest';
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

interface Contact {
  id: string;
  teamId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  source: string;
  status: string;
  statusReason: string | null;
  statusChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
interface ContactPage {
  contacts: Contact[];
  total: number;
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe('contacts API', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let editor: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'contacts-owner');
    editor = await registerUser(api.app, 'contacts-editor');
    viewer = await registerUser(api.app, 'contacts-viewer');
    outsider = await registerUser(api.app, 'contacts-outsider');
    teamId = await createTeamWith(api.app, owner, [
      { user: editor, role: 'editor' },
      { user: viewer, role: 'viewer' },
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  const url = (path = '', team = teamId) => `/api/v1/teams/${team}/contacts${path}`;
  const create = (body: object, user = editor, team = teamId) =>
    request(api.app).post(url('', team)).set(bearer(user.accessToken)).send(body);
  const list = (query: Record<string, string | number>, user = viewer, team = teamId) =>
    request(api.app).get(url('', team)).query(query).set(bearer(user.accessToken));
  const fields = (body: unknown) => (body as ErrorBody).error.details.map((d) => d.path);

  it('adds a contact by hand with a lower-cased email, trimmed names and normalized tags', async () => {
    const res = await create({
      email: '  Ada.Lovelace@Example.COM ',
      firstName: ' Ada ',
      lastName: 'Lovelace',
      tags: ['VIP ', 'buyers', 'vip'],
    });
    expect(res.status).toBe(201);
    const { contact } = res.body as { contact: Contact };
    expect(contact).toMatchObject({
      teamId,
      email: 'ada.lovelace@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      tags: ['buyers', 'vip'],
      source: 'manual',
      status: 'active',
      statusReason: null,
    });

    const got = await request(api.app)
      .get(url(`/${contact.id}`))
      .set(bearer(viewer.accessToken));
    expect(got.status).toBe(200);
    expect((got.body as { contact: Contact }).contact).toEqual(contact);
  });

  it('answers 409 contact_exists with the field email when the address is already there', async () => {
    await create({ email: 'twice@example.com' }).expect(201);
    const res = await create({ email: 'TWICE@example.com', firstName: 'Other' });
    expect(res.status).toBe(409);
    expectErrorShape(res.body, 'contact_exists');
    expect(fields(res.body)).toEqual(['email']);
  });

  it('rejects bad input with the field at fault', async () => {
    const cases: [object, string[]][] = [
      [{}, ['email']],
      [{ email: 'not-an-email' }, ['email']],
      [{ email: 'a@example.com', tags: ['x'.repeat(41)] }, ['tags.0']],
      [{ email: 'a@example.com', tags: ['   '] }, ['tags.0']],
      [{ email: 'a@example.com', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ['tags']],
      [{ email: 'a@example.com', firstName: 'x'.repeat(101) }, ['firstName']],
      [{ email: 'a@example.com', status: 'active' }, ['(root)']],
    ];
    for (const [body, expected] of cases) {
      const res = await create(body);
      expect([JSON.stringify(body).slice(0, 60), res.status, fields(res.body)]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
        expected,
      ]);
      expectErrorShape(res.body, 'validation_failed');
    }
    // Twenty tags that collapse to fewer are fine: the limit counts distinct tags.
    const many = await create({
      email: 'dupe-tags@example.com',
      tags: Array.from({ length: 25 }, () => 'Same'),
    });
    expect(many.status).toBe(201);
    expect((many.body as { contact: Contact }).contact.tags).toEqual(['same']);
  });

  it('lets a viewer read but not change contacts', async () => {
    const res = await create({ email: 'viewer-try@example.com' }, viewer);
    expect(res.status).toBe(403);
    const created = await create({ email: 'viewer-target@example.com' }).expect(201);
    const id = (created.body as { contact: Contact }).contact.id;
    await request(api.app)
      .patch(url(`/${id}`))
      .set(bearer(viewer.accessToken))
      .send({ firstName: 'X' })
      .expect(403);
    await request(api.app)
      .delete(url(`/${id}`))
      .set(bearer(viewer.accessToken))
      .expect(403);
    await request(api.app)
      .post(url('/import'))
      .set(bearer(viewer.accessToken))
      .set('Content-Type', 'text/csv')
      .send('email\nv@example.com\n')
      .expect(403);
    await request(api.app)
      .get(url(`/${id}`))
      .set(bearer(viewer.accessToken))
      .expect(200);
  });

  it("answers 404 to another team's member on every route, and for another team's contact id", async () => {
    const created = await create({ email: 'secret@example.com' }).expect(201);
    const id = (created.body as { contact: Contact }).contact.id;
    const token = bearer(outsider.accessToken);
    const calls = [
      request(api.app).get(url()).set(token),
      request(api.app).post(url()).set(token).send({ email: 'x@example.com' }),
      request(api.app).get(url('/tags')).set(token),
      request(api.app)
        .post(url('/import'))
        .set(token)
        .set('Content-Type', 'text/csv')
        .send('email\nx@example.com'),
      request(api.app)
        .get(url(`/${id}`))
        .set(token),
      request(api.app)
        .patch(url(`/${id}`))
        .set(token)
        .send({ firstName: 'X' }),
      request(api.app)
        .delete(url(`/${id}`))
        .set(token),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(404);
    // Their own team does not know this contact either.
    const own = await request(api.app)
      .get(url(`/${id}`, outsider.personalTeamId))
      .set(token);
    expect(own.status).toBe(404);
    expectErrorShape(own.body, 'contact_not_found');
    await request(api.app)
      .patch(url(`/${id}`, outsider.personalTeamId))
      .set(token)
      .send({ firstName: 'X' })
      .expect(404);
    await request(api.app)
      .delete(url(`/${id}`, outsider.personalTeamId))
      .set(token)
      .expect(404);
    const still = await request(api.app)
      .get(url(`/${id}`))
      .set(bearer(owner.accessToken));
    expect((still.body as { contact: Contact }).contact.firstName).toBeNull();
  });

  describe('listing', () => {
    let listTeam: string;
    beforeAll(async () => {
      listTeam = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }], 'List team');
      const people: [string, string | null, string | null, string[]][] = [
        ['maria.garcia@example.com', 'Maria', 'Garcia', ['buyers', 'vip']],
        ['john.smith@example.com', 'John', 'Smith', ['buyers']],
        ['jane.doe@example.org', 'Jane', 'Doe', []],
        ['percent_50@example.com', null, null, ['promo']],
        ['smithers@example.net', 'Waylon', 'Smithers', ['vip']],
      ];
      for (const [email, firstName, lastName, tags] of people) {
        await create({ email, firstName, lastName, tags }, owner, listTeam).expect(201);
      }
      const found = await list({ q: 'jane' }, viewer, listTeam).expect(200);
      const jane = (found.body as ContactPage).contacts[0]!;
      await request(api.app)
        .patch(url(`/${jane.id}`, listTeam))
        .set(bearer(owner.accessToken))
        .send({ status: 'unsubscribed' })
        .expect(200);
    });

    const emails = (body: unknown) => (body as ContactPage).contacts.map((c) => c.email);

    it('lists newest first with the total', async () => {
      const res = await list({}, viewer, listTeam);
      expect(res.status).toBe(200);
      expect(emails(res.body)).toEqual([
        'smithers@example.net',
        'percent_50@example.com',
        'jane.doe@example.org',
        'john.smith@example.com',
        'maria.garcia@example.com',
      ]);
      expect((res.body as ContactPage).total).toBe(5);
      expect((res.body as ContactPage).nextCursor).toBeNull();
    });

    it('searches email, first and last name case-insensitively, with LIKE characters taken literally', async () => {
      expect(emails((await list({ q: 'SMITH' }, viewer, listTeam)).body)).toEqual([
        'smithers@example.net',
        'john.smith@example.com',
      ]);
      expect(emails((await list({ q: 'maria' }, viewer, listTeam)).body)).toEqual([
        'maria.garcia@example.com',
      ]);
      expect(emails((await list({ q: 'john smith' }, viewer, listTeam)).body)).toEqual([
        'john.smith@example.com',
      ]);
      expect(emails((await list({ q: '.org' }, viewer, listTeam)).body)).toEqual(['jane.doe@example.org']);
      // '%' and '_' are not wildcards, inside a term or at its start.
      expect(emails((await list({ q: 'ent_50' }, viewer, listTeam)).body)).toEqual([
        'percent_50@example.com',
      ]);
      expect(emails((await list({ q: 'maria_garcia' }, viewer, listTeam)).body)).toEqual([]);
      expect((await list({ q: '%' }, viewer, listTeam)).body).toMatchObject({ total: 0 });
      expect((await list({ q: '_' }, viewer, listTeam)).body).toMatchObject({ total: 0 });
      const none = (await list({ q: 'nobody' }, viewer, listTeam)).body as ContactPage;
      expect(none).toEqual({ contacts: [], total: 0, totalCapped: false, nextCursor: null });
    });

    it('matches a term of one or two letters at the start of the email, first or last name', async () => {
      // "jo": John by his email and first name; "ga": Garcia's last name, not every "example" address.
      expect(emails((await list({ q: 'Jo' }, viewer, listTeam)).body)).toEqual(['john.smith@example.com']);
      expect(emails((await list({ q: 'ga' }, viewer, listTeam)).body)).toEqual(['maria.garcia@example.com']);
      expect(emails((await list({ q: 'Jo Sm' }, viewer, listTeam)).body)).toEqual(['john.smith@example.com']);
      expect(emails((await list({ q: 'Jo Sx' }, viewer, listTeam)).body)).toEqual([]);
      expect(emails((await list({ q: 'sm' }, viewer, listTeam)).body)).toEqual([
        'smithers@example.net',
        'john.smith@example.com',
      ]);
    });

    it('filters by tag and status, and combines them with the search', async () => {
      const vip = (await list({ tag: 'VIP' }, viewer, listTeam)).body as ContactPage;
      expect(vip.contacts.map((c) => c.email)).toEqual(['smithers@example.net', 'maria.garcia@example.com']);
      expect(vip.total).toBe(2);
      expect(emails((await list({ status: 'unsubscribed' }, viewer, listTeam)).body)).toEqual([
        'jane.doe@example.org',
      ]);
      expect((await list({ status: 'active' }, viewer, listTeam)).body).toMatchObject({ total: 4 });
      expect(emails((await list({ tag: 'buyers', q: 'smith' }, viewer, listTeam)).body)).toEqual([
        'john.smith@example.com',
      ]);
    });

    it('pages with a cursor (keyset, no row twice or missed) and keeps the total of the whole filter', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { limit: 2 };
        if (cursor) query.cursor = cursor;
        const page: ContactPage = (await list(query, viewer, listTeam).expect(200)).body as ContactPage;
        expect(page.total).toBe(5);
        seen.push(...page.contacts.map((c) => c.email));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(emails((await list({}, viewer, listTeam)).body));
    });

    it('answers 400 with the query field for a bad limit, status, tag or cursor', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ limit: '0' }, 'query.limit'],
        [{ limit: '500' }, 'query.limit'],
        [{ status: 'gone' }, 'query.status'],
        [{ tag: 'x'.repeat(41) }, 'query.tag'],
        [{ cursor: 'not a cursor!' }, 'query.cursor'],
        [{ cursor: Buffer.from('["yesterday","x"]').toString('base64url') }, 'query.cursor'],
      ];
      for (const [query, field] of cases) {
        const res = await list(query, viewer, listTeam);
        expect([query, res.status, fields(res.body)]).toEqual([query, 400, [field]]);
      }
    });

    it('counts the tags in use', async () => {
      const res = await request(api.app).get(url('/tags', listTeam)).set(bearer(viewer.accessToken));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tags: [
          { tag: 'buyers', count: 2 },
          { tag: 'vip', count: 2 },
          { tag: 'promo', count: 1 },
        ],
      });
    });
  });

  describe('changing and deleting', () => {
    const make = async (email: string, extra: object = {}) =>
      ((await create({ email, ...extra }).expect(201)).body as { contact: Contact }).contact;
    const patch = (id: string, body: object, user = editor) =>
      request(api.app)
        .patch(url(`/${id}`))
        .set(bearer(user.accessToken))
        .send(body);

    it('changes names and replaces tags; empty text clears a name', async () => {
      const c = await make('patch-me@example.com', { firstName: 'Pat', lastName: 'Old', tags: ['a'] });
      const res = await patch(c.id, { lastName: 'New', tags: ['Zeta', 'alpha'] });
      expect(res.status).toBe(200);
      const updated = (res.body as { contact: Contact }).contact;
      expect(updated).toMatchObject({
        firstName: 'Pat',
        lastName: 'New',
        tags: ['alpha', 'zeta'],
        status: 'active',
      });
      expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime());
      const cleared = await patch(c.id, { firstName: '' });
      expect((cleared.body as { contact: Contact }).contact.firstName).toBeNull();
    });

    it('answers 400 with the field for bad changes', async () => {
      const c = await make('patch-bad@example.com');
      const cases: [object, string[]][] = [
        [{}, ['(root)']],
        [{ tags: ['ok', ''] }, ['tags.1']],
        [{ status: 'inactive' }, ['status']],
        [{ email: 'new@example.com', firstName: 'New' }, ['(root)']],
        [{ lastName: 'x'.repeat(101) }, ['lastName']],
      ];
      for (const [body, expected] of cases) {
        const res = await patch(c.id, body);
        expect([body, res.status, fields(res.body)]).toEqual([body, 400, expected]);
      }
      const res = await request(api.app).get(url('/not-a-uuid')).set(bearer(viewer.accessToken));
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['params.contactId']);
    });

    it('lets an editor unsubscribe a contact but never make an unsubscribed or inactive one active again', async () => {
      const c = await make('opt-out@example.com');
      const res = await patch(c.id, { status: 'unsubscribed' });
      expect(res.status).toBe(200);
      const unsubscribed = (res.body as { contact: Contact }).contact;
      expect(unsubscribed).toMatchObject({
        status: 'unsubscribed',
        statusReason: 'Unsubscribed by a team member',
      });
      expect(unsubscribed.statusChangedAt).not.toBeNull();

      const back = await patch(c.id, { status: 'active', firstName: 'Sneaky' }, owner);
      expect(back.status).toBe(409);
      expectErrorShape(back.body, 'contact_not_reactivatable');
      expect((back.body as ErrorBody).error.message).toMatch(/opt in again/);
      expect(fields(back.body)).toEqual(['status']);
      // Nothing of the refused change was saved.
      const after = (
        await request(api.app)
          .get(url(`/${c.id}`))
          .set(bearer(viewer.accessToken))
      ).body as {
        contact: Contact;
      };
      expect(after.contact).toMatchObject({ status: 'unsubscribed', firstName: null });

      // Names and tags of an unsubscribed contact can still be edited; it stays unsubscribed.
      const renamed = await patch(c.id, { firstName: 'Still', status: 'unsubscribed' });
      expect((renamed.body as { contact: Contact }).contact).toMatchObject({
        firstName: 'Still',
        status: 'unsubscribed',
        statusReason: 'Unsubscribed by a team member',
      });

      const bounced = await make('bounced@example.com');
      await api
        .db('contacts')
        .where({ id: bounced.id })
        .update({ status: 'inactive', status_reason: 'HardBounce', status_changed_at: new Date() });
      const revive = await patch(bounced.id, { status: 'active' });
      expect(revive.status).toBe(409);
      expect((revive.body as ErrorBody).error.message).toMatch(/refused/);
      const unsub = await patch(bounced.id, { status: 'unsubscribed' });
      expect((unsub.body as { contact: Contact }).contact).toMatchObject({
        status: 'inactive',
        statusReason: 'HardBounce',
      });
      // Keeping an active contact active is allowed (a no-op).
      const active = await make('still-active@example.com');
      expect((await patch(active.id, { status: 'active' })).status).toBe(200);
    });

    it("stops the contact's running sequence runs when an editor unsubscribes them", async () => {
      const c = await make('running-seq@example.com');
      const campaign = await given.campaignRow(api.db, {
        teamId,
        tid: `seq_${Date.now()}`,
        name: 'Seq',
        vendor: 'seqvend1',
      });
      const [sequence] = await api
        .db('email_sequences')
        .insert({ team_id: teamId, campaign_id: campaign.id, name: 'Welcome' })
        .returning<{ id: string }[]>('id');
      await api.db('email_sequence_runs').insert({
        team_id: teamId,
        sequence_id: sequence!.id,
        contact_id: c.id,
        workflow_id: `seq:${sequence!.id}:${c.id}`,
        status: 'running',
      });
      await patch(c.id, { status: 'unsubscribed' }).expect(200);
      const run = await api
        .db('email_sequence_runs')
        .where({ contact_id: c.id })
        .first<{ status: string; stop_reason: string | null }>('status', 'stop_reason');
      expect(run).toEqual({ status: 'stopped', stop_reason: 'Unsubscribed by a team member' });
    });

    it('deletes an active contact, and keeps an unsubscribed one so no import can email them again', async () => {
      const c = await make('delete-me@example.com');
      await request(api.app)
        .delete(url(`/${c.id}`))
        .set(bearer(editor.accessToken))
        .expect(204);
      await request(api.app)
        .get(url(`/${c.id}`))
        .set(bearer(viewer.accessToken))
        .expect(404);
      await request(api.app)
        .delete(url(`/${c.id}`))
        .set(bearer(editor.accessToken))
        .expect(404);

      const u = await make('keep-me@example.com');
      await patch(u.id, { status: 'unsubscribed' }).expect(200);
      const res = await request(api.app)
        .delete(url(`/${u.id}`))
        .set(bearer(owner.accessToken));
      expect(res.status).toBe(409);
      expectErrorShape(res.body, 'contact_suppressed');
      await request(api.app)
        .get(url(`/${u.id}`))
        .set(bearer(viewer.accessToken))
        .expect(200);
    });
  });
});
