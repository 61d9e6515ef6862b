import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  ensureEventPartitions,
  listEventPartitions,
  monthStart,
  saltsFor,
  writeClicks,
} from '../../data/analytics';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { ensureSchedules } from '../../temporal/schedules';
import {
  ANALYTICS_MAINTENANCE_SCHEDULE_ID,
  ANALYTICS_MAINTENANCE_WORKFLOW,
  type AnalyticsMaintenanceInput,
  type AnalyticsMaintenanceSummary,
} from '../../workflows/contracts/analytics-maintenance';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import { click } from '../support/analytics';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The daily analytics upkeep end to end: analyticsMaintenanceWorkflow on the dev server with the real worker
 * makes partitions ahead, drops the months past the retention (3 months here) while their rollups stay, and
 * forgets salts and first visits older than two days; the Schedule runs it daily.
 */

const partitionName = (month: string) => `analytics_events_${month.slice(0, 4)}_${month.slice(5, 7)}`;
const dayBefore = (now: Date, days: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days))
    .toISOString()
    .slice(0, 10);

describe('analytics maintenance', () => {
  let config: Config;
  let db: Knex;
  let temporal: TemporalClient;
  let workers: TestWorkers;
  let teamId: string;
  let campaignId: string;
  let linkId: string;
  const now = new Date();
  // Mid-month, so a click is inside its month whatever the day of `now`.
  const inMonth = (monthsBack: number) => new Date(`${monthStart(now, monthsBack)}T12:00:00Z`);

  beforeAll(async () => {
    const base = loadConfig();
    config = { ...base, analyticsRetention: { months: 3 } };
    db = createDb(config);
    temporal = await createTemporalClient(config);
    workers = await startTestWorkers({ db, config });

    const [team] = await db('teams')
      .insert({ name: `Upkeep ${randomUUID().slice(0, 6)}` })
      .returning<{ id: string }[]>('id');
    teamId = team!.id;
    campaignId = (await given.campaignRow(db, { teamId, tid: 'upkeep' })).id;
    linkId = (await db('tracking_links').where({ campaign_id: campaignId }).first<{ id: string }>('id')).id;

    // Months 5 to 1 back get partitions; 40 months back has none, so its click sits in the default partition.
    await ensureEventPartitions(db, monthStart(now, 5), 5);
    await writeClicks(
      db,
      [40, 5, 4, 2].map((back) => click('UTC', { teamId, campaignId, linkId, occurredAt: inMonth(back) })),
    );
    // The partition a year ahead is missing (as if the schedule had not run for a long time).
    await db.raw('DROP TABLE IF EXISTS ??', [partitionName(monthStart(now, -12))]);
    await saltsFor(db, [dayBefore(now, 5), dayBefore(now, 3), dayBefore(now, 2), dayBefore(now, 0)]);
  });

  afterAll(async () => {
    await workers?.stop();
    await Promise.allSettled([db?.destroy(), temporal?.close()]);
  });

  const runMaintenance = (input: AnalyticsMaintenanceInput) =>
    temporal.client.workflow.execute(ANALYTICS_MAINTENANCE_WORKFLOW, {
      taskQueue: TaskQueue.main,
      workflowId: `analytics-maintenance-test-${randomUUID()}`,
      args: [input],
    }) as Promise<AnalyticsMaintenanceSummary>;

  it('makes partitions ahead, drops months past the retention (rollups stay) and forgets old salts', async () => {
    const summary = await runMaintenance({ triggerSource: 'manual', now: now.toISOString() });
    expect(summary).toMatchObject({
      partitionsCreated: 1,
      partitionsDropped: [partitionName(monthStart(now, 5)), partitionName(monthStart(now, 4))],
      retainedFrom: monthStart(now, 3),
      forgottenBefore: dayBefore(now, 2),
    });
    expect(summary.defaultRowsDeleted).toBeGreaterThanOrEqual(1);
    expect(summary.saltsDeleted).toBe(2);
    // Each old click made a first-visit row on its day.
    expect(summary.visitorsDeleted).toBeGreaterThanOrEqual(4);

    const months = (await listEventPartitions(db)).map((p) => p.month);
    expect(months[0]).toBe(monthStart(now, 3));
    expect(months).toContain(monthStart(now, -12));
    // Only the click inside the retention is left raw; the rollups still count all four.
    const raw = await db('analytics_events').where({ team_id: teamId }).count<{ n: string }[]>({ n: '*' });
    expect(Number(raw[0]!.n)).toBe(1);
    const rolled = await db('analytics_rollups')
      .where({ team_id: teamId, basis: 'sale', dimension: 'all' })
      .sum<{ n: string }[]>({ n: 'clicks' });
    expect(Number(rolled[0]!.n)).toBe(4);
    const salts = (
      await db('analytics_salts').select<{ day: string }[]>(db.raw("to_char(day, 'YYYY-MM-DD') AS day"))
    ).map((r) => r.day);
    expect(salts.every((d) => d >= dayBefore(now, 2))).toBe(true);
    expect(salts).toContain(dayBefore(now, 0));
    const oldVisitors = await db('analytics_visitors')
      .where('day', '<', dayBefore(now, 2))
      .count<{ n: string }[]>({ n: '*' });
    expect(Number(oldVisitors[0]!.n)).toBe(0);

    // A second run finds nothing to do.
    expect(await runMaintenance({ triggerSource: 'manual', now: now.toISOString() })).toMatchObject({
      partitionsCreated: 0,
      partitionsDropped: [],
      defaultRowsDeleted: 0,
      saltsDeleted: 0,
      visitorsDeleted: 0,
    });
  });

  it('runs daily at 02:15 UTC from a Schedule (paused again after the test)', async () => {
    await ensureSchedules(temporal.client);
    const schedule = await temporal.client.schedule.getHandle(ANALYTICS_MAINTENANCE_SCHEDULE_ID).describe();
    expect(schedule.spec.timezone).toBe('UTC');
    expect(schedule.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 2, end: 2, step: 1 }],
      minute: [{ start: 15, end: 15, step: 1 }],
    });
    expect(schedule.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: ANALYTICS_MAINTENANCE_WORKFLOW,
      taskQueue: TaskQueue.main,
      args: [{ triggerSource: 'schedule' }],
    });
    expect(schedule.policies.overlap).toBe('SKIP');
    const next = schedule.info.nextActionTimes[0]!;
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([2, 15]);
    // Left running, a Schedule could start work inside later tests of the suite.
    for await (const s of temporal.client.schedule.list()) {
      await temporal.client.schedule.getHandle(s.scheduleId).pause('test suite');
    }
  });
});
