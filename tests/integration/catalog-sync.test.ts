import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { streamMarketplaceFeed } from '../../lib/integrations/adapters/clickbank';
import { runCatalogSync } from '../../activities/catalog';
import type { CatalogSyncSummary } from '../../workflows/contracts/catalog-sync';
import { startClickbankSandbox, type SandboxServer } from '../../sandbox/clickbank/server';
import { ensureSchedules } from '../../temporal/schedules';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { CATALOG_SYNC_SCHEDULE_ID, CATALOG_SYNC_WORKFLOW_ID } from '../../workflows/contracts/catalog-sync';
import { bearer, createTestApi, registerUser, type RegisteredUser, type TestApi } from '../support/api';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The catalog sync end to end: the API starts the real workflow on real workers, which stream the ClickBank
 * sandbox's feed into PostgreSQL. The feed URL comes from config (CLICKBANK_SANDBOX_PORT), so a smaller feed
 * is served by restarting the sandbox on the same port.
 */

interface SyncStatus {
  running: boolean;
  workflowId: string | null;
  progress: { phase: string; sitesProcessed: number; upserted: number; categories: number } | null;
  lastCompleted: { finishedAt: string; products: number; left: number } | null;
}

const FULL_FEED = 15_000;
const SMALL_FEED = 3_000;

