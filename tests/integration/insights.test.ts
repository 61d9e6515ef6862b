import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import type { Knex } from 'knex';
import { noActivityText, type InsightFigures } from '../../lib/insights/prompt';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { startAnthropicSandbox, type RecordedRequest } from '../../sandbox/anthropic/server';
import type { SandboxServer } from '../../sandbox/listen';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox } from '../../sandbox/postmark/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { BACKUP_SCHEDULE_ID } from '../../workflows/contracts/backup';
import { INSIGHTS_SCHEDULE_ID } from '../../workflows/contracts/insights';
import { ensureSchedules } from '../../temporal/schedules';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import type {
  InsightsDispatchInput,
  InsightsDispatchSummary,
  TeamInsightsSummary,
} from '../../workflows/contracts/insights';
import { bearer, createTeamWith, expectErrorShape, registerUser, type RegisteredUser } from '../support/api';
import { given } from '../support/fixtures';
import { click, recordSale } from '../support/analytics';
import { writeClicks, type ClickRecord } from '../../data/analytics';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * Nightly insights end to end on the dev server: API -> teamInsightsWorkflow -> real activities -> Claude and
 * Postmark sandboxes; the hourly dispatcher picking teams by their local time; the Schedules themselves.
 */

interface InsightBody {
  id: string;
  day: string;
  summary: string;
  model: string | null;
  figures: InsightFigures;
}

