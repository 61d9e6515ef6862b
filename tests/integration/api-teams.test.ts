import request from 'supertest';
import {
  anyString,
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

describe('teams API', () => {
  let api: TestApi;
  let owner: RegisteredUser;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'owner');
  });
  afterAll(async () => {
    await api.close();
  });

  const as = (user: RegisteredUser) => ({
    get: (path: string) => request(api.app).get(`/api/v1${path}`).set(bearer(user.accessToken)),
    post: (path: string, body: object) =>
      request(api.app).post(`/api/v1${path}`).set(bearer(user.accessToken)).send(body),
    patch: (path: string, body: object) =>
      request(api.app).patch(`/api/v1${path}`).set(bearer(user.accessToken)).send(body),
    delete: (path: string) => request(api.app).delete(`/api/v1${path}`).set(bearer(user.accessToken)),
  });

  it('creates a team with the creator as owner and lists it', async () => {
    const created = await as(owner).post('/teams', { name: '  Launch crew ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      team: {
        id: anyString,
        name: 'Launch crew',
        personal: false,
        timeZone: 'UTC',
        role: 'owner',
        createdAt: anyString,
      },
    });
    const teamId = (created.body as { team: { id: string } }).team.id;
    const list = await as(owner).get('/teams');
    const teams = (list.body as { teams: { id: string; personal: boolean }[] }).teams;
    expect(teams.map((t) => t.id)).toEqual(expect.arrayContaining([owner.personalTeamId, teamId]));
    expect(teams[0]?.personal).toBe(true); // personal team first

    const members = await as(owner).get(`/teams/${teamId}/members`);
    expect(members.body).toEqual({
      members: [{ userId: owner.id, email: owner.email, name: 'owner', role: 'owner', joinedAt: anyString }],
    });
  });

  it('lets an admin rename the team and set a valid time zone, and refuses an invalid one', async () => {
    const teamId = await createTeamWith(api.app, owner);
    const ok = await as(owner).patch(`/teams/${teamId}`, { name: 'Renamed', timeZone: 'Europe/Berlin' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      team: { id: teamId, name: 'Renamed', timeZone: 'Europe/Berlin', role: 'owner' },
    });
    const bad = await as(owner).patch(`/teams/${teamId}`, { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('timeZone');
  });

  it('adds a member by email, changes the role and removes them', async () => {
    const teamId = await createTeamWith(api.app, owner);
    const bob = await registerUser(api.app, 'bob');

    const added = await as(owner).post(`/teams/${teamId}/members`, {
      email: bob.email.toUpperCase(),
      role: 'viewer',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      member: { userId: bob.id, email: bob.email, name: 'bob', role: 'viewer', joinedAt: anyString },
    });

    // Bob now sees the team.
    const bobTeams = (await as(bob).get('/teams')).body as { teams: { id: string; role: string }[] };
    expect(bobTeams.teams.find((t) => t.id === teamId)?.role).toBe('viewer');

    const again = await as(owner).post(`/teams/${teamId}/members`, { email: bob.email, role: 'editor' });
    expect(again.status).toBe(409);
    expectErrorShape(again.body, 'already_member');

    const nobody = await as(owner).post(`/teams/${teamId}/members`, {
      email: 'nobody-here@example.com',
      role: 'viewer',
    });
    expect(nobody.status).toBe(422);
    expectErrorShape(nobody.body, 'user_not_found');

    const badRole = await as(owner).post(`/teams/${teamId}/members`, { email: bob.email, role: 'god' });
    expect(badRole.status).toBe(400);
    expect((badRole.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('role');

    const promoted = await as(owner).patch(`/teams/${teamId}/members/${bob.id}`, { role: 'editor' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ member: { userId: bob.id, role: 'editor' } });

    const removed = await as(owner).delete(`/teams/${teamId}/members/${bob.id}`);
    expect(removed.status).toBe(204);
    expect((await as(bob).get(`/teams/${teamId}`)).status).toBe(404);
    expect((await as(owner).delete(`/teams/${teamId}/members/${bob.id}`)).status).toBe(404);
  });

  it('keeps the owner role in owner hands', async () => {
    const admin = await registerUser(api.app, 'admin');
    const editor = await registerUser(api.app, 'editor');
    const teamId = await createTeamWith(api.app, owner, [
      { user: admin, role: 'admin' },
      { user: editor, role: 'editor' },
    ]);
    // An admin cannot grant owner, demote an owner or remove an owner...
    expect((await as(admin).patch(`/teams/${teamId}/members/${editor.id}`, { role: 'owner' })).status).toBe(
      403,
    );
    expect((await as(admin).patch(`/teams/${teamId}/members/${owner.id}`, { role: 'viewer' })).status).toBe(
      403,
    );
    expect((await as(admin).delete(`/teams/${teamId}/members/${owner.id}`)).status).toBe(403);
    const newcomer = await registerUser(api.app, 'newcomer');
    expect(
      (await as(admin).post(`/teams/${teamId}/members`, { email: newcomer.email, role: 'owner' })).status,
    ).toBe(403);
    // ...but can manage everyone below owner.
    expect(
      (await as(admin).post(`/teams/${teamId}/members`, { email: newcomer.email, role: 'editor' })).status,
    ).toBe(201);
    expect((await as(admin).patch(`/teams/${teamId}/members/${editor.id}`, { role: 'viewer' })).status).toBe(
      200,
    );
    // An editor cannot manage members at all.
    expect((await as(editor).delete(`/teams/${teamId}/members/${newcomer.id}`)).status).toBe(403);
    // An owner can make someone else owner.
    expect((await as(owner).patch(`/teams/${teamId}/members/${admin.id}`, { role: 'owner' })).status).toBe(
      200,
    );
  });

  it('never leaves a team without an owner', async () => {
    const second = await registerUser(api.app, 'second');
    const teamId = await createTeamWith(api.app, owner, [{ user: second, role: 'admin' }]);

    const leave = await as(owner).delete(`/teams/${teamId}/members/${owner.id}`);
    expect(leave.status).toBe(409);
    expectErrorShape(leave.body, 'last_owner');
    const demote = await as(owner).patch(`/teams/${teamId}/members/${owner.id}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expectErrorShape(demote.body, 'last_owner');

    // With a second owner the first may step down and then leave.
    expect((await as(owner).patch(`/teams/${teamId}/members/${second.id}`, { role: 'owner' })).status).toBe(
      200,
    );
    expect((await as(owner).patch(`/teams/${teamId}/members/${owner.id}`, { role: 'admin' })).status).toBe(
      200,
    );
    expect((await as(second).delete(`/teams/${teamId}/members/${second.id}`)).status).toBe(409);
    expect((await as(owner).delete(`/teams/${teamId}/members/${owner.id}`)).status).toBe(204);
    const members = (await as(second).get(`/teams/${teamId}/members`)).body as {
      members: { userId: string; role: string }[];
    };
    expect(members.members).toEqual([expect.objectContaining({ userId: second.id, role: 'owner' })]);
  });

  it('lets any member leave on their own', async () => {
    const viewer = await registerUser(api.app, 'leaver');
    const teamId = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }]);
    expect((await as(viewer).delete(`/teams/${teamId}/members/${owner.id}`)).status).toBe(403);
    expect((await as(viewer).delete(`/teams/${teamId}/members/${viewer.id}`)).status).toBe(204);
    expect((await as(viewer).get(`/teams/${teamId}`)).status).toBe(404);
  });

  it('refuses two concurrent demotions that would leave no owner', async () => {
    const other = await registerUser(api.app, 'co-owner');
    const teamId = await createTeamWith(api.app, owner, [{ user: other, role: 'owner' }]);
    const [a, b] = await Promise.all([
      as(owner).patch(`/teams/${teamId}/members/${owner.id}`, { role: 'admin' }),
      as(other).patch(`/teams/${teamId}/members/${other.id}`, { role: 'admin' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const owners = await api
      .db('team_members')
      .where({ team_id: teamId, role: 'owner' })
      .count<{ count: string }[]>();
    expect(owners).toEqual([{ count: '1' }]);
  });
});
