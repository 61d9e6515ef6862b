import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';
import {
  createCampaign,
  createContact,
  createContent,
  createSequence,
  personalTeamId,
  someProductId,
} from '../support/e2e-data';

// Every page of the app through axe, in light and dark, at the project's width (1280 px, and 375 px in the
// phone project). Serious and critical violations fail the test; all of them are printed.

type Theme = 'light' | 'dark';
const themes: Theme[] = ['light', 'dark'];

async function setTheme(page: Page, theme: Theme): Promise<void> {
  const url = new URL(page.url());
  await page.context().addCookies([{ name: 'hf_theme', value: theme, domain: url.hostname, path: '/' }]);
}

/** axe's serious and critical findings on the page, one line each. */
async function findings(page: Page, label: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join('\n    ')}`,
    );
}

async function visitAll(page: Page, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const theme of themes) {
    await setTheme(page, theme);
    for (const path of paths) {
      const res = await page.goto(path);
      expect(res?.status(), `${path} answers`).toBeLessThan(400);
      await settled(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      found.push(...(await findings(page, `${path} [${theme}]`)));
    }
  }
  return found;
}

async function loggedOut(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } | null,
) {
  const context = await browser.newContext({ baseURL, viewport: viewport ?? undefined });
  const page = await context.newPage();
  await page.goto('/login');
  const found = await visitAll(page, ['/login', '/register']);
  await context.close();
  return found;
}

test('every page has no serious or critical axe violations, in light and dark', async ({
  page,
  browser,
  baseURL,
  viewport,
}) => {
  test.setTimeout(600_000);
  const user = newUser('Axe');
  await registerViaUi(page, user);
  const teamId = await personalTeamId(page);
  const campaignId = await createCampaign(page, teamId, 'Accessible spring push');
  await createContact(page, teamId, `ana.accessible.${Date.now()}@example.test`);
  const sequenceId = await createSequence(page, teamId, campaignId, 'Welcome series');
  const content = await createContent(page, teamId, campaignId);
  const productId = await someProductId(page);

  const team = `/teams/${teamId}`;
  const paths = [
    '/',
    '/products',
    ...(productId ? [`/products/${productId}`] : []),
    '/teams',
    team,
    `${team}/campaigns`,
    `${team}/campaigns/${campaignId}`,
    `${team}/campaigns/${campaignId}/links`,
    `${team}/content`,
    `${team}/content/${content.id}`,
    `${team}/automations`,
    `${team}/runs`,
    `${team}/runs/${encodeURIComponent(content.workflowId)}`,
    `${team}/contacts`,
    `${team}/sequences`,
    `${team}/sequences/${sequenceId}`,
    `${team}/broadcasts`,
    `${team}/bonuses`,
    `${team}/integrations`,
    '/operations',
  ];
  const found = await visitAll(page, paths);
  found.push(...(await loggedOut(browser, baseURL!, viewport)));

  if (found.length > 0) console.log(`axe findings:\n${found.join('\n')}`);
  expect(found, found.join('\n')).toEqual([]);
});