describe('nightly insights', () => {
  let config: Config;
  let db: Knex;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let deps: ApiDeps;
  let app: ReturnType<typeof createApp>;
  let server: Server;
  let claude: SandboxServer;
  let postmark: SandboxServer;
  let workers: TestWorkers;
  let owner: RegisteredUser;
  let member: RegisteredUser;
  let viewerOptedOut: RegisteredUser;
  let teamId: string;
  let day: string;
  const zone = 'America/New_York';

  beforeAll(async () => {
    claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 1 });
    postmark = await startPostmarkSandbox({ port: 0 });
    const base = loadConfig();
    config = {
      ...base,
      integrations: {
        ...base.integrations,
        anthropic: { ...base.integrations.anthropic, mode: 'sandbox', baseUrl: claude.url },
        postmark: { ...base.integrations.postmark, mode: 'sandbox', requestHost: new URL(postmark.url).host },
      },
    };
    db = createDb(config);
    kv = await createKeyValue(config);
    temporal = await createTemporalClient(config);
    deps = { config, db, logger: createLogger(config, 'insights-test'), kv, temporal };
    app = createApp(deps);
    server = app.listen(0);
    void (server.address() as AddressInfo).port;
    workers = await startTestWorkers({ db, config, kv });

    owner = await registerUser(app, 'insight-owner');
    member = await registerUser(app, 'insight-member');
    viewerOptedOut = await registerUser(app, 'insight-quiet');
    teamId = await createTeamWith(
      app,
      owner,
      [
        { user: member, role: 'viewer' },
        { user: viewerOptedOut, role: 'editor' },
      ],
      'Insight team',
    );
    const tz = await request(app)
      .patch(`/api/v1/teams/${teamId}`)
      .set(bearer(owner.accessToken))
      .send({ timeZone: zone });
    expect(tz.status).toBe(200);

    // Yesterday in the team's zone, and events around its edges.
    const startOfToday = DateTime.now().setZone(zone).startOf('day');
    const start = startOfToday.minus({ days: 1 });
    day = start.toISODate()!;
    const keto = await given.campaignRow(db, {
      teamId,
      name: 'Keto push',
      tid: `keto_${Date.now().toString(36)}`,
    });
    const yoga = await given.campaignRow(db, {
      teamId,
      name: 'Yoga launch',
      tid: `yoga_${Date.now().toString(36)}`,
    });
    // Clicks go in as the redirect writes them, sales as the INS webhook records them: raw events and rollups.
    const at = (d: DateTime) => d.toJSDate();
    const midday = start.plus({ hours: 12 });
    const primaryLink = async (campaignId: string) =>
      (
        await db('tracking_links')
          .where({ campaign_id: campaignId, is_primary: true })
          .first<{ id: string }>('id')
      ).id;
    const links = { [keto.id]: await primaryLink(keto.id), [yoga.id]: await primaryLink(yoga.id) };
    const clicks: ClickRecord[] = [];
    const pushClicks = (campaignId: string, when: DateTime, n: number) => {
      for (let i = 0; i < n; i++) {
        clicks.push(
          click(zone, {
            teamId,
            campaignId,
            linkId: links[campaignId]!,
            occurredAt: at(when.plus({ seconds: i })),
          }),
        );
      }
    };
    let receipts = 0;
    const sell = async (
      campaign: { id: string; tid: string },
      type: 'sale' | 'refund',
      when: DateTime,
      n: number,
      amount: number,
    ) => {
      for (let i = 0; i < n; i++) {
        receipts += type === 'sale' ? 1 : 0;
        await recordSale(db, {
          teamId,
          type,
          occurredAt: at(when.plus({ seconds: i })),
          amount,
          tid: campaign.tid,
          receipt: `INSIGHT${receipts}`,
        });
      }
    };
    pushClicks(keto.id, midday, 1195);
    // 23:45 local is already the next UTC day: still this day for the team.
    pushClicks(keto.id, start.plus({ hours: 23, minutes: 45 }), 5);
    // 23:45 the evening before: not this day.
    pushClicks(keto.id, start.minus({ minutes: 15 }), 3);
    pushClicks(yoga.id, midday, 340);
    await writeClicks(db, clicks);
    await sell(keto, 'sale', midday, 9, 49.5);
    await sell(keto, 'refund', midday.plus({ hours: 2 }), 1, -49.5);
    await sell(yoga, 'sale', midday, 2, 30);
    // Today's events belong to tomorrow's insight.
    await sell(yoga, 'sale', startOfToday.plus({ minutes: 30 }), 4, 30);
  });

  afterAll(async () => {
    await workers?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await Promise.allSettled([db?.destroy(), kv?.close(), temporal?.close()]);
    await Promise.allSettled([claude?.close(), postmark?.close()]);
  });

  const api = (path: string) => `/api/v1/teams/${teamId}${path}`;

  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }

  async function claudeRequests(): Promise<RecordedRequest[]> {
    const res = await fetch(`${claude.url}/sandbox/requests`);
    const body = (await res.json()) as { requests: RecordedRequest[] };
    return body.requests.filter((r) => r.path === '/v1/messages');
  }

  async function runNow(who: RegisteredUser, body: Record<string, unknown>) {
    return request(app).post(api('/insights/run')).set(bearer(who.accessToken)).send(body);
  }

  async function runAndWait(body: Record<string, unknown>): Promise<TeamInsightsSummary> {
    const res = await runNow(owner, body);
    expect(res.status).toBe(202);
    const { workflowId } = res.body as { workflowId: string };
    return temporal.client.workflow.getHandle(workflowId).result() as Promise<TeamInsightsSummary>;
  }

  it('each member sets their own insight email opt-in', async () => {
    const off = await request(app).get(api('/members/me/insights-email')).set(bearer(member.accessToken));
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ insightsEmail: { enabled: false } });

    const on = await request(app)
      .put(api('/members/me/insights-email'))
      .set(bearer(member.accessToken))
      .send({ enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ insightsEmail: { enabled: true } });
    // Only the member's own row changed.
    const rows = await db('team_members').where({ team_id: teamId }).select('user_id', 'insights_email');
    expect(
      Object.fromEntries(
        rows.map((r: { user_id: string; insights_email: boolean }) => [r.user_id, r.insights_email]),
      ),
    ).toEqual({
      [owner.id]: false,
      [member.id]: true,
      [viewerOptedOut.id]: false,
    });

    const bad = await request(app)
      .put(api('/members/me/insights-email'))
      .set(bearer(member.accessToken))
      .send({ enabled: 'yes' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('enabled');
  });

  it("runs the team's insight: figures per campaign for its local day, Claude's note stored, emailed once to the member who opted in", async () => {
    const before = (await claudeRequests()).length;
    const summary = await runAndWait({ day });
    expect(summary.totals).toEqual({ clicks: 1540, sales: 11, refunds: 1, revenue: 456 });
    expect(summary.wroteWithClaude).toBe(true);
    expect(summary.emails).toEqual({ sent: 1, duplicate: 0, skipped: 0, refused: 0 });

    // The figures come from the rollups of that day (sale basis, all dimensions together).
    const daily = await db('analytics_rollups as r')
      .join('campaigns as c', 'c.id', 'r.campaign_id')
      .where({ 'r.team_id': teamId, 'r.day': day, 'r.basis': 'sale', 'r.dimension': 'all' })
      .orderBy('c.name')
      .select('c.name', 'r.clicks', 'r.sales', 'r.refunds', 'r.gross', 'r.refunded');
    expect(daily).toEqual([
      { name: 'Keto push', clicks: 1200, sales: 9, refunds: 1, gross: '445.50', refunded: '49.50' },
      { name: 'Yoga launch', clicks: 340, sales: 2, refunds: 0, gross: '60.00', refunded: '0.00' },
    ]);

    const latest = await request(app).get(api('/insights/latest')).set(bearer(member.accessToken));
    expect(latest.status).toBe(200);
    const insight = (latest.body as { insight: InsightBody }).insight;
    expect(insight.day).toBe(day);
    expect(insight.model).toBe(config.integrations.anthropic.model);
    expect(insight.figures.timeZone).toBe(zone);
    expect(insight.figures.campaigns.map((c) => [c.name, c.clicks, c.revenue])).toEqual([
      ['Keto push', 1200, 396],
      ['Yoga launch', 340, 60],
    ]);
    // Claude was asked with the figures, and its note (the sandbox echoes the prompt's words) mentions them.
    const asked = (await claudeRequests()).slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.prompt).toContain('1540 clicks, 11 sales, 1 refunds, 456.00 revenue');
    expect(insight.summary).toContain('1540');

    const mails = await mailbox(member.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.Subject).toBe(`Insight team on ${day}: 1540 clicks, 11 sales, 456.00 revenue`);
    expect(mails[0]!.TextBody).toContain(insight.summary);
    expect(mails[0]!.TextBody).toContain('Keto push: 1200 clicks, 9 sales, 1 refunds, 396.00 revenue');
    expect(await mailbox(owner.email)).toHaveLength(0);
    expect(await mailbox(viewerOptedOut.email)).toHaveLength(0);
    const row = await db('email_messages')
      .where({ idempotency_key: `insight:${teamId}:${day}:${member.id}` })
      .first<{ kind: string; status: string }>();
    expect(row).toMatchObject({ kind: 'insight', status: 'sent' });

    // The run carries TeamId and TriggerSource for Temporal Web.
    const described = await temporal.client.workflow.getHandle(`insights:${teamId}:${day}`).describe();
    expect(described.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(teamId);
    expect(described.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('manual');
  });

  it('running the same day again replaces the insight but sends no second email', async () => {
    const again = await runAndWait({ day });
    expect(again.emails).toEqual({ sent: 0, duplicate: 1, skipped: 0, refused: 0 });
    expect(await mailbox(member.email)).toHaveLength(1);
    const rows = await db('team_insights').where({ team_id: teamId }).count<{ n: string }[]>({ n: '*' });
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('a day without clicks or sales gets a plain note without asking Claude', async () => {
    const quietDay = DateTime.fromISO(day).minus({ days: 3 }).toISODate()!;
    const before = (await claudeRequests()).length;
    const summary = await runAndWait({ day: quietDay });
    expect(summary.wroteWithClaude).toBe(false);
    expect(summary.totals).toEqual({ clicks: 0, sales: 0, refunds: 0, revenue: 0 });
    expect((await claudeRequests()).length).toBe(before);

    const list = await request(app).get(api('/insights?limit=5')).set(bearer(member.accessToken));
    expect(list.status).toBe(200);
    const insights = (list.body as { insights: InsightBody[] }).insights;
    expect(insights.map((i) => i.day)).toEqual([day, quietDay]);
    expect(insights[1]).toMatchObject({ summary: noActivityText(quietDay), model: null });
    // The member opted in, so the quiet day is emailed too (once).
    expect((await mailbox(member.email)).map((m) => m.Subject)).toContain(
      `Insight team on ${quietDay}: 0 clicks, 0 sales, 0.00 revenue`,
    );
  });

  it('only admins run it by hand, and the day must be a real, past day', async () => {
    const forbidden = await runNow(member, { day });
    expect(forbidden.status).toBe(403);
    const badFormat = await runNow(owner, { day: '26/11/2026' });
    expect(badFormat.status).toBe(400);
    expectErrorShape(badFormat.body, 'validation_failed');
    expect((badFormat.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('day');
    const future = await runNow(owner, { day: DateTime.now().plus({ days: 3 }).toISODate() });
    expect(future.status).toBe(400);
    expect((future.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('day');
    const stranger = await registerUser(app, 'insight-stranger');
    const outsider = await request(app).get(api('/insights/latest')).set(bearer(stranger.accessToken));
    expect(outsider.status).toBe(404);
  });

  it('the dispatcher starts the insight of a team whose local time is 03:00, not of one at another hour, once', async () => {
    const make = async (timeZone: string) => {
      const [row] = await db('teams')
        .insert({ name: `Dispatch ${timeZone} ${randomUUID().slice(0, 6)}`, time_zone: timeZone })
        .returning<{ id: string }[]>('id');
      return row!.id;
    };
    const honolulu = await make('Pacific/Honolulu'); // UTC-10: 03:00 at 13:00 UTC
    const tokyo = await make('Asia/Tokyo'); // UTC+9: 22:00 then
    const now = '2026-11-20T13:00:00.000Z';
    const dispatch = (id: string) =>
      temporal.client.workflow.execute<(i: InsightsDispatchInput) => Promise<InsightsDispatchSummary>>(
        'insightsDispatchWorkflow',
        {
          taskQueue: TaskQueue.main,
          workflowId: id,
          args: [{ triggerSource: 'schedule', now }],
          typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'schedule' }],
        },
      );
    const first = await dispatch(`insights-dispatch-test-${randomUUID()}`);
    const expected = `insights:${honolulu}:2026-11-19`;
    expect(first.now).toBe(now);
    expect(first.started).toContain(expected);
    expect([...first.started, ...first.alreadyStarted].some((id) => id.includes(tokyo))).toBe(false);

    const child = temporal.client.workflow.getHandle(expected);
    const result = (await child.result()) as TeamInsightsSummary;
    expect(result.wroteWithClaude).toBe(false);
    const described = await child.describe();
    expect(described.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(honolulu);
    expect(described.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('schedule');
    const stored = await db('team_insights')
      .where({ team_id: honolulu })
      .select(db.raw("to_char(day, 'YYYY-MM-DD') as day"));
    expect(stored).toEqual([{ day: '2026-11-19' }]);

    // The same hour again (a catch-up or a retry): the day already ran, nothing new starts.
    const second = await dispatch(`insights-dispatch-test-${randomUUID()}`);
    expect(second.started).not.toContain(expected);
    expect(second.alreadyStarted).toContain(expected);
  });

  it('ensureSchedules creates the hourly insights and 04:00 UTC backup Schedules, idempotently', async () => {
    await ensureSchedules(temporal.client);
    await ensureSchedules(temporal.client);

    const insights = await temporal.client.schedule.getHandle(INSIGHTS_SCHEDULE_ID).describe();
    expect(insights.spec.timezone).toBe('UTC');
    expect(insights.spec.calendars).toHaveLength(1);
    expect(insights.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 0, end: 23, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(insights.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'insightsDispatchWorkflow',
      taskQueue: TaskQueue.main,
      args: [{ triggerSource: 'schedule' }],
    });

    const backup = await temporal.client.schedule.getHandle(BACKUP_SCHEDULE_ID).describe();
    expect(backup.spec.timezone).toBe('UTC');
    expect(backup.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 4, end: 4, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(backup.action).toMatchObject({ type: 'startWorkflow', workflowType: 'backupWorkflow' });
    expect(backup.policies.overlap).toBe('SKIP');

    const ids: string[] = [];
    for await (const s of temporal.client.schedule.list()) ids.push(s.scheduleId);
    expect(ids.filter((id) => id === INSIGHTS_SCHEDULE_ID || id === BACKUP_SCHEDULE_ID).sort()).toEqual([
      BACKUP_SCHEDULE_ID,
      INSIGHTS_SCHEDULE_ID,
    ]);
    // Next insights run is at a full hour, the next backup at 04:00 UTC.
    const nextInsight = insights.info.nextActionTimes[0]!;
    expect(nextInsight.getUTCMinutes()).toBe(0);
    const nextBackup = backup.info.nextActionTimes[0]!;
    expect([nextBackup.getUTCHours(), nextBackup.getUTCMinutes()]).toEqual([4, 0]);

    // Paused for the rest of the suite, so a run at 03:00 somewhere or at 04:00 UTC cannot start work inside
    // other tests (a later ensureSchedules keeps the paused state).
    // Every Schedule ensureSchedules made is paused, the hourly catalog sync too: left running, it once started at
    // 07:00 inside the catalog-sync test, whose manual start then joined it.
    for await (const s of temporal.client.schedule.list()) {
      await temporal.client.schedule.getHandle(s.scheduleId).pause('test suite');
    }
    await ensureSchedules(temporal.client);
    expect((await temporal.client.schedule.getHandle(INSIGHTS_SCHEDULE_ID).describe()).state.paused).toBe(
      true,
    );
  });
});
