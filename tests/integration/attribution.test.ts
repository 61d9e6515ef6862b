import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { writeClicks } from '../../data/analytics';
import { encodeClickId, TID_MAX_LENGTH } from '../../lib/analytics/tid';
import { localDay } from '../../lib/time-zones';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import {
  clickbankNotificationWorkflowId,
  type ClickbankNotificationResult,
} from '../../workflows/contracts/clickbank-notification';
import { bearer, createTestApi, registerUser, type RegisteredUser, type TestApi } from '../support/api';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

const ZONE = 'America/Los_Angeles';
const DAY_MS = 86_400_000;

interface RollupRow {
  basis: string;
  dimension: string;
  value: string;
  day: string;
  clicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  gross: string;
  refunded: string;
}

interface SaleRow {
  type: string;
  campaign_id: string | null;
  click_id: string | null;
  link_id: string | null;
  source: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  device: string | null;
  country: string | null;
  referrer_host: string | null;
  tid: string;
}

/**
 * Every sale to its click, end to end: a click stored as the redirect stores it (writeClicks), then ClickBank's
 * INS notifications for its tid POSTed encrypted to the team's webhook, a real worker recording them, and the
 * rollups the dashboards read.
 */
describe('attribution of ClickBank sales to clicks', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let workers: TestWorkers;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    server = await new Promise<Server>((resolve) => {
      const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await workers?.stop();
    await api?.close();
  });

  interface World {
    owner: RegisteredUser;
    teamId: string;
    insUrl: string;
    secret: string;
    campaign: { id: string; trackingId: string };
    linkId: string;
  }

  /** A team in Los Angeles time with ClickBank connected and a campaign made through the API. */
  async function world(label: string): Promise<World> {
    const owner = await registerUser(api.app, label);
    const teamId = owner.personalTeamId;
    await api.db('teams').where({ id: teamId }).update({ time_zone: ZONE });
    const secret = 'ATTRIBUTION2026';
    const res = await request(api.app)
      .put(`/api/v1/teams/${teamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'attraff1', insSecretKey: secret });
    expect(res.status).toBe(200);
    const insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    const campaign = await given.campaign({ app: api.app, db: api.db }, owner, {
      name: 'Spring Keto Launch 2026',
      vendor: 'ketovend1',
    });
    const link = await api
      .db('tracking_links')
      .where({ campaign_id: campaign.id, is_primary: true })
      .first<{ id: string }>('id');
    return { owner, teamId, insUrl: `${baseUrl}${insPath}`, secret, campaign, linkId: link.id };
  }

  /** One click as the redirect records it, `daysAgo` days back, with every dimension set. */
  async function click(w: World, clickNumber: number, daysAgo: number) {
    const occurredAt = new Date(Date.now() - daysAgo * DAY_MS);
    const clickId = encodeClickId(clickNumber);
    await writeClicks(api.db, [
      {
        teamId: w.teamId,
        campaignId: w.campaign.id,
        linkId: w.linkId,
        clickId,
        occurredAt,
        day: localDay(occurredAt, ZONE),
        visitorKey: `visitor-${clickNumber}`,
        botReason: null,
        source: 'youtube',
        sub1: 'video42',
        sub2: 'pinned-comment',
        sub3: null,
        device: 'mobile',
        browser: 'Safari',
        country: 'DE',
        referrerHost: 'www.youtube.com',
      },
    ]);
    return { clickId, day: localDay(occurredAt, ZONE) };
  }

  /** Sends one INS notification and waits for its workflow's result. */
  async function ins(
    w: World,
    n: { type: string; tid?: string; receipt: string; amount?: number },
  ): Promise<ClickbankNotificationResult> {
    const sent = await sendInsNotification({ url: w.insUrl, secret: w.secret, vendor: 'ketovend1', ...n });
    expect(sent.deliveries.map((d) => d.status)).toEqual([200]);
    const dedupeKey = `${n.receipt}:${n.type}:1`;
    // The webhook answers once the event is stored; the workflow starts right after.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const event = await api
        .db('webhook_events')
        .where({ team_id: w.teamId, external_id: `${w.teamId}:${dedupeKey}` })
        .first<{ status: string } | undefined>('status');
      if (event && event.status !== 'received') break;
      if (Date.now() > deadline) throw new Error(`no workflow started for ${dedupeKey}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const handle = api.deps.temporal!.client.workflow.getHandle(
      clickbankNotificationWorkflowId(w.teamId, dedupeKey),
    );
    return (await handle.result()) as ClickbankNotificationResult;
  }

  const salesOf = (w: World) =>
    api
      .db('analytics_events')
      .where({ team_id: w.teamId })
      .whereNot({ type: 'click' })
      .orderBy('occurred_at')
      .select<SaleRow[]>(
        'type',
        'campaign_id',
        'click_id',
        'link_id',
        'source',
        'sub1',
        'sub2',
        'sub3',
        'device',
        'country',
        'referrer_host',
        'tid',
      );

  const rollups = (w: World, where: Partial<Pick<RollupRow, 'basis' | 'dimension'>> = {}) =>
    api
      .db('analytics_rollups')
      .where({ team_id: w.teamId, ...where })
      .orderBy(['basis', 'dimension', 'value', 'day'])
      .select<RollupRow[]>(
        'basis',
        'dimension',
        'value',
        api.db.raw("to_char(day, 'YYYY-MM-DD') AS day"),
        'clicks',
        'sales',
        'rebills',
        'refunds',
        'chargebacks',
        'gross',
        'refunded',
      );

  it('a tid at the 24-character limit, sent back upper case by INS, reaches its click and sub-ids', async () => {
    const w = await world('attr-limit');
    // The API made a 16-character tid (10 of the name + 6 random): the longest click prefix there is.
    expect(w.campaign.trackingId).toMatch(/^springketo[a-z0-9]{6}$/);
    const { clickId } = await click(w, 36 ** 8 - 1, 0);
    expect(clickId).toBe('zzzzzzzz');
    const tid = `${w.campaign.trackingId}${clickId}`.toUpperCase();
    expect(tid).toHaveLength(TID_MAX_LENGTH);

    const result = await ins(w, { type: 'SALE', tid, receipt: 'LIMIT0001', amount: 60 });
    expect(result).toMatchObject({
      outcome: 'recorded',
      analyticsType: 'sale',
      campaignId: w.campaign.id,
      clickId: 'zzzzzzzz',
      attributedTo: 'click',
      source: 'youtube',
      tid,
    });
    expect(await salesOf(w)).toEqual([
      {
        type: 'sale',
        campaign_id: w.campaign.id,
        click_id: 'zzzzzzzz',
        link_id: w.linkId,
        source: 'youtube',
        sub1: 'video42',
        sub2: 'pinned-comment',
        sub3: null,
        device: 'mobile',
        country: 'DE',
        referrer_host: 'www.youtube.com',
        // Kept as ClickBank sent it.
        tid,
      },
    ]);
    // The sale shows on its source's row, and on its sub-id's.
    const bySource = await rollups(w, { basis: 'sale', dimension: 'source' });
    expect(bySource).toEqual([
      expect.objectContaining({ value: 'youtube', clicks: 1, sales: 1, gross: '45.00', refunded: '0.00' }),
    ]);
    const bySub1 = await rollups(w, { basis: 'click', dimension: 'sub1' });
    expect(bySub1).toEqual([expect.objectContaining({ value: 'video42', clicks: 1, sales: 1 })]);
  });

  it('a refund after a sale nets to zero revenue, on both bases; a rebill without a tid follows its sale', async () => {
    const w = await world('attr-refund');
    const { clickId, day: clickDay } = await click(w, 1_234_567, 3);
    const tid = `${w.campaign.trackingId}${clickId}`;
    const saleDay = localDay(new Date(), ZONE);
    expect(clickDay).not.toBe(saleDay);

    await ins(w, { type: 'SALE', tid, receipt: 'NETZERO01', amount: 40 });
    const refund = await ins(w, { type: 'RFND', tid, receipt: 'NETZERO01', amount: 40 });
    expect(refund).toMatchObject({ analyticsType: 'refund', attributedTo: 'click', clickId });
    // ClickBank's rebill of the same order, here without its tracking code: it takes the sale's click.
    const rebill = await ins(w, { type: 'BILL', receipt: 'NETZERO01', amount: 20 });
    expect(rebill).toMatchObject({
      analyticsType: 'rebill',
      attributedTo: 'click',
      clickId,
      source: 'youtube',
    });
    const chargeback = await ins(w, {
      type: 'CGBK',
      tid: tid.toUpperCase(),
      receipt: 'NETZERO01',
      amount: 20,
    });
    expect(chargeback).toMatchObject({ analyticsType: 'chargeback', attributedTo: 'click', clickId });

    const net = (rows: RollupRow[]) =>
      rows.reduce(
        (sum, r) => sum + Math.round(Number(r.gross) * 100) - Math.round(Number(r.refunded) * 100),
        0,
      );
    for (const basis of ['sale', 'click']) {
      for (const dimension of ['all', 'source', 'link', 'sub1', 'device', 'country', 'referrer']) {
        const rows = await rollups(w, { basis, dimension });
        expect({ basis, dimension, net: net(rows) }).toEqual({ basis, dimension, net: 0 });
        const sum = (k: 'sales' | 'rebills' | 'refunds' | 'chargebacks' | 'clicks') =>
          rows.reduce((n, r) => n + r[k], 0);
        expect([sum('clicks'), sum('sales'), sum('rebills'), sum('refunds'), sum('chargebacks')]).toEqual([
          1, 1, 1, 1, 1,
        ]);
      }
    }
    // By click date everything lands on the click's day; by sale date the money lands today, the click then.
    const byClick = await rollups(w, { basis: 'click', dimension: 'all' });
    expect(byClick).toEqual([
      expect.objectContaining({ day: clickDay, clicks: 1, sales: 1, gross: '45.00', refunded: '45.00' }),
    ]);
    const bySale = await rollups(w, { basis: 'sale', dimension: 'all' });
    expect(bySale).toEqual([
      expect.objectContaining({ day: clickDay, clicks: 1, sales: 0, gross: '0.00' }),
      expect.objectContaining({ day: saleDay, clicks: 0, sales: 1, gross: '45.00', refunded: '45.00' }),
    ]);
  });

  it('a sale for a click that is not stored still lands on its campaign (and a plain HopLink sale too)', async () => {
    const w = await world('attr-unknown');
    const tid = `${w.campaign.trackingId}unknown1`.toUpperCase();
    const result = await ins(w, { type: 'SALE', tid, receipt: 'UNKNOWN01', amount: 10 });
    expect(result).toMatchObject({
      campaignId: w.campaign.id,
      clickId: 'unknown1',
      attributedTo: 'campaign',
      source: null,
    });
    const plain = await ins(w, {
      type: 'SALE',
      tid: w.campaign.trackingId,
      receipt: 'PLAIN0001',
      amount: 10,
    });
    expect(plain).toMatchObject({ campaignId: w.campaign.id, clickId: null, attributedTo: 'campaign' });
    const stranger = await ins(w, {
      type: 'SALE',
      tid: 'nosuchcampaign99',
      receipt: 'STRANGE01',
      amount: 10,
    });
    expect(stranger).toMatchObject({ campaignId: null, clickId: null, attributedTo: 'none' });

    expect((await salesOf(w)).map((s) => [s.campaign_id, s.click_id, s.source])).toEqual([
      [w.campaign.id, 'unknown1', null],
      [w.campaign.id, null, null],
      [null, null, null],
    ]);
    const campaignRows = await api
      .db('analytics_rollups')
      .where({ team_id: w.teamId, campaign_id: w.campaign.id, basis: 'sale', dimension: 'all' })
      .sum<{ sales: string }[]>('sales as sales');
    expect(Number(campaignRows[0]!.sales)).toBe(2);
    // Unknown source: counted under '' on the source breakdown, not lost.
    const bySource = await rollups(w, { basis: 'sale', dimension: 'source' });
    expect(bySource.filter((r) => r.value === '').reduce((n, r) => n + r.sales, 0)).toBe(3);
  });
});
