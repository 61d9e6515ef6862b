import { randomUUID } from 'node:crypto';
import { IntegrationError } from '../../lib/integrations/adapters/errors';
import {
  createWordpressClient,
  type WordpressClientSettings,
} from '../../lib/integrations/adapters/wordpress';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import { startWordpressSandbox, type SandboxServer } from '../../sandbox/wordpress/server';

/** The WordPress adapter (plain fetch, application-password auth) against the WordPress sandbox. */
describe('WordPress adapter against the sandbox', () => {
  let sandbox: SandboxServer;
  let settings: WordpressClientSettings;

  beforeAll(async () => {
    sandbox = await startWordpressSandbox({ port: 0 });
    settings = { siteUrl: sandbox.url, ...SANDBOX_CREDENTIALS.wordpress };
  });
  afterAll(() => sandbox?.close());

  async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IntegrationError);
    return err as IntegrationError;
  }
  async function publicPosts(): Promise<{ id: number; status: string; title: { rendered: string } }[]> {
    return (await (await fetch(`${sandbox.url}/wp-json/wp/v2/posts?per_page=100`)).json()) as {
      id: number;
      status: string;
      title: { rendered: string };
    }[];
  }
  const post = (title: string) => ({
    title,
    content: `Intro paragraph.\n\nA second paragraph about ${title}.`,
    excerpt: 'Short summary',
    categories: [1],
  });

  it('creates a draft, then publishes it; only then is it in the public list', async () => {
    const wp = createWordpressClient(settings);
    const title = `Best keto snacks ${randomUUID().slice(0, 6)}`;
    const draft = await wp.createDraft(post(title));
    expect(draft).toMatchObject({ status: 'draft', title, link: `${sandbox.url}/?p=${draft.id}` });
    expect((await publicPosts()).some((p) => p.id === draft.id)).toBe(false);

    const published = await wp.publish({ id: draft.id });
    expect(published).toMatchObject({ id: draft.id, status: 'publish', title });
    const listed = await publicPosts();
    expect(listed[0]).toMatchObject({ id: draft.id, status: 'publish', title: { rendered: title } });
    await expect(wp.getPost(draft.id)).resolves.toMatchObject({ id: draft.id, status: 'publish' });
  });

  it('publishes a new post directly', async () => {
    const published = await createWordpressClient(settings).publish(post('Direct publish'));
    expect(published.status).toBe('publish');
    expect(published.slug).toBe('direct-publish');
  });

  it('schedules a post for a future time: status future at that date_gmt, hidden from the public list', async () => {
    const wp = createWordpressClient(settings);
    const when = new Date(Date.now() + 2 * 3600_000);
    when.setUTCMilliseconds(0);
    const scheduled = await wp.schedule(post('Scheduled review'), when);
    expect(scheduled.status).toBe('future');
    expect(scheduled.dateGmt).toBe(when.toISOString().slice(0, 19));
    expect((await publicPosts()).some((p) => p.id === scheduled.id)).toBe(false);

    // A draft scheduled later keeps its id; a date less than a minute ahead publishes at once (WordPress's rule).
    const draft = await wp.createDraft(post('Soon'));
    const soon = await wp.schedule({ id: draft.id }, new Date(Date.now() + 5_000));
    expect(soon).toMatchObject({ id: draft.id, status: 'publish' });
  });

  it('refuses wrong credentials as a permanent auth error', async () => {
    const wp = createWordpressClient({ ...settings, applicationPassword: 'invalid pass word' });
    const err = await failure(wp.createDraft(post('Nope')));
    expect(err).toMatchObject({
      provider: 'wordpress',
      kind: 'auth',
      retryable: false,
      status: 401,
      providerCode: 'incorrect_password',
    });
    await expect(
      createWordpressClient({ ...settings, username: 'nobody' }).testConnection(),
    ).rejects.toMatchObject({
      kind: 'auth',
      providerCode: 'invalid_username',
    });
  });

  it('reports a user who may not publish (403 rest_cannot_publish) as permanent, while drafts still work', async () => {
    const username = `contrib-${randomUUID().slice(0, 6)}`;
    const applicationPassword = 'abcd efgh ijkl mnop qrst uvwx';
    const added = await fetch(`${sandbox.url}/sandbox/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, applicationPassword, role: 'contributor' }),
    });
    expect(added.status).toBe(201);
    const wp = createWordpressClient({ siteUrl: sandbox.url, username, applicationPassword });
    await expect(wp.testConnection()).resolves.toMatchObject({ ok: true });
    await expect(wp.createDraft(post('Contributor draft'))).resolves.toMatchObject({ status: 'draft' });
    const err = await failure(wp.publish(post('Contributor post')));
    expect(err).toMatchObject({
      kind: 'auth',
      retryable: false,
      status: 403,
      providerCode: 'rest_cannot_publish',
    });
    expect(err.plainMessage).toContain(username);
  });

  it('maps 5xx and 429 to transient errors and a missing post to not_found', async () => {
    const wp = createWordpressClient(settings);
    const down = await failure(wp.createDraft(post('Outage [sandbox:503]')));
    expect(down).toMatchObject({ kind: 'unavailable', retryable: true, status: 503 });
    const limited = await failure(wp.createDraft(post('Busy [sandbox:429]')));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterSeconds: 1 });
    await expect(wp.createDraft(post('Flaky [sandbox:fail-once:503]')).catch(() => 'failed')).resolves.toBe(
      'failed',
    );
    await expect(wp.createDraft(post('Flaky [sandbox:fail-once:503]'))).resolves.toMatchObject({
      status: 'draft',
    });
    await expect(wp.getPost(999_999)).rejects.toMatchObject({ kind: 'not_found', retryable: false });
  });

  it('tests the connection with one cheap call', async () => {
    await expect(createWordpressClient(settings).testConnection()).resolves.toEqual({
      ok: true,
      detail: 'WordPress accepted the application password for sandbox (administrator).',
    });
  });

  it('reports a wrong site address (no REST route there) as permanent not_found', async () => {
    const wp = createWordpressClient({ ...settings, siteUrl: `${sandbox.url}/not-wordpress` });
    const err = await failure(wp.testConnection());
    expect(err).toMatchObject({ kind: 'not_found', retryable: false, status: 404 });
  });
});
