import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal as temporalProto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { createKeyValue, type KeyValue } from '../../lib/kv';
import { createLogger } from '../../lib/logger';
import { escapeHtml } from '../../lib/html';
import { markdownToHtml } from '../../lib/content/markdown-html';
import { startAnthropicSandbox, type RecordedRequest } from '../../sandbox/anthropic/server';
import type { SandboxServer } from '../../sandbox/listen';
import { startWordpressSandbox } from '../../sandbox/wordpress/server';
import { getWorkflowBundle } from '../../temporal/bundle';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { bearer, type RegisteredUser } from '../support/api';
import { given } from '../support/fixtures';
import { historyPath } from '../support/histories';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The content pipeline end to end: API -> Temporal -> worker (real activities on the slow and main queues)
 * -> Claude and WordPress sandboxes, with the draft streamed over the kv bus to an SSE reader.
 */

interface ContentBody {
  id: string;
  status: string;
  step: string | null;
  body: string | null;
  publishAt: string | null;
  publishedUrl: string | null;
  wordpressPostId: number | null;
  tokens: { input: number; output: number };
  reviewNotes: string | null;
}

interface SseEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

describe('content pipeline', () => {
  let config: Config;
  let kv: KeyValue;
  let temporal: TemporalClient;
  let deps: ApiDeps;
  let app: ReturnType<typeof createApp>;
  let server: Server;
  let baseUrl: string;
  let claude: SandboxServer;
  let wordpress: SandboxServer;
  let workers: TestWorkers;
  let user: RegisteredUser;
  let teamId: string;
  let campaignId: string;

  beforeAll(async () => {
    claude = await startAnthropicSandbox({ port: 0, chunkDelayMs: 15 });
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
    const db = createDb(config);
    // One kv for API and worker, as in the embedded launcher (Redis db 9 under the tests).
    kv = await createKeyValue(config);
    temporal = await createTemporalClient(config);
    deps = { config, db, logger: createLogger(config, 'content-test'), kv, temporal };
    app = createApp(deps);
    server = app.listen(0);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    workers = await startTestWorkers({ db, config, kv });

    const start = await given.userWithCampaign(
      { app, db },
      {
        label: 'content-editor',
        campaign: {
          name: 'Keto spring push',
          product: {
            clickbank_id: `keto${Date.now()}`,
            title: 'Keto Kickstart Program',
            description: 'A 28-day ketogenic meal plan with recipes and shopping lists.',
            category_path: ['Health & Fitness', 'Diets & Weight Loss'],
            gravity: 42.5,
          },
        },
      },
    );
    ({ user, teamId } = start);
    campaignId = start.campaign.id;
  });

  afterAll(async () => {
    await workers?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await Promise.allSettled([deps?.db.destroy(), kv?.close(), temporal?.close()]);
    await Promise.allSettled([claude?.close(), wordpress?.close()]);
  });

  const api = (path: string) => `/api/v1/teams/${teamId}/content${path}`;

  async function create(overrides: Record<string, unknown> = {}): Promise<ContentBody> {
    const res = await request(app)
      .post(api(''))
      .set(bearer(user.accessToken))
      .send({
        campaignId,
        type: 'review_article',
        tone: 'friendly',
        keywords: ['keto'],
        length: 'short',
        ...overrides,
      });
    expect(res.status).toBe(202);
    const body = res.body as { content: ContentBody; workflowId: string };
    expect(body.workflowId).toBe(`content:${body.content.id}`);
    expect(body.content.status).toBe('generating');
    return body.content;
  }

  async function get(id: string): Promise<{ content: ContentBody; progress?: Record<string, unknown> }> {
    const res = await request(app)
      .get(api(`/${id}`))
      .set(bearer(user.accessToken));
    expect(res.status).toBe(200);
    return res.body as { content: ContentBody; progress?: Record<string, unknown> };
  }

  async function waitForStatus(id: string, status: string, timeoutMs = 45_000): Promise<ContentBody> {
    const deadline = Date.now() + timeoutMs;
    let last: ContentBody | undefined;
    while (Date.now() < deadline) {
      last = (await get(id)).content;
      if (last.status === status) return last;
      if (last.status === 'failed') throw new Error(`content failed: ${JSON.stringify(last)}`);
      await sleep(200);
    }
    throw new Error(`content ${id} never reached ${status}; last: ${JSON.stringify(last)}`);
  }

  const review = (id: string, body: object) =>
    request(app)
      .post(api(`/${id}/review`))
      .set(bearer(user.accessToken))
      .send(body);

  /** Reads SSE events until `done`, or until `stopAfter` says so (then aborts, like a closing tab). */
  async function readStream(
    id: string,
    opts: { lastEventId?: string; stopAfter?: (events: SseEvent[]) => boolean } = {},
  ): Promise<SseEvent[]> {
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}${api(`/${id}/stream`)}`, {
      headers: {
        ...bearer(user.accessToken),
        accept: 'text/event-stream',
        ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}),
      },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: SseEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return events;
        buffer += decoder.decode(value, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          ) as Record<string, string>;
          if (!fields.event) continue;
          events.push({
            event: fields.event,
            ...(fields.id !== undefined ? { id: fields.id } : {}),
            data: JSON.parse(fields.data ?? '{}') as Record<string, unknown>,
          });
          if (fields.event === 'done' || opts.stopAfter?.(events)) {
            controller.abort();
            return events;
          }
        }
      }
    } catch (err) {
      if (controller.signal.aborted) return events;
      throw err;
    }
  }

  /** What a browser shows: a snapshot replaces the text, a delta appends to it. */
  const applyEvents = (text: string, events: SseEvent[]): string =>
    events.reduce((acc, e) => {
      if (e.event === 'snapshot') return String(e.data.text);
      if (e.event === 'delta') return acc + String(e.data.text);
      return acc;
    }, text);

  async function claudeRequests(): Promise<RecordedRequest[]> {
    const res = await fetch(`${claude.url}/sandbox/requests`);
    return ((await res.json()) as { requests: RecordedRequest[] }).requests;
  }

  interface WpPost {
    id: number;
    status: string;
    link: string;
    title: { raw?: string; rendered: string };
    content: { raw?: string; rendered: string };
  }

  interface Revision {
    id: string;
    kind: 'draft' | 'revise' | 'edit';
    body: string | null;
    note: string | null;
    author: { id: string; name: string } | null;
    createdAt: string;
  }
  async function revisions(id: string): Promise<Revision[]> {
    const res = await request(app)
      .get(api(`/${id}/revisions`))
      .set(bearer(user.accessToken));
    expect(res.status).toBe(200);
    return (res.body as { revisions: Revision[] }).revisions;
  }
  const saveEdit = (id: string, body: string) =>
    request(app)
      .post(api(`/${id}/revisions`))
      .set(bearer(user.accessToken))
      .send({ body });

  /** What content links to: the campaign's main tracking link, counted under the source `content`. */
  const hoplink = async (): Promise<string> => {
    const { slug } = await deps
      .db('tracking_links')
      .where({ campaign_id: campaignId, is_primary: true })
      .first<{ slug: string }>('slug');
    return `${config.links.publicUrl}/r/${slug}?src=content`;
  };
  const occurrences = (text: string, part: string) => text.split(part).length - 1;
  async function wordpressPosts(): Promise<WpPost[]> {
    return (await (await fetch(`${wordpress.url}/sandbox/posts`)).json()) as WpPost[];
  }

  it('streams the draft, refuses impossible reviews, revises with notes and publishes to WordPress', async () => {
    const created = await create();

    // First reader leaves mid-draft; the second resumes from Last-Event-ID.
    const first = await readStream(created.id, {
      stopAfter: (events) => events.filter((e) => e.event === 'delta').length >= 5,
    });
    expect(first[0]?.event).toBe('snapshot');
    expect(first.some((e) => e.event === 'done')).toBe(false);
    const lastId = [...first].reverse().find((e) => e.id !== undefined)?.id;
    expect(lastId).toBeDefined();
    const second = await readStream(created.id, { lastEventId: lastId! });
    expect(second.at(-1)).toMatchObject({ event: 'done', data: { status: 'awaiting_review' } });

    // Ids only grow across both connections: nothing is sent twice.
    const ids = [...first, ...second].filter((e) => e.id !== undefined).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);

    const ready = await waitForStatus(created.id, 'awaiting_review');
    expect(ready.body).toBeTruthy();
    expect(applyEvents(applyEvents('', first), second)).toBe(ready.body);
    // ...from the live stream itself, not from the end-of-stream correction for lost messages.
    expect([...first, ...second].filter((e) => e.data.final === true)).toEqual([]);
    expect(ready.tokens.input).toBeGreaterThan(0);
    expect(ready.tokens.output).toBeGreaterThan(0);
    const { progress } = await get(created.id);
    expect(progress).toMatchObject({ status: 'awaiting_review', percent: 100, tokens: ready.tokens });

    // A late reader gets the whole text at once, then done.
    const late = await readStream(created.id);
    expect(applyEvents('', late)).toBe(ready.body);

    // The update validator refuses impossible decisions synchronously.
    const past = await review(created.id, {
      decision: 'approve',
      publishAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(409);
    expect(past.body).toMatchObject({
      error: { code: 'invalid_transition', message: 'publishAt must be in the future' },
    });
    const noNotes = await review(created.id, { decision: 'revise' });
    expect(noNotes.status).toBe(409);
    const notScheduled = await request(app)
      .post(api(`/${created.id}/schedule`))
      .set(bearer(user.accessToken))
      .send({ publishAt: null });
    expect(notScheduled.status).toBe(409);

    // Revise: the notes reach the next Claude prompt.
    const notes = 'Mention the sixty-day refund guarantee clearly';
    const revised = await review(created.id, { decision: 'revise', notes });
    expect(revised.status).toBe(200);
    expect((revised.body as { content: ContentBody }).content).toMatchObject({
      status: 'generating',
      reviewNotes: notes,
    });
    const again = await waitForStatus(created.id, 'awaiting_review');
    expect((await claudeRequests()).some((r) => r.prompt?.includes(notes))).toBe(true);
    expect(again.body).not.toBe(ready.body);

    // The reviewer edits the text (leaving out the link): the edit is the item's text and a revision.
    const edited = '# My own take\n\nI rewrote this **myself**.\n\n- Short recipes\n- Clear shopping lists';
    const saved = await saveEdit(created.id, edited);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      revision: { kind: 'edit', body: edited, author: { id: user.id } },
      content: { body: edited, status: 'awaiting_review' },
    });
    const trail = await revisions(created.id);
    expect(trail.map((r) => r.kind)).toEqual(['draft', 'revise', 'draft', 'edit']);
    expect(trail[0]).toMatchObject({ author: null, body: ready.body });
    expect(trail[1]).toMatchObject({ note: notes, author: { id: user.id } });
    expect(trail[2]?.body).toBe(again.body);
    expect((await saveEdit(created.id, '   ')).status).toBe(400);

    // Approve: the edited text is published now to WordPress, with the campaign's link and the disclosure.
    const approved = await review(created.id, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const published = await waitForStatus(created.id, 'published');
    expect(published.publishedUrl).toMatch(/^http/);
    const post = (await wordpressPosts()).find((p) => p.id === published.wordpressPostId);
    expect(post).toMatchObject({ status: 'publish', link: published.publishedUrl });
    const link = await hoplink();
    // WordPress gets HTML; the item keeps the Markdown that was published.
    expect(post!.content.raw).toContain('I rewrote this <strong>myself</strong>.');
    expect(post!.content.raw).toContain('<li>Clear shopping lists</li>');
    expect(occurrences(post!.content.raw!, `href="${escapeHtml(link)}"`)).toBe(1);
    expect(post!.content.raw).toMatch(/<em>Disclosure: this article contains affiliate links/);
    expect(published.body).toContain('I rewrote this **myself**.');
    // The text's own heading is the post's title, not the item's label, and is not repeated in the body.
    expect(post!.title.raw).toBe('My own take');
    expect(post!.content.raw).not.toContain('<h1>');
    expect(post!.content.raw).toBe(markdownToHtml(published.body!.replace('# My own take\n', '')));
    // Editing after the decision is refused.
    expect((await saveEdit(created.id, 'Too late')).status).toBe(409);

    // The run has ended: a second approval is refused.
    const twice = await review(created.id, { decision: 'approve' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: 'invalid_transition' } });

    const usage = await deps
      .db('token_usage')
      .where({ content_id: created.id })
      .orderBy('id')
      .select<{ step: string; team_id: string; workflow_id: string; input_tokens: number }[]>('*');
    expect(usage.map((u) => u.step)).toEqual(['brief', 'outline', 'draft', 'polish', 'draft', 'polish']);
    expect(usage.every((u) => u.team_id === teamId && u.workflow_id === `content:${created.id}`)).toBe(true);

    // The finished run replays deterministically on the current code; SAVE_REPLAY_HISTORY=1 refreshes the
    // saved history that content-replay.test.ts replays on every run.
    const history = await temporal.client.workflow.getHandle(`content:${created.id}`).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await getWorkflowBundle() }, history);
    if (process.env.SAVE_REPLAY_HISTORY === '1') {
      // Binary protobuf: the JSON helpers of this SDK install mix two protobufjs versions and fail.
      const bytes = temporalProto.api.history.v1.History.encode(history).finish();
      fs.writeFileSync(historyPath('contentPipelineWorkflow.revise-approve.bin'), bytes);
    }
  });

  it('cancels a schedule, then publishes at a scheduled time that was moved once', async () => {
    const created = await create({ type: 'email', keywords: ['breakfast'] });
    await waitForStatus(created.id, 'awaiting_review');

    // Scheduled, then cancelled: back to awaiting review with no publish time.
    const farAt = new Date(Date.now() + 60 * 60_000).toISOString();
    expect((await review(created.id, { decision: 'approve', publishAt: farAt })).status).toBe(200);
    const cancelled = await request(app)
      .post(api(`/${created.id}/schedule`))
      .set(bearer(user.accessToken))
      .send({ publishAt: null });
    expect(cancelled.status).toBe(200);
    expect((cancelled.body as { content: ContentBody }).content).toMatchObject({
      status: 'awaiting_review',
      publishAt: null,
    });

    const firstAt = new Date(Date.now() + 3_000).toISOString();
    const approved = await review(created.id, { decision: 'approve', publishAt: firstAt });
    expect(approved.status).toBe(200);
    expect((approved.body as { content: ContentBody }).content).toMatchObject({
      status: 'scheduled',
      publishAt: firstAt,
    });

    const movedAt = new Date(Date.now() + 5_000);
    const moved = await request(app)
      .post(api(`/${created.id}/schedule`))
      .set(bearer(user.accessToken))
      .send({ publishAt: movedAt.toISOString() });
    expect(moved.status).toBe(200);
    expect((moved.body as { content: ContentBody }).content.publishAt).toBe(movedAt.toISOString());

    await sleep(Math.max(0, new Date(firstAt).getTime() - Date.now()) + 500);
    expect((await get(created.id)).content.status).toBe('scheduled');
    const published = await waitForStatus(created.id, 'published', 20_000);
    const row = await deps
      .db('content')
      .where({ id: created.id })
      .first<{ published_at: Date }>('published_at');
    expect(row.published_at.getTime()).toBeGreaterThanOrEqual(movedAt.getTime());
    expect(
      (await wordpressPosts()).some((p) => p.id === published.wordpressPostId && p.status === 'publish'),
    ).toBe(true);
  });

  it('publishes the link and the disclosure the model left out, each once', async () => {
    const created = await create({ keywords: ['keto', '[sandbox:no-cta]'] });
    const ready = await waitForStatus(created.id, 'awaiting_review');
    const link = await hoplink();
    // Claude wrote neither (the sandbox was told to leave them out); the pipeline added both.
    const polish = (await claudeRequests()).find(
      (r) => r.prompt?.startsWith('Polish') && r.prompt.includes('no-cta'),
    );
    expect(polish).toBeDefined();
    expect(ready.body).toMatch(/^# Keto Kickstart Program review/);
    expect(ready.body).toContain(`[Get Keto Kickstart Program here](${link})`);
    expect(occurrences(ready.body!, link)).toBe(1);
    expect(occurrences(ready.body!, 'Disclosure:')).toBe(1);
    expect((await review(created.id, { decision: 'approve' })).status).toBe(200);
    const published = await waitForStatus(created.id, 'published');
    const post = (await wordpressPosts()).find((p) => p.id === published.wordpressPostId);
    const heading = /^# (.+)$/m.exec(ready.body!)?.[1];
    expect(heading).toMatch(/^Keto Kickstart Program review/);
    expect(post!.title.raw).toBe(heading);
    expect(post!.content.raw).not.toMatch(/<h1>/);
    expect(post!.content.raw).toBe(markdownToHtml(ready.body!.replace(/^# .*\n/, '')));
    expect(post!.content.rendered).toContain(
      `<a href="${escapeHtml(link)}">Get Keto Kickstart Program here</a>`,
    );
  });

  it('makes an approved social post ready to copy, with link and #ad, and sends nothing to WordPress', async () => {
    const created = await create({ type: 'social_post', keywords: ['smoothies', '[sandbox:no-cta]'] });
    const ready = await waitForStatus(created.id, 'awaiting_review');
    const link = await hoplink();
    expect(ready.body).toContain(`Get Keto Kickstart Program here: ${link}`);
    expect(ready.body).toMatch(/#ad \(affiliate link\)$/);
    const scheduled = await review(created.id, {
      decision: 'approve',
      publishAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    });
    expect(scheduled.status).toBe(409);
    expect((scheduled.body as { error: { message: string } }).error.message).toMatch(/copy the text/);
    const before = (await wordpressPosts()).length;
    expect((await review(created.id, { decision: 'approve' })).status).toBe(200);
    const approved = await waitForStatus(created.id, 'approved');
    expect(approved).toMatchObject({ wordpressPostId: null, publishedUrl: null, body: ready.body });
    expect((await wordpressPosts()).length).toBe(before);
  });

  it('keeps an approved item as a WordPress draft when publish is false, and ends on reject', async () => {
    const [kept, rejected] = await Promise.all([
      create({ type: 'landing_page', keywords: ['smoothies'] }),
      create({ type: 'landing_page', keywords: ['mealprep'] }),
    ]);
    const early = await review(kept.id, { decision: 'approve' });
    expect(early.status).toBe(409);
    expect((early.body as { error: { message: string } }).error.message).toMatch(/still generating/);
    await Promise.all([
      waitForStatus(kept.id, 'awaiting_review'),
      waitForStatus(rejected.id, 'awaiting_review'),
    ]);
    expect((await review(kept.id, { decision: 'approve', publish: false })).status).toBe(200);
    expect((await review(rejected.id, { decision: 'reject', notes: 'Off brand' })).status).toBe(200);
    const draft = await waitForStatus(kept.id, 'draft');
    expect((await wordpressPosts()).find((p) => p.id === draft.wordpressPostId)?.status).toBe('draft');
    expect(draft.publishedUrl).toBeNull();
    const done = await waitForStatus(rejected.id, 'rejected');
    expect(done.wordpressPostId).toBeNull();
  });

  it('marks the item failed when its run is cancelled', async () => {
    const created = await create({ type: 'email', keywords: ['cancelled'] });
    await waitForStatus(created.id, 'awaiting_review');
    await temporal.client.workflow.getHandle(`content:${created.id}`).cancel();
    const failed = await deps
      .db('content')
      .where({ id: created.id })
      .first<{ status: string; failure: string }>();
    const deadline = Date.now() + 15_000;
    let row = failed;
    while (row.status !== 'failed' && Date.now() < deadline) {
      await sleep(200);
      row = await deps.db('content').where({ id: created.id }).first<{ status: string; failure: string }>();
    }
    expect(row).toMatchObject({ status: 'failed', failure: 'The run was cancelled' });
    const afterwards = await review(created.id, { decision: 'approve' });
    expect(afterwards.status).toBe(409);
  });

  it('retries a step Claude refuses once with 529 and still completes', async () => {
    const created = await create({ type: 'email', keywords: ['hydration', '[sandbox:fail-once:529]'] });
    await waitForStatus(created.id, 'awaiting_review', 60_000);
    const mine = (await claudeRequests()).filter((r) => r.prompt?.includes('hydration'));
    expect(mine.filter((r) => r.status === 529).length).toBeGreaterThanOrEqual(1);
    expect(mine.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
  });
});
