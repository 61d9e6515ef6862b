import type { Knex } from 'knex';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { startAnthropicSandbox } from '../../sandbox/anthropic/server';
import type { SandboxServer } from '../../sandbox/listen';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { bearer } from '../support/api';
import { givenAutomation } from '../support/automations';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * content.approved (raised by the review API) and content.published (raised by the publish activity) start the
 * automations listening for them, with the content in the payload: the real pipeline on the Claude and WordPress
 * sandboxes.
 */
describe('automation triggers: content events', () => {
  jest.setTimeout(120_000);
  let claude: SandboxServer;
  let wordpress: SandboxServer;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let deps: ApiDeps;
  let db: Knex;
  let workers: TestWorkers;

  beforeAll(async () => {
    claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 1 });
    wordpress = await startWordpressSandbox({ port: 0 });
    const base = loadConfig();
    const config: Config = {
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
    deps = { config, db, logger: createLogger(config, 'content-events-test'), kv, temporal };
    workers = await startTestWorkers({ db, config, kv });
  });
  afterAll(async () => {
    await workers?.stop();
    await Promise.allSettled([db?.destroy(), kv?.close(), temporal?.close()]);
    await Promise.allSettled([claude?.close(), wordpress?.close()]);
  });

  const runsOf = async (automationId: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await db('automation_runs')
        .where({ automation_id: automationId })
        .select<{ trigger_key: string; payload: unknown }[]>('trigger_key', 'payload');
      if (rows.length > 0 || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('approving and publishing a review article starts the automations of both events', async () => {
    const app = createApp(deps);
    const { user, teamId, campaign } = await given.userWithCampaign(
      { app, db },
      { label: 'content-events', campaign: { name: 'Keto events' } },
    );
    const approvedAutomation = await givenAutomation(db, {
      teamId,
      trigger: { type: 'event', event: 'content.approved', filter: 'trigger.publish == true' },
    });
    const publishedAutomation = await givenAutomation(db, {
      teamId,
      trigger: { type: 'event', event: 'content.published' },
    });

    const created = await request(app)
      .post(`/api/v1/teams/${teamId}/content`)
      .set(bearer(user.accessToken))
      .send({
        campaignId: campaign.id,
        type: 'review_article',
        tone: 'friendly',
        keywords: ['keto'],
        length: 'short',
      })
      .expect(202);
    const contentId = (created.body as { content: { id: string } }).content.id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(app)
        .get(`/api/v1/teams/${teamId}/content/${contentId}`)
        .set(bearer(user.accessToken));
      const status = (res.body as { content: { status: string } }).content.status;
      if (status === 'awaiting_review') break;
      if (status === 'failed' || Date.now() > deadline) throw new Error(`content is ${status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await request(app)
      .post(`/api/v1/teams/${teamId}/content/${contentId}/review`)
      .set(bearer(user.accessToken))
      .send({ decision: 'approve' })
      .expect(200);

    const [approved] = await runsOf(approvedAutomation.id);
    expect(approved!.trigger_key).toMatch(new RegExp(`^event:content\\.approved:${contentId}:`));
    expect(approved!.payload).toMatchObject({
      content: { id: contentId, campaign_id: campaign.id, type: 'review_article', keywords: ['keto'] },
      publish: true,
      publish_at: null,
    });
    const [published] = await runsOf(publishedAutomation.id);
    expect(published!.trigger_key).toBe(`event:content.published:${contentId}`);
    expect(published!.payload).toMatchObject({
      content: { id: contentId, status: 'published' },
      post_id: expect.any(Number) as number,
      url: expect.stringContaining('http') as string,
    });
  });
});
