import request from 'supertest';
import { writeClicks } from '../../data/analytics';
import { clickTid } from '../../lib/analytics/tid';
import { localDay } from '../../lib/time-zones';
import { click, recordSale } from '../support/analytics';
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

interface Figures {
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
  sales: number;
  net: number;
  gross: number;
  epc: number | null;
  conversionRate: number | null;
  refundRate: number | null;
}
interface Series {
  timeZone: string;
  from: string;
  to: string;
  basis: string;
  totals: Figures;
  days: (Figures & { day: string })[];
}
interface Breakdown {
  rows: (Figures & { key: string; label: string })[];
}

const ZONE = 'America/New_York';

describe('analytics API', () => {
  let api: TestApi;
  let owner: RegisteredUser;
  let viewer: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let otherTeamId: string;
  let keto: { id: string; linkId: string; youtubeLinkId: string };
  let plain: { id: string };
  let foreign: { id: string; linkId: string };

  const primaryLink = async (campaignId: string) =>
    (
      await api
        .db('tracking_links')
        .where({ campaign_id: campaignId, is_primary: true })
        .first<{ id: string }>('id')
    ).id;

  beforeAll(async () => {
    api = await createTestApi();
    owner = await registerUser(api.app, 'analytics-owner');
    viewer = await registerUser(api.app, 'analytics-viewer');
    outsider = await registerUser(api.app, 'analytics-outsider');
    teamId = await createTeamWith(api.app, owner, [{ user: viewer, role: 'viewer' }]);
    otherTeamId = outsider.personalTeamId;
    await api.db('teams').where({ id: teamId }).update({ time_zone: ZONE });
    const product = await given.product(api.db, { clickbank_id: 'KETOVEND', title: 'Keto Guide' });
    const k = await given.campaignRow(api.db, {
      teamId,
      tid: 'ketoguide',
      name: 'Keto push',
      productId: product.id,
    });
    const [youtube] = await api
      .db('tracking_links')
      .insert({
        team_id: teamId,
        campaign_id: k.id,
        slug: 'keto-youtube',
        name: 'YouTube bio',
        source: 'youtube',
      })
      .returning<{ id: string }[]>('id');
    keto = { id: k.id, linkId: await primaryLink(k.id), youtubeLinkId: youtube!.id };
    plain = await given.campaignRow(api.db, { teamId, tid: 'plainoffer', name: 'Plain offer' });
    const f = await given.campaignRow(api.db, { teamId: otherTeamId, tid: 'foreign', name: 'Not yours' });
    foreign = { id: f.id, linkId: await primaryLink(f.id) };

    const at = (iso: string) => new Date(iso);
    await writeClicks(api.db, [
      // 03:30 UTC on the 10th is 22:30 on the 9th in New York.
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.linkId,
        occurredAt: at('2026-11-10T03:30:00Z'),
      }),
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.linkId,
        occurredAt: at('2026-11-10T14:00:00Z'),
        sub1: '=HYPERLINK("http://evil.example","x")',
      }),
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.linkId,
        occurredAt: at('2026-11-10T14:05:00Z'),
      }),
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.linkId,
        occurredAt: at('2026-11-10T14:06:00Z'),
        botReason: 'head',
      }),
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.youtubeLinkId,
        occurredAt: at('2026-11-10T15:00:00Z'),
        source: 'youtube',
        device: 'mobile',
        clickId: 'aaaaaaaa',
      }),
      click(ZONE, {
        teamId,
        campaignId: keto.id,
        linkId: keto.youtubeLinkId,
        occurredAt: at('2026-11-10T15:10:00Z'),
        source: 'youtube',
        device: 'mobile',
      }),
      click(ZONE, {
        teamId,
        campaignId: plain.id,
        linkId: await primaryLink(plain.id),
        occurredAt: at('2026-11-11T15:00:00Z'),
      }),
      click(ZONE, {
        teamId: otherTeamId,
        campaignId: foreign.id,
        linkId: foreign.linkId,
        occurredAt: at('2026-11-10T15:00:00Z'),
      }),
    ]);
    // ClickBank sends the tid back upper-cased; the sale comes two days after its click.
    await recordSale(api.db, {
      teamId,
      type: 'sale',
      occurredAt: at('2026-11-12T16:00:00Z'),
      amount: 50,
      tid: clickTid('ketoguide', 'aaaaaaaa').toUpperCase(),
      receipt: 'RCPT0001',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (path: string, user: RegisteredUser = viewer, team = teamId) =>
    request(api.app).get(`/api/v1/teams/${team}/analytics/${path}`).set(bearer(user.accessToken));

  it('gives every day of the range in the team time zone, sales on their own day', async () => {
    const res = await get('series?from=2026-11-08&to=2026-11-13');
    expect(res.status).toBe(200);
    const s = res.body as Series;
    expect(s).toMatchObject({ timeZone: ZONE, from: '2026-11-08', to: '2026-11-13', basis: 'sale' });
    expect(s.days.map((d) => [d.day, d.clicks, d.botClicks, d.sales, d.net])).toEqual([
      ['2026-11-08', 0, 0, 0, 0],
      ['2026-11-09', 1, 0, 0, 0],
      ['2026-11-10', 4, 1, 0, 0],
      ['2026-11-11', 1, 0, 0, 0],
      ['2026-11-12', 0, 0, 1, 50],
      ['2026-11-13', 0, 0, 0, 0],
    ]);
    expect(s.totals).toMatchObject({
      clicks: 6,
      uniqueClicks: 6,
      botClicks: 1,
      sales: 1,
      gross: 50,
      net: 50,
    });
    expect(s.totals.epc).toBeCloseTo(50 / 6, 10);
    expect(s.totals.conversionRate).toBeCloseTo(1 / 6, 10);
    expect(s.totals.refundRate).toBe(0);
    expect(s.days[0]).toMatchObject({ epc: null, conversionRate: null, refundRate: null });
  });

  it('puts a sale on the day of its click with basis=click', async () => {
    const s = (await get('series?from=2026-11-08&to=2026-11-13&basis=click')).body as Series;
    expect(s.days.find((d) => d.day === '2026-11-10')).toMatchObject({ clicks: 4, sales: 1, net: 50 });
    expect(s.days.find((d) => d.day === '2026-11-12')).toMatchObject({ sales: 0 });
  });

  it('narrows to a campaign, a link or a dimension value', async () => {
    const range = 'from=2026-11-01&to=2026-11-30';
    expect(((await get(`series?${range}&campaignId=${plain.id}`)).body as Series).totals).toMatchObject({
      clicks: 1,
      sales: 0,
    });
    expect(((await get(`series?${range}&linkId=${keto.youtubeLinkId}`)).body as Series).totals).toMatchObject(
      {
        clicks: 2,
        sales: 1,
        net: 50,
      },
    );
    expect(
      ((await get(`series?${range}&dimension=device&value=mobile`)).body as Series).totals,
    ).toMatchObject({
      clicks: 2,
      sales: 1,
    });
    // '' is "not known": the clicks without a sub-id.
    expect(((await get(`series?${range}&dimension=sub1&value=`)).body as Series).totals).toMatchObject({
      clicks: 5,
    });
  });

  it('breaks figures down by campaign, product, link and source, best earners first, with names', async () => {
    const range = 'from=2026-11-01&to=2026-11-30';
    const byCampaign = (await get(`breakdown?${range}&dimension=campaign`)).body as Breakdown;
    expect(byCampaign.rows.map((r) => [r.key, r.label, r.clicks, r.net])).toEqual([
      [keto.id, 'Keto push', 5, 50],
      [plain.id, 'Plain offer', 1, 0],
    ]);
    const byProduct = (await get(`breakdown?${range}&dimension=product`)).body as Breakdown;
    expect(byProduct.rows.map((r) => [r.label, r.clicks, r.sales])).toEqual([
      ['Keto Guide', 5, 1],
      ['(none)', 1, 0],
    ]);
    const byLink = (await get(`breakdown?${range}&dimension=link&campaignId=${keto.id}`)).body as Breakdown;
    expect(byLink.rows.map((r) => [r.key, r.label, r.clicks, r.sales])).toEqual([
      [keto.youtubeLinkId, 'YouTube bio', 2, 1],
      [keto.linkId, 'Main link', 3, 0],
    ]);
    const bySource = (await get(`breakdown?${range}&dimension=source&limit=1`)).body as Breakdown;
    expect(bySource.rows.map((r) => [r.label, r.net])).toEqual([['youtube', 50]]);
  });

  it('defaults to the 30 days ending today in the team time zone', async () => {
    const s = (await get('series')).body as Series;
    expect(s.to).toBe(localDay(new Date(), ZONE));
    expect(s.days).toHaveLength(30);
    expect(s.days[0]!.day).toBe(s.from);
  });

  it('refuses a bad range or filter with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['series?from=2026-11-10&to=2026-11-01', 'query.from'],
      ['series?from=2025-01-01&to=2026-01-02', 'query.from'],
      ['series?from=2026-02-30', 'query.from'],
      ['series?to=yesterday', 'query.to'],
      ['series?basis=refund', 'query.basis'],
      ['series?dimension=device', 'query.value'],
      ['series?value=mobile', 'query.dimension'],
      [`series?linkId=${keto.linkId}&dimension=device&value=mobile`, 'query.dimension'],
      ['series?campaignId=nope', 'query.campaignId'],
      ['breakdown', 'query.dimension'],
      ['breakdown?dimension=planet', 'query.dimension'],
      ['breakdown?dimension=source&limit=0', 'query.limit'],
      ['breakdown.csv?dimension=source&limit=501', 'query.limit'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expectErrorShape(res.body, 'validation_failed');
      const details = (res.body as { error: { details: { path: string }[] } }).error.details;
      expect([path, details.map((d) => d.path)]).toEqual([path, expect.arrayContaining([field])]);
    }
    // 366 days (a leap year) is the most one read covers.
    expect((await get('series?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });

  it("keeps other teams' figures out: 404 for outsiders and for another team's campaign or link", async () => {
    expect((await get('series', outsider)).status).toBe(404);
    expect((await get('breakdown.csv?dimension=source', outsider)).status).toBe(404);
    const campaign = await get(`series?campaignId=${foreign.id}`);
    expect(campaign.status).toBe(404);
    expectErrorShape(campaign.body, 'campaign_not_found');
    const link = await get(`series?linkId=${foreign.linkId}`);
    expect(link.status).toBe(404);
    expectErrorShape(link.body, 'link_not_found');
    // A link of the team, but not of the campaign asked for.
    expect((await get(`series?campaignId=${plain.id}&linkId=${keto.linkId}`)).status).toBe(404);
    // The other team sees its own click and none of ours.
    const theirs = (await get('series?from=2026-11-01&to=2026-11-30', outsider, otherTeamId)).body as Series;
    expect(theirs.totals).toMatchObject({ clicks: 1, sales: 0 });
  });

  it('exports CSV files a spreadsheet opens safely', async () => {
    const series = await get('series.csv?from=2026-11-09&to=2026-11-10&basis=click');
    expect(series.status).toBe(200);
    expect(series.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(series.headers['content-disposition']).toBe(
      'attachment; filename="analytics-click-basis-2026-11-09-to-2026-11-10.csv"',
    );
    const lines = series.text.split('\r\n');
    expect(lines[0]).toBe(
      'day,clicks,unique_clicks,bot_clicks,sales,rebills,refunds,chargebacks,gross,net,epc,conversion_rate,refund_rate',
    );
    expect(lines[1]).toBe('2026-11-09,1,1,0,0,0,0,0,0,0,0,0,');
    expect(lines[2]).toBe('2026-11-10,4,4,1,1,0,0,0,50,50,12.5,0.25,0');
    expect(lines[3]).toBe('total,5,5,1,1,0,0,0,50,50,10,0.2,0');
    expect(lines[4]).toBe('');

    const subs = await get('breakdown.csv?from=2026-11-01&to=2026-11-30&dimension=sub1');
    expect(subs.status).toBe(200);
    expect(subs.headers['content-disposition']).toMatch(
      /^attachment; filename="analytics-by-sub1-sale-basis-/,
    );
    // The visitor's sub-id is shown as text, never run as a formula.
    expect(subs.text).toContain(
      `"'=HYPERLINK(""http://evil.example"",""x"")","'=HYPERLINK(""http://evil.example"",""x"")",1,`,
    );
    // The name first, then the id: the row without a sub-id has an empty id.
    expect(subs.text.split('\r\n')[0]).toMatch(/^label,sub1,clicks,/);
    expect(subs.text).toContain('\r\n(none),,5,');
    // Money to cents and rates to four decimals, never 0.3333333333333333.
    expect(subs.text).not.toMatch(/\.\d{5,}/);
  });
});
