import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';
import {
  createCampaign,
  createContact,
  createContent,
  createTeam,
  personalTeamId,
} from '../support/e2e-data';

// The app shell: team switcher, phone-width menu drawer, skip link, stacked tables, dashboard, operations.
// Runs in the desktop (1280 px) and the phone (375 px) project.

const isPhone = (info: TestInfo) => info.project.name === 'phone';

/** Follows a main section link: from the nav row on a desktop, from the menu drawer on a phone. */
async function openSection(page: Page, info: TestInfo, label: string): Promise<void> {
  if (isPhone(info)) {
    await page.getByTestId('menu-button').click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: label }).click();
    await expect(page.getByRole('dialog', { name: 'Menu' })).toHaveCount(0);
  } else {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  }
}

async function pickTeam(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.getByTestId('team-switcher').click();
  await page.getByRole('menuitem', { name }).click();
  await expect(page.getByTestId('team-switcher')).toContainText(name);
}

/** The page never scrolls sideways (nothing is wider than the viewport). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

test('the chosen team stays chosen across pages and a new tab; a team one cannot see falls back', async ({
  page,
}, info) => {
  const user = newUser('Switcher');
  await registerViaUi(page, user);
  const personal = await personalTeamId(page);
  const otherName = `Launch crew ${Date.now().toString(36)}`;
  const other = await createTeam(page, otherName);
  await page.reload();

  await test.step('pick the other team on the dashboard', async () => {
    await pickTeam(page, otherName);
    await expect(page).toHaveURL(new RegExp(`/\\?team=${other}$`));
    await expect(page.getByText(`What needs you next in ${otherName}`)).toBeVisible();
  });

  await test.step('the main links open that team, not the personal one', async () => {
    await openSection(page, info, 'Campaigns');
    await expect(page).toHaveURL(new RegExp(`/teams/${other}/campaigns$`));
    await openSection(page, info, 'Content');
    await expect(page).toHaveURL(new RegExp(`/teams/${other}/content$`));
    await openSection(page, info, 'Dashboard');
    await expect(page.getByText(`What needs you next in ${otherName}`)).toBeVisible();
  });

  await test.step('a new tab opens the chosen team too', async () => {
    const tab = await page.context().newPage();
    await tab.goto('/runs');
    await expect(tab).toHaveURL(new RegExp(`/teams/${other}/runs$`));
    await expect(tab.getByTestId('team-switcher')).toContainText(otherName);
    // Opening a page of the personal team makes it the chosen one.
    await tab.goto(`/teams/${personal}/contacts`);
    await tab.close();
    await page.goto('/settings');
    await expect(page).toHaveURL(new RegExp(`/teams/${personal}/integrations$`));
  });

  await test.step('switching on a team page opens the same section of the other team', async () => {
    await page.goto(`/teams/${personal}/contacts`);
    await pickTeam(page, otherName);
    await expect(page).toHaveURL(new RegExp(`/teams/${other}/contacts$`));
  });

  await test.step('a remembered team the user cannot see falls back to the personal team', async () => {
    const url = new URL(page.url());
    await page
      .context()
      .addCookies([
        { name: 'hf_team', value: '00000000-0000-4000-8000-000000000000', domain: url.hostname, path: '/' },
      ]);
    await page.goto('/campaigns');
    await expect(page).toHaveURL(new RegExp(`/teams/${personal}/campaigns$`));
  });
});

test('at phone width the menu button opens the navigation in a drawer that traps focus and closes', async ({
  page,
}, info) => {
  test.skip(!isPhone(info), 'phone width only');
  await registerViaUi(page, newUser('Drawer'));
  await settled(page);
  const menu = page.getByTestId('menu-button');
  const drawer = page.getByRole('dialog', { name: 'Menu' });

  await expect(menu).toBeVisible();
  await expect(menu).toHaveText(/Menu/);
  // The nav row is gone at this width: only the drawer holds the sections.
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expectNoSidewaysScroll(page);

  await menu.click();
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(menu).toBeFocused();

  // Keyboard only: open, Tab stays inside the drawer, Enter on a link navigates and closes it.
  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press('Tab');
    expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await drawer.getByRole('link', { name: 'Teams' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/teams$/);
  await expect(drawer).toHaveCount(0);
  await menu.click();
  await expect(drawer.getByRole('link', { name: 'Teams' })).toHaveAttribute('aria-current', 'page');
  await drawer.getByRole('button', { name: 'Close menu' }).click();
  await expect(drawer).toHaveCount(0);
});

test('a skip link leads past the header to the page content', async ({ page }) => {
  await registerViaUi(page, newUser('Skipper'));
  await page.goto('/teams');
  await settled(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main#main')).toBeFocused();
});

test('tables become stacked rows at phone width; a long email stays on one or two lines', async ({
  page,
}, info) => {
  await registerViaUi(page, newUser('Tables'));
  const teamId = await personalTeamId(page);
  const email = `anastasia.whitfield.${Date.now().toString().slice(-6)}@example.test`;
  await createContact(page, teamId, email);
  await page.goto(`/teams/${teamId}/contacts`);
  const row = page.locator(`[data-testid="contact-row"][data-email="${email}"]`);
  await expect(row).toBeVisible();
  const first = (await row.locator('td').first().boundingBox())!;
  const status = (await row.locator('td[data-label="Status"]').boundingBox())!;

  if (!isPhone(info)) {
    // A normal table row: the status cell sits beside the contact.
    await expect(page.getByTestId('contact-list').locator('th').first()).toBeVisible();
    expect(status.x).toBeGreaterThan(first.x + first.width - 1);
    return;
  }
  // Stacked: the status cell is under the contact, labelled, and the column headers are out of sight.
  expect(status.y).toBeGreaterThanOrEqual(first.y + first.height - 1);
  expect(Math.abs(status.x - first.x)).toBeLessThan(2);
  const label = await row
    .locator('td[data-label="Status"]')
    .evaluate((el) => getComputedStyle(el, '::before').content);
  expect(label).toBe('"Status"');
  const headerBox = await page.getByTestId('contact-list').locator('thead').boundingBox();
  expect(headerBox?.height ?? 0).toBeLessThanOrEqual(1);
  const lines = await row.getByText(email, { exact: true }).evaluate((el) => {
    const style = getComputedStyle(el);
    return el.getBoundingClientRect().height / parseFloat(style.lineHeight);
  });
  expect(lines).toBeLessThanOrEqual(2.2);
  // Every cell fits the screen: nothing clipped at the right edge.
  const rights = await row
    .locator('td')
    .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().right));
  for (const right of rights) expect(right).toBeLessThanOrEqual(375);
  await expectNoSidewaysScroll(page);
});

test('the dashboard leads with next steps: first campaign, then content waiting for review', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await registerViaUi(page, newUser('Next'));
  const teamId = await personalTeamId(page);

  await test.step('a new team is told to create its first campaign', async () => {
    await expect(page.getByTestId('first-step')).toContainText('Create your first campaign');
    await expect(page.getByTestId('next-reviews')).toContainText('Nothing to review');
    await expect(page.getByTestId('next-sequences')).toContainText('No one is in a sequence');
    // The platform check is on the operations page, not here.
    await expect(page.getByText('Platform check')).toHaveCount(0);
    await page.getByTestId('first-step').getByRole('link', { name: 'Create a campaign' }).click();
    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/campaigns$`));
  });

  await test.step('content waiting for review is listed and opens', async () => {
    const campaignId = await createCampaign(page, teamId, 'Spring push');
    const content = await createContent(page, teamId, campaignId);
    await page.goto('/');
    await expect(page.getByTestId('first-step')).toHaveCount(0);
    const reviews = page.getByTestId('next-reviews');
    await expect(reviews.locator('.count')).toHaveText('1');
    await reviews.getByRole('listitem').getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/content/${content.id}$`));
  });
});

test('owners find the operations page in the menu; it runs the platform check', async ({ page }, info) => {
  test.setTimeout(120_000);
  await registerViaUi(page, newUser('Operator'));
  await openSection(page, info, 'Operations');
  await expect(page).toHaveURL(/\/operations$/);
  await expect(page.getByRole('heading', { name: 'Operations', level: 1 })).toBeVisible();
  await settled(page);
  await page.getByRole('button', { name: 'Run platform check' }).click();
  await expect(page.getByTestId('current-check')).toHaveAttribute('data-status', 'completed', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('recent-checks').locator('li')).toHaveCount(1);
  await expectNoSidewaysScroll(page);
});