describe('catalog sync workflow', () => {
  jest.setTimeout(180_000);
  let sandbox: SandboxServer;
  let api: TestApi;
  let workers: TestWorkers;
  let user: RegisteredUser;
  const previousPort = process.env.CLICKBANK_SANDBOX_PORT;

  const feedIds = async (server: SandboxServer): Promise<string[]> => {
    const ids: string[] = [];
    await streamMarketplaceFeed(`${server.url}/feeds/marketplace_feed_v2.xml.zip`, (sites) => {
      ids.push(...sites.map((s) => s.id));
      return Promise.resolve();
    });
    return ids;
  };

  const status = async (): Promise<SyncStatus> => {
    const res = await request(api.app).get('/api/v1/products/sync').set(bearer(user.accessToken)).expect(200);
    return res.body as SyncStatus;
  };

  const startSync = async () => {
    const res = await request(api.app)
      .post('/api/v1/products/sync')
      .set(bearer(user.accessToken))
      .expect(202);
    return res.body as { workflowId: string; runId: string; started: boolean };
  };

  const result = (runId: string) =>
    api.deps
      .temporal!.client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID, runId)
      .result() as Promise<CatalogSyncSummary>;

  const countIn = async (ids: string[]) =>
    Number((await api.db('products').whereIn('clickbank_id', ids).count<{ n: string }[]>('* as n'))[0]!.n);

  beforeAll(async () => {
    sandbox = await startClickbankSandbox({ feedSiteCount: FULL_FEED });
    process.env.CLICKBANK_SANDBOX_PORT = String(sandbox.port);
    api = await createTestApi({ temporal: true });
    workers = await startTestWorkers({ db: api.db });
    user = await registerUser(api.app, 'catalog');
    // A Schedule another test created would start an hourly sync inside these tests; the last test makes its own.
    await api.deps
      .temporal!.client.schedule.getHandle(CATALOG_SYNC_SCHEDULE_ID)
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  });

  afterAll(async () => {
    await workers?.stop();
    await api?.close();
    await sandbox?.close();
    if (previousPort === undefined) delete process.env.CLICKBANK_SANDBOX_PORT;
    else process.env.CLICKBANK_SANDBOX_PORT = previousPort;
  });

  let fullIds: string[] = [];

  it('syncs the whole feed; a concurrent start joins the running sync; progress is live while it runs', async () => {
    fullIds = await feedIds(sandbox);
    expect(fullIds.length).toBeGreaterThanOrEqual(FULL_FEED);

    const [a, b] = await Promise.all([startSync(), startSync()]);
    expect(a.workflowId).toBe(CATALOG_SYNC_WORKFLOW_ID);
    expect(b.runId).toBe(a.runId);
    expect([a.started, b.started].sort()).toEqual([false, true]);

    // Poll the API while it runs: progress comes from the activity's heartbeat details.
    const seen: NonNullable<SyncStatus['progress']>[] = [];
    const done = result(a.runId);
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      const s = await status();
      if (s.running && s.progress) seen.push(s.progress);
      await sleep(100);
    }
    const summary = await done;
    expect(summary).toMatchObject({ sites: fullIds.length, upserted: fullIds.length });
    expect(summary.categories).toBeGreaterThan(20);

    const mid = seen.filter((p) => p.phase === 'upsert' && p.upserted > 0 && p.upserted < fullIds.length);
    expect(mid.length).toBeGreaterThan(0);
    expect(mid[0]!.sitesProcessed).toBeGreaterThanOrEqual(mid[0]!.upserted);
    // Progress only moves forward.
    const counts = seen.map((p) => p.sitesProcessed);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));

    expect(await countIn(fullIds)).toBe(fullIds.length);
    const history = await api
      .db('product_gravity_daily as g')
      .join('products as p', 'p.id', 'g.product_id')
      .whereIn('p.clickbank_id', fullIds)
      .count<{ n: string }[]>('* as n');
    expect(Number(history[0]!.n)).toBe(fullIds.length);

    const after = await status();
    expect(after.running).toBe(false);
    expect(after.lastCompleted).toMatchObject({ products: fullIds.length });

    const described = await api.deps
      .temporal!.client.workflow.getHandle(CATALOG_SYNC_WORKFLOW_ID, a.runId)
      .describe();
    expect(described.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('manual');
    expect(described.typedSearchAttributes.get(SearchAttr.UserId)).toBe(user.id);
    expect(described.taskQueue).toBe('main');
    expect(await described.staticSummary()).toMatch(/Catalog sync/);
  });

  it('a second sync updates in place (no duplicates) and records one gravity row per product and day', async () => {
    const before = await api
      .db('products')
      .whereIn('clickbank_id', fullIds.slice(0, 50))
      .select('id', 'updated_at');
    const again = await startSync();
    expect(again.started).toBe(true);
    const summary = await result(again.runId);
    expect(summary.sites).toBe(fullIds.length);
    expect(await countIn(fullIds)).toBe(fullIds.length);
    const afterRows = await api
      .db('products')
      .whereIn(
        'id',
        before.map((r: { id: string }) => r.id),
      )
      .select('id', 'updated_at');
    const beforeById = new Map(
      before.map((r: { id: string; updated_at: Date }) => [r.id, r.updated_at.getTime()]),
    );
    for (const row of afterRows as { id: string; updated_at: Date }[]) {
      expect(row.updated_at.getTime()).toBeGreaterThan(beforeById.get(row.id)!);
    }
    const history = await api
      .db('product_gravity_daily as g')
      .join('products as p', 'p.id', 'g.product_id')
      .whereIn('p.clickbank_id', fullIds)
      .count<{ n: string }[]>('* as n');
    expect(Number(history[0]!.n)).toBe(fullIds.length);
    const completed = await api
      .db('catalog_syncs')
      .where({ status: 'completed' })
      .count<{ n: string }[]>('* as n');
    expect(Number(completed[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('marks products that left the feed, and clears the mark when they come back', async () => {
    const port = sandbox.port;
    await sandbox.close();
    sandbox = await startClickbankSandbox({ port, feedSiteCount: SMALL_FEED });
    const smallIds = new Set(await feedIds(sandbox));
    const gone = fullIds.filter((id) => !smallIds.has(id));
    expect(gone.length).toBeGreaterThan(0);

    const run = await startSync();
    const summary = await result(run.runId);
    expect(summary.sites).toBe(smallIds.size);
    expect(summary.left).toBeGreaterThanOrEqual(gone.length);

    const marked = await api
      .db('products')
      .whereIn('clickbank_id', gone)
      .whereNotNull('left_feed_at')
      .count<{ n: string }[]>('* as n');
    expect(Number(marked[0]!.n)).toBe(gone.length);
    const present = await api
      .db('products')
      .whereIn('clickbank_id', [...smallIds])
      .whereNotNull('left_feed_at')
      .count<{ n: string }[]>('* as n');
    expect(Number(present[0]!.n)).toBe(0);
    expect((await status()).lastCompleted).toMatchObject({ products: smallIds.size });

    // The full feed again: the products are back and no longer marked.
    await sandbox.close();
    sandbox = await startClickbankSandbox({ port, feedSiteCount: FULL_FEED });
    await result((await startSync()).runId);
    const stillLeft = await api
      .db('products')
      .whereIn('clickbank_id', fullIds)
      .whereNotNull('left_feed_at')
      .count<{ n: string }[]>('* as n');
    expect(Number(stillLeft[0]!.n)).toBe(0);
  });

  it('a retried attempt resumes after the batches its last heartbeat reported written', async () => {
    const resumeFrom = 1_000; // two batches of 500
    const stamp = async (ids: string[]) => {
      const rows = await api
        .db<{ clickbank_id: string; updated_at: Date }>('products')
        .whereIn('clickbank_id', ids)
        .select('clickbank_id', 'updated_at');
      return new Map(rows.map((r) => [r.clickbank_id, new Date(r.updated_at).getTime()]));
    };
    const skipped = fullIds.slice(0, resumeFrom);
    const written = fullIds.slice(resumeFrom, resumeFrom + 200);
    const [beforeSkipped, beforeWritten] = [await stamp(skipped), await stamp(written)];
    const progress: number[] = [];
    const summary = await runCatalogSync(api.db, {
      feedUrl: `${sandbox.url}/feeds/marketplace_feed_v2.xml.zip`,
      workflowId: 'resume-test',
      runId: `resume-${Date.now()}`,
      triggerSource: 'manual',
      resume: { sitesProcessed: resumeFrom, upserted: resumeFrom },
      onProgress: (p) => progress.push(p.sitesProcessed),
    });
    expect(summary).toMatchObject({ sites: fullIds.length, upserted: fullIds.length });
    expect(Math.min(...progress)).toBe(resumeFrom);
    const [afterSkipped, afterWritten] = [await stamp(skipped), await stamp(written)];
    expect([...afterSkipped].filter(([id, t]) => t !== beforeSkipped.get(id))).toEqual([]);
    expect([...afterWritten].filter(([id, t]) => t <= beforeWritten.get(id)!)).toEqual([]);
  });

  it('ensureSchedules creates the hourly catalog-sync Schedule (overlap skip, 1 h catch-up) and is idempotent', async () => {
    const client = api.deps.temporal!.client;
    await ensureSchedules(client);
    await ensureSchedules(client);
    const handle = client.schedule.getHandle(CATALOG_SYNC_SCHEDULE_ID);
    try {
      const schedule = await handle.describe();
      expect(schedule.policies.overlap).toBe('SKIP');
      expect(schedule.policies.catchupWindow).toBe(3_600_000);
      expect(schedule.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
      expect(schedule.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'catalogSyncWorkflow',
        workflowId: CATALOG_SYNC_WORKFLOW_ID,
        taskQueue: 'main',
        args: [{ triggerSource: 'schedule' }],
      });
      const attrs = schedule.action.typedSearchAttributes;
      expect(attrs && 'get' in attrs ? attrs.get(SearchAttr.TriggerSource) : undefined).toBe('schedule');
    } finally {
      // Never let the hourly run fire later in this test run.
      await handle.delete();
    }
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});
