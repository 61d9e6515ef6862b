import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';

const shots = path.join(__dirname, '../../test-results');

interface SandboxPost {
  id: number;
  status: string;
  link: string;
  title: { raw?: string; rendered: string };
  content: { raw?: string; rendered: string };
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar belongs at the top of the full-page shot
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('main journey: sync the catalog, create a campaign, watch the draft stream in, approve, the post is on WordPress, the run has a timeline', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const wordpress = process.env.E2E_WORDPRESS_SANDBOX_URL;
  if (!wordpress) throw new Error('Set E2E_WORDPRESS_SANDBOX_URL (scripts/e2e.sh does)');

  await registerViaUi(page, newUser('Journey'));
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Products: a manual sync shows live progress, then the results.
  await nav.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
  const sync = page.getByTestId('sync-panel');
  await sync.getByRole('button', { name: 'Sync catalog' }).click();
  await expect(sync).toHaveAttribute('data-running', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('sync-progress')).toBeVisible();
  await expect(sync.getByRole('progressbar')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'products-syncing-1280.png') });
  await expect(sync).toHaveAttribute('data-running', 'false', { timeout: 120_000 });
  await expect(page.getByTestId('last-sync')).toContainText(/Last sync .*\d[\d,]* products/);
  const cards = page.getByTestId('product-card');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBe(24);
  await screenshots(page, 'products');

  // Load more appends the next keyset page.
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(cards).toHaveCount(48);

  // Search by a word of the top product's title, then open it.
  const title = (await cards.first().getByRole('heading').innerText()).trim();
  const word = title.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w)) ?? title.split(/\s+/)[0] ?? title;
  await page.getByRole('searchbox', { name: 'Search' }).fill(word);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  const found = cards.filter({ hasText: title }).first();
  await expect(found).toBeVisible();
  await found.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('product-title')).toHaveText(title);
  await expect(page.getByTestId('gravity-chart')).toBeVisible();
  // ClickBank's details in words, never the feed's field names.
  await page.getByText('All details from ClickBank').click();
  await expect(page.getByText('Commission per sale')).toBeVisible();
  await expect(page.getByText('percentPerSale')).toHaveCount(0);
  await screenshots(page, 'product');

  // Create a campaign: the HopLink carries the campaign's tid.
  const campaignName = `Journey campaign ${Date.now()}`;
  await page.getByLabel('Campaign name').fill(campaignName);
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText(campaignName);
  const tid = (await page.getByTestId('tracking-id').innerText()).trim();
  expect(tid).toMatch(/^\S+$/);
  // The HopLink is folded away under the link to share.
  await page.getByText('The ClickBank HopLink behind it').click();
  const hoplink = await page.getByRole('textbox', { name: 'HopLink' }).inputValue();
  expect(hoplink).toMatch(/^https?:\/\//);
  expect(new URL(hoplink).searchParams.get('tid')).toBe(tid);
  // What content links to: the campaign's main tracking link, its clicks counted under the source `content`.
  const mainLink = await page.getByRole('textbox', { name: 'Main link', exact: true }).inputValue();
  expect(mainLink).toMatch(/^https?:\/\/[^/]+\/r\/[a-z0-9-]{3,40}$/);
  await screenshots(page, 'campaign');

  // The dashboard now suggests the next step: the first article for this campaign.
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  const firstContent = page.getByTestId('first-content');
  await expect(firstContent).toContainText(campaignName);
  await screenshots(page, 'dashboard-next');

  // Generate a review article for it.
  await firstContent.getByRole('link', { name: 'Write your first article' }).click();
  await expect(page.getByRole('heading', { name: 'Generate content' })).toBeVisible();
  await expect(page.getByLabel('Campaign')).toHaveValue(/.+/);
  await page.getByLabel('Type').selectOption('review_article');
  await page.getByLabel('Tone').fill('honest and upbeat');
  await page.getByLabel('Keywords').fill('review, results');
  await page.getByLabel('short').check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page).toHaveURL(/\/teams\/[^/]+\/content\/[0-9a-f-]{36}$/);
  const contentId = page.url().split('/').pop() ?? '';

  // The draft streams in: its text grows while the status is still "generating".
  const status = page.getByTestId('content-status');
  const draft = page.getByTestId('draft');
  await expect(page.getByTestId('steps')).toBeVisible();
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  const lengths: number[] = [];
  await expect
    .poll(
      async () => {
        if ((await status.getAttribute('data-status')) !== 'generating') return 'ended';
        const text = await draft.innerText();
        if (!text.startsWith('Claude is working')) lengths.push(text.length);
        const grew = lengths.length >= 2 && lengths[lengths.length - 1]! > lengths[0]!;
        return grew ? 'grew' : 'waiting';
      },
      { timeout: 90_000, intervals: [150] },
    )
    .toBe('grew');
  await screenshots(page, 'content-streaming');

  // A reload (a new EventSource) gets the text streamed so far replayed at once, not only new tokens.
  // (Its length may differ: the polish step streams a fresh revision of the text.)
  await page.reload();
  await expect
    .poll(
      async () => {
        const text = await draft.innerText();
        return text.length > 0 && !text.startsWith('Claude is working');
      },
      { timeout: 5_000, intervals: [100] },
    )
    .toBe(true);

  // Review: approve and publish now.
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 120_000 });
  const review = page.getByTestId('review');
  await expect(draft).not.toBeEmpty();
  // The text's own heading becomes the WordPress post's title.
  const textHeading = (await draft.getByRole('heading', { level: 1 }).first().innerText()).trim();
  expect(textHeading.length).toBeGreaterThan(0);

  // The UI's stream proxy passes Last-Event-ID on: resuming from an earlier event gets only the rest.
  const streamUrl = `${page.url()}/stream`;
  const full = await (await page.request.get(streamUrl)).text();
  const snapshot = /id: (\d+)\nevent: snapshot\ndata: (.*)\n/.exec(full);
  expect(snapshot, full.slice(0, 300)).not.toBeNull();
  const lastId = Number(snapshot?.[1]);
  const wholeText = (JSON.parse(snapshot?.[2] ?? '{}') as { text: string }).text;
  const resumed = await (
    await page.request.get(streamUrl, { headers: { 'last-event-id': String(lastId - 3) } })
  ).text();
  const delta = /event: delta\ndata: (.*)\n/.exec(resumed);
  expect(resumed).not.toContain('event: snapshot');
  const rest = (JSON.parse(delta?.[1] ?? '{}') as { text: string }).text;
  expect(rest.length).toBeGreaterThan(0);
  expect(wholeText.endsWith(rest)).toBe(true);
  await review.getByLabel('Publish to WordPress now').check();
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(status).toHaveAttribute('data-status', 'published', { timeout: 60_000 });
  const link = page.getByTestId('published-link');
  await expect(link).toBeVisible();
  const publishedUrl = await link.getAttribute('href');
  expect(publishedUrl).toMatch(/^https?:\/\//);
  await screenshots(page, 'content');

  // The post is on the WordPress sandbox, published.
  const posts = (await (await fetch(`${wordpress}/sandbox/posts`)).json()) as SandboxPost[];
  const post = posts.find((p) => p.link === publishedUrl);
  expect(post, `a post with link ${publishedUrl} among ${posts.length}`).toBeDefined();
  expect(post?.status).toBe('publish');
  expect(post?.title.raw ?? post?.title.rendered).toBe(textHeading);
  expect(post?.content.raw).not.toContain('<h1>'); // the heading is the title, not repeated in the body
  // ...and it earns: the campaign's link in a call to action, and the affiliate disclosure.
  expect(post?.content.raw).toContain(`<a href="${mainLink}?src=content">`);
  expect(post?.content.raw).toMatch(
    /Disclosure: this (is an affiliate link|article contains affiliate links)/,
  );

  // Runs: the content run is listed and its detail shows a step timeline and the Temporal Web link.
  await nav.getByRole('link', { name: 'Runs' }).click();
  const runLink = page
    .getByTestId('run-list')
    .locator(`a[href$="/runs/${encodeURIComponent(`content:${contentId}`)}"]`);
  await expect(runLink).toBeVisible();
  // Titled by what it does, and the whole row opens the run (the title link stays the keyboard's way in).
  await expect(runLink).toHaveText(`Review article for ${campaignName}`);
  const runRow = page
    .getByTestId('run-row')
    .filter({ has: page.locator(`a[href$="/runs/${encodeURIComponent(`content:${contentId}`)}"]`) });
  await runRow.locator('td').nth(1).click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/i);
  const steps = page.getByTestId('timeline-step');
  await expect(steps.first()).toBeVisible();
  expect(await steps.count()).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('temporal-link')).toHaveAttribute(
    'href',
    new RegExp(`/workflows/${encodeURIComponent(`content:${contentId}`)}`),
  );
  await screenshots(page, 'run');
});
