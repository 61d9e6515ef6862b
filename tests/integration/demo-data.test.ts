import request from 'supertest';
import {
  bearer,
  createTeamWith,
  createTestApi,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

interface Summary {
  campaigns: number;
  clicks: number;
  botClicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  net: number;
}

describe('demo data', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let viewer: RegisteredUser;
  let teamId: string;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'demo-owner');
    viewer = await registerUser(api.app, 'demo-viewer');
    teamId = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }]);
  });

  afterAll(async () => {
    await api.close();
  });

  it('is for owners and admins only', async () => {
    const res = await request(api.app)
      .post(`/api/v1/teams/${teamId}/demo-data`)
      .set(bearer(viewer.accessToken));
    expect(res.status).toBe(403);
  });

  it('fills the team through the analytics module: raw events, rollups and the API figures agree', async () => {
    const res = await request(api.app)
      .post(`/api/v1/teams/${teamId}/demo-data`)
      .set(bearer(owner.accessToken));
    expect(res.status).toBe(201);
    const made = res.body as Summary;
    expect(made.campaigns).toBe(4);
    expect(made.clicks).toBeGreaterThan(5000);
    expect(made.botClicks).toBeGreaterThan(0);
    expect(made.sales).toBeGreaterThan(50);
    expect(made.refunds + made.chargebacks).toBeGreaterThan(0);

    const raw = await api
      .db('analytics_events')
      .where({ team_id: teamId })
      .select<{ type: string; n: string; attributed: string }[]>(
        'type',
        api.db.raw('count(*) AS n'),
        api.db.raw('count(click_id) AS attributed'),
      )
      .groupBy('type');
    const byType = Object.fromEntries(raw.map((r) => [r.type, r]));
    expect(Number(byType.click!.n)).toBe(made.clicks + made.botClicks);
    expect(Number(byType.sale!.n)).toBe(made.sales);
    // Most sales come back with their click's tid and land on it; a few come through the plain HopLink.
    expect(Number(byType.sale!.attributed)).toBeGreaterThan(made.sales * 0.8);

    const series = await request(api.app)
      .get(`/api/v1/teams/${teamId}/analytics/series?from=${ninetyDaysAgo()}`)
      .set(bearer(owner.accessToken));
    expect(series.status).toBe(200);
    const totals = (series.body as { totals: Summary }).totals;
    expect(totals.clicks).toBe(made.clicks);
    expect(totals.sales).toBe(made.sales);
    expect(totals.net).toBeCloseTo(made.net, 2);
  });

  it('refuses a team that already has clicks, so figures are never doubled', async () => {
    const res = await request(api.app)
      .post(`/api/v1/teams/${teamId}/demo-data`)
      .set(bearer(owner.accessToken));
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('team_has_clicks');
    const campaigns = await api.db('campaigns').where({ team_id: teamId }).count<{ count: string }[]>();
    expect(Number(campaigns[0]!.count)).toBe(4);
  });

  it('fills a second team too (its links get slugs of their own, whatever the seed)', async () => {
    const other = await registerUser(api.app, 'demo-other');
    const res = await request(api.app)
      .post(`/api/v1/teams/${other.personalTeamId}/demo-data`)
      .set(bearer(other.accessToken));
    expect(res.status).toBe(201);
    const links = await api
      .db('tracking_links')
      .whereIn('team_id', [teamId, other.personalTeamId])
      .countDistinct<{ n: string }[]>('slug as n');
    expect(Number(links[0]!.n)).toBe(32);
  });
});

/** The first day of the demo's 90 (UTC: the test team keeps the default zone). */
function ninetyDaysAgo(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 89);
  return d.toISOString().slice(0, 10);
}
