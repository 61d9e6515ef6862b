/**
 * Screenshots of the main pages at 1280 and 375 px into docs/screenshots/, against a running platform:
 *
 *   SHOT_UI_URL=http://127.0.0.1:3000 SHOT_API_URL=http://127.0.0.1:4000 SHOT_MAILBOX_URL=http://127.0.0.1:4703 \
 *     npx tsx scripts/screenshots.ts
 *
 * (the addresses `./hopflow start` prints: UI, API without /api/v1, Test mailbox). It registers a new user through
 * the UI, adds a little data through the API (a campaign, a piece waiting for review, contacts, a sequence, a live
 * automation from the lead template and a run of it, and the demo data: campaigns with 90 days of clicks and sales),
 * and takes the automations list, the automation's Steps tab with a step open, its run waiting between emails, the
 * dashboard, the best demo campaign's page, campaigns, content review, email and runs pages in the light theme.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const uiUrl = required('SHOT_UI_URL');
const apiUrl = `${required('SHOT_API_URL').replace(/\/+$/, '')}/api/v1`;
const mailboxUrl = required('SHOT_MAILBOX_URL').replace(/\/+$/, '');
const outDir = path.join(__dirname, '..', 'docs', 'screenshots');
const widths = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
];

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see the comment at the top of scripts/screenshots.ts)`);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, get: () => Promise<T | null>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

async function register(page: Page, email: string): Promise<void> {
  await page.goto(`${uiUrl}/register`);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByLabel('Name').fill('Maya Marketer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('check-inbox').waitFor();
  const link = await until('the confirmation email', async () => {
    const res = await fetch(`${mailboxUrl}/sandbox/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await res.json()) as { messages: { TextBody?: string }[] };
    return /https?:\/\/\S+/.exec(messages.at(-1)?.TextBody ?? '')?.[0] ?? null;
  });
  const url = new URL(link);
  await page.goto(`${uiUrl}${url.pathname}${url.search}`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Finish creating my account' }).click();
  await page.getByTestId('welcome').waitFor();
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: widths[0], colorScheme: 'light' });
  const page = await context.newPage();
  await register(page, `maya.${Date.now()}@example.test`);

  const token = (await context.cookies()).find((c) => c.name === 'hf_access')?.value;
  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${apiUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { teams } = await api<{ teams: { id: string; personal: boolean }[] }>('GET', '/me');
  const team = `/teams/${teams.find((t) => t.personal)!.id}`;
  const { campaign } = await api<{ campaign: { id: string } }>('POST', `${team}/campaigns`, {
    name: 'Keto spring push',
    vendor: 'KetoVend',
  });
  for (const [email, firstName] of [
    ['ana.whitfield@example.test', 'Ana'],
    ['bruno.costa@example.test', 'Bruno'],
    ['chloe.martin@example.test', 'Chloé'],
  ] as const) {
    await api('POST', `${team}/contacts`, { email, firstName, tags: ['readers'] });
  }
  await api('POST', `${team}/sequences`, {
    name: 'Welcome series',
    campaignId: campaign.id,
    trigger: 'manual',
  });
  const { content } = await api<{ content: { id: string } }>('POST', `${team}/content`, {
    campaignId: campaign.id,
    type: 'review_article',
    tone: 'friendly',
    keywords: ['keto', 'spring'],
    length: 'short',
  });
  await until('the piece to be ready for review', async () => {
    const got = await api<{ content: { status: string } }>('GET', `${team}/content/${content.id}`);
    return got.content.status === 'awaiting_review' ? true : null;
  });

  // An automation from the lead template, live, with a run waiting between its emails.
  const { automation } = await api<{ automation: { id: string } }>(
    'POST',
    `${team}/automations/from-template`,
    { template_id: 'webhook-lead-drip', values: { campaign_id: campaign.id } },
  );
  await api('POST', `${team}/automations/${automation.id}/activate`);
  const started = await api<{ workflow_id: string }>('POST', `${team}/automations/${automation.id}/runs`, {
    payload: { email: 'lee.park@example.test', name: 'Lee' },
  });
  const runPath = `${team}/automation-runs/${encodeURIComponent(started.workflow_id)}`;
  await until('the run to reach its first wait', async () => {
    const got = await api<{ run: { status: string } }>(
      'GET',
      `${team}/automation-runs/${encodeURIComponent(started.workflow_id)}`,
    );
    return got.run.status === 'waiting' ? true : null;
  });

  // The demo data (what `./hopflow demo-data` loads), so the dashboard and a campaign page show their figures.
  await api('POST', `${team}/demo-data`);
  const best = await api<{ rows: { key: string }[] }>(
    'GET',
    `${team}/analytics/breakdown?dimension=campaign&limit=1`,
  );

  const shots = [
    { name: 'automations', path: `${team}/automations` },
    { name: 'automation-editor', path: `${team}/automations/${automation.id}?step=welcome` },
    { name: 'automation-run', path: runPath },
    { name: 'dashboard', path: '/' },
    { name: 'campaign-figures', path: `${team}/campaigns/${best.rows[0]!.key}` },
    { name: 'campaigns', path: `${team}/campaigns` },
    { name: 'content-review', path: `${team}/content/${content.id}` },
    { name: 'email', path: `${team}/contacts` },
    { name: 'runs', path: `${team}/runs` },
  ];
  fs.mkdirSync(outDir, { recursive: true });
  for (const size of widths) {
    await page.setViewportSize(size);
    for (const shot of shots) {
      await page.goto(`${uiUrl}${shot.path}`);
      await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle').catch(() => undefined);
      // A page that scrolls to what it opens (a step) would put the sticky header mid-image.
      await page.evaluate(() => window.scrollTo(0, 0));
      await sleep(300);
      const file = path.join(outDir, `${shot.name}-${size.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
