import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createAutomationActionActivities } from '../../activities/automation-actions';
import { createApp } from '../../api/app';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { startAnthropicSandbox } from '../../sandbox/anthropic/server';
import type { SandboxServer } from '../../sandbox/listen';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { installTemporalRuntime } from '../../temporal/runtime-logger';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';
import type { automationContentTestWorkflow } from '../support/workflows/automation-content.workflow';

/**
 * generate_content then publish_wordpress as the interpreter runs them: the activities in a worker of their own,
 * the content pipeline child on the real workers, Claude and WordPress sandboxes.
 */
describe('automation content steps', () => {
  jest.setTimeout(180_000);
  let config: Config;
  let db: Knex;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let claude: SandboxServer;
  let wordpress: SandboxServer;
  let workers: TestWorkers;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `automation-content-test-${randomUUID()}`;

  beforeAll(async () => {
    claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 1 });
    wordpress = await startWordpressSandbox({ port: 0 });
    const base = loadConfig();
    config = {
      ...base,
      integrations: {
        ...base.integrations,
        anthropic: { ...base.integrations.anthropic, mode: 'sandbox', baseUrl: claude.url },
        wordpress: { ...base.integrations.wordpress, mode: 'sandbox', sandboxUrl: wordpress.url },
      },
    };
    db = createDb(config);
    kv = await createKeyValue(config);
    temporal = await createTemporalClient(config);
    workers = await startTestWorkers({ db, config, kv });
    installTemporalRuntime(createLogger(config, 'automation-content-test-worker'));
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../support/workflows/automation-content.workflow'),
      activities: createAutomationActionActivities({ db, config, temporal: temporal.client }),
    });
    running = worker.run().finally(() => connection.close());
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await workers?.stop();
    await Promise.allSettled([db?.destroy(), kv?.close(), temporal?.close()]);
    await Promise.allSettled([claude?.close(), wordpress?.close()]);
  });

  it('creates the content row, waits for its draft and publishes it through the pipeline', async () => {
    const app = createApp({
      config,
      db,
      logger: createLogger(config, 'automation-content-test'),
      kv,
      temporal,
    });
    const { teamId, campaign } = await given.userWithCampaign({ app, db }, { label: 'auto-content' });
    const result = await temporal.client.workflow.execute<typeof automationContentTestWorkflow>(
      'automationContentTestWorkflow',
      { taskQueue, workflowId: `auto:test:${randomUUID()}`, args: [{ teamId, campaignId: campaign.id }] },
    );
    expect(result.prepared).toMatchObject({ campaignId: campaign.id });
    expect(result.draft).toMatchObject({ content_id: result.prepared.contentId, status: 'awaiting_review' });
    expect(result.publish).toMatchObject({
      content_id: result.prepared.contentId,
      status: 'published',
      post_id: expect.any(Number) as number,
      url: expect.any(String) as string,
    });
    expect(result.result).toMatchObject({ status: 'published' });
    const row = await db('content')
      .where({ id: result.prepared.contentId })
      .first<{ status: string; created_by: string | null }>();
    expect(row).toMatchObject({ status: 'published', created_by: null });
  });
});
