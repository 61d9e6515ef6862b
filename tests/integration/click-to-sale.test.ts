import http from 'node:http';
import request from 'supertest';
import { startApiServer, type RunningApi } from '../../api/server';
import type { BreakdownResponse, TimeSeriesResponse } from '../../api/schemas/analytics';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import { clickbankNotificationWorkflowId } from '../../workflows/contracts/clickbank-notification';
import { createTestApi, type TestApi } from '../support/api';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The "done when", end to end on the real server: a visitor opens a campaign's tracking link with a
 * source and a sub-id, ClickBank reports the sale by INS with the tid the redirect handed out, and the analytics
 * API shows that sale on its source's row (a link previewer's visit redirected too, but not counted as a click).
 */

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

function open(base: string, path: string, userAgent: string): Promise<{ status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers: { 'user-agent': userAgent } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? '' }));
    });
    req.on('error', reject);
  });
}

describe('a tracked click and its ClickBank sale', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let server: RunningApi;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    server = await startApiServer({
      ...api.deps,
      config: { ...api.config, api: { ...api.config.api, port: 0 } },
    });
  });
  afterAll(async () => {
    await server?.close();
    await workers?.stop();
    await api?.close();
  });

  it('shows the INS sale of a tracked click on its source row, and the bot visit apart', async () => {
    const owner = await given.userWithCampaign(api, {
      label: 'click-to-sale',
      campaign: { name: 'Keto launch', vendor: 'ketovend2' },
    });
    const { teamId } = owner;
    const secret = 'CLICKTOSALE2026';
    const saved = await request(server.url)
      .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
      .set(owner.auth)
      .send({ affiliateNickname: 'clickaff1', insSecretKey: secret });
    expect(saved.status).toBe(200);
    const insPath = new URL((saved.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    const campaign = await request(server.url)
      .get(`/api/v1/teams/${teamId}/campaigns/${owner.campaign.id}`)
      .set(owner.auth);
    const trackingUrl = new URL(
      (campaign.body as { campaign: { trackingUrl: string } }).campaign.trackingUrl,
    );

    // A person from a YouTube video, and Slack unfurling the same link.
    const visit = await open(server.url, `${trackingUrl.pathname}?src=youtube&s1=video42`, CHROME);
    const preview = await open(server.url, `${trackingUrl.pathname}?src=youtube&s1=video42`, SLACKBOT);
    expect([visit.status, preview.status]).toEqual([302, 302]);
    const tid = new URL(visit.location).searchParams.get('tid')!;
    expect(tid).toMatch(/^[a-z0-9]{9,24}$/);
    await server.redirect.flush();

    // ClickBank reports the sale with that tid (upper case, as older accounts send it).
    const sent = await sendInsNotification({
      url: `${server.url}${insPath}`,
      secret,
      vendor: 'ketovend2',
      type: 'SALE',
      tid: tid.toUpperCase(),
      receipt: 'CLICKSALE1',
      amount: 50,
    });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200]);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const event = await api
        .db('webhook_events')
        .where({ team_id: teamId, source: 'clickbank' })
        .first<{ status: string } | undefined>('status');
      if (event && event.status !== 'received') break;
      if (Date.now() > deadline) throw new Error('the INS notification was not processed');
      await new Promise((r) => setTimeout(r, 100));
    }
    await api.deps
      .temporal!.client.workflow.getHandle(clickbankNotificationWorkflowId(teamId, 'CLICKSALE1:SALE:1'))
      .result();

    const bySource = await request(server.url)
      .get(`/api/v1/teams/${teamId}/analytics/breakdown?dimension=source`)
      .set(owner.auth);
    expect(bySource.status).toBe(200);
    const rows = (bySource.body as BreakdownResponse).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'youtube', clicks: 1, uniqueClicks: 1, botClicks: 1, sales: 1 });
    expect(rows[0]!.net).toBeGreaterThan(0);
    expect(rows[0]!.epc).toBeCloseTo(rows[0]!.net, 2);

    const series = await request(server.url)
      .get(`/api/v1/teams/${teamId}/analytics/series?campaignId=${owner.campaign.id}`)
      .set(owner.auth);
    expect((series.body as TimeSeriesResponse).totals).toMatchObject({ clicks: 1, botClicks: 1, sales: 1 });
  });
});
