import request from 'supertest';
import { bearer, createTestApi, expectErrorShape, type TestApi } from '../support/api';
import { given } from '../support/fixtures';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

/**
 * A name longer than the API allows is refused with a 400 that names the field and the limit (the forms show
 * it beside the field); it is never cut to fit and stored.
 */
describe('names over their limit', () => {
  jest.setTimeout(60_000);
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  function expectRefused(res: request.Response, limit: number): void {
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'validation_failed');
    const { details } = (res.body as ErrorBody).error;
    expect(details).toContainEqual({ path: 'name', message: `At most ${limit} characters` });
  }

  it('refuses campaign, sequence, broadcast, bonus and team names one character too long', async () => {
    const { user, teamId, campaign, auth } = await given.userWithCampaign(api, { label: 'long-names' });
    const team = `/api/v1/teams/${teamId}`;

    expectRefused(
      await request(api.app)
        .post(`${team}/campaigns`)
        .set(auth)
        .send({ name: 'c'.repeat(121), vendor: 'longvend1' }),
      120,
    );
    expectRefused(
      await request(api.app)
        .patch(`${team}/campaigns/${campaign.id}`)
        .set(auth)
        .send({ name: 'c'.repeat(121) }),
      120,
    );
    expectRefused(
      await request(api.app)
        .post(`${team}/sequences`)
        .set(auth)
        .send({ name: 's'.repeat(121), campaignId: campaign.id, trigger: 'manual' }),
      120,
    );
    expectRefused(
      await request(api.app)
        .post(`${team}/broadcasts`)
        .set(auth)
        .send({ name: 'b'.repeat(121), subject: 'Hi', body: 'Hello', tag: 'readers' }),
      120,
    );
    expectRefused(
      await request(api.app)
        .post(`${team}/bonuses`)
        .set(auth)
        .send({ name: 'x'.repeat(201), url: 'https://example.com/bonus.pdf', campaignIds: [] }),
      200,
    );
    expectRefused(
      await request(api.app)
        .post('/api/v1/teams')
        .set(bearer(user.accessToken))
        .send({ name: 't'.repeat(101) }),
      100,
    );

    // At the limit it is stored whole.
    const ok = await request(api.app)
      .post(`${team}/campaigns`)
      .set(auth)
      .send({ name: 'c'.repeat(120), vendor: 'longvend1' });
    expect(ok.status).toBe(201);
    expect((ok.body as { campaign: { name: string } }).campaign.name).toHaveLength(120);
    // Nothing longer slipped in, cut or whole.
    const list = await request(api.app).get(`${team}/campaigns`).set(auth).expect(200);
    const names = (list.body as { campaigns: { name: string }[] }).campaigns.map((c) => c.name.length);
    expect(Math.max(...names)).toBe(120);
    expect(names.filter((n) => n === 120)).toHaveLength(1);
  });
});
