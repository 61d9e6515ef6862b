import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';
import { seriousAxeFindings } from '../support/e2e-automations';

// The figures pages with the demo data, loaded the way a newcomer does (the dashboard's "Load demo data", the
// same code as ./hopflow demo-data): figures and charts, range and basis changing them, a campaign's chart and
// its sources, CSV, phone width, dark mode and axe.

const kpi = (page: Page, id: string) => page.getByTestId(`kpi-${id}`).locator('.value');
const number = async (page: Page, id: string) =>
  Number((await kpi(page, id).innerText()).replace(/[^0-9.-]/g, ''));

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'nothing scrolls sideways').toBeLessThanOrEqual(0);
}

async function axeIn(page: Page, theme: 'light' | 'dark', label: string): Promise<string[]> {
  const url = new URL(page.url());
  await page.context().addCookies([{ name: 'hf_theme', value: theme, domain: url.hostname, path: '/' }]);
  await page.reload();
  await settled(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  return (await seriousAxeFindings(page)).map((f) => `${label} [${theme}]: ${f}`);
}

test('the dashboard and a campaign page lead with the demo figures', async ({ page }) => {
  test.setTimeout(300_000);
  await registerViaUi(page, newUser('Figures'));

  // A new team: the empty state says what to do, and offers the demo.
  await page.goto('/');
  const empty = page.getByTestId('figures-empty');
  await expect(empty).toContainText('No clicks or sales yet');
  // One way to create the first campaign, not two.
  await expect(page.getByRole('link', { name: 'Create a campaign' })).toHaveCount(1);
  await expect(page.getByTestId('first-step').getByRole('link', { name: 'Create a campaign' })).toBeVisible();
  await settled(page);
  await empty.getByRole('button', { name: 'Load demo data' }).click();
  await expect(empty.getByTestId('demo-loading')).toContainText('this can take a minute');
  // The note shows where the figures start, focused (so in view), not below the tables.
  await expect(page.getByTestId('demo-loaded')).toContainText('Demo data loaded: 4 campaigns', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('demo-loaded')).toBeFocused();
  await expect(page.getByTestId('demo-loaded')).toBeInViewport();

  // Figures and both charts.
  const figures = page.getByTestId('figures');
  await expect(figures.getByTestId('range-30')).toHaveAttribute('aria-current', 'true');
  const clicks30 = await number(page, 'clicks');
  expect(clicks30).toBeGreaterThan(1000);
  expect(await number(page, 'sales')).toBeGreaterThan(10);
  expect(await number(page, 'net')).toBeGreaterThan(100);
  await expect(page.getByTestId('chart-clicks').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('chart-net').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('top-campaign').getByTestId('row')).toHaveCount(4);
  await expect(page.getByTestId('top-source').getByTestId('row').first()).toBeVisible();
  await expect(page.getByTestId('top-product').getByTestId('row').first()).toBeVisible();

  // The range changes the figures.
  await page.getByTestId('range-7').click();
  await expect(page.getByTestId('range-7')).toHaveAttribute('aria-current', 'true');
  const clicks7 = await number(page, 'clicks');
  expect(clicks7).toBeGreaterThan(0);
  expect(clicks7).toBeLessThan(clicks30);
  await page.getByTestId('range-90').click();
  await expect(page.getByTestId('range-90')).toHaveAttribute('aria-current', 'true');
  expect(await number(page, 'clicks')).toBeGreaterThan(clicks30);
  // Ninety days of revenue stays on one line in its tile; counts and today's partial day read plainly.
  const net = kpi(page, 'net');
  const lineHeight = await net.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await net.boundingBox())!.height).toBeLessThan(lineHeight * 1.6);
  await expect(page.getByTestId('kpi-refunds')).toContainText('of sales and rebills');
  await expect(page.getByTestId('kpi-sales')).not.toContainText(/plus 1 rebills/);
  await expect(page.getByTestId('today-so-far')).toContainText('today so far');

  // Custom days: one week in the middle.
  await page.locator('summary', { hasText: 'Custom dates' }).click();
  const custom = page.getByTestId('custom-days');
  const to = await custom.getByLabel('To').inputValue();
  const from = new Date(`${to}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 40);
  const end = new Date(from);
  end.setUTCDate(end.getUTCDate() + 6);
  await custom.getByLabel('From').fill(from.toISOString().slice(0, 10));
  await custom.getByLabel('To').fill(end.toISOString().slice(0, 10));
  await custom.getByRole('button', { name: 'Show these days' }).click();
  await expect(page.getByTestId('range-label')).not.toContainText('Last');
  expect(await number(page, 'clicks')).toBeGreaterThan(0);

  // Days without figures in a team that has some elsewhere: said so, with a way back, and no demo offer.
  const q = new URL(page.url());
  q.searchParams.set('from', '2024-01-01');
  q.searchParams.set('to', '2024-01-31');
  await page.goto(q.toString());
  await expect(page.getByTestId('figures-none-here')).toContainText('No clicks or sales between these dates');
  await expect(page.getByRole('button', { name: 'Load demo data' })).toHaveCount(0);
  // Days still to come are not a first day either.
  q.searchParams.set('from', `${Number(to.slice(0, 4)) + 1}-01-01`);
  q.searchParams.set('to', `${Number(to.slice(0, 4)) + 1}-01-31`);
  await page.goto(q.toString());
  await expect(page.getByTestId('figures-future')).toContainText('These dates have not come yet');
  await page.getByTestId('figures-future').getByRole('link', { name: 'Show the last 30 days' }).click();
  await expect(page.getByTestId('range-30')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('kpis')).toBeVisible();

  // The basis moves sales between days: over 7 days, sales by click date differ from sales by sale date.
  await page.getByTestId('range-7').click();
  await expect(page.getByTestId('range-7')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('basis-sale')).toHaveAttribute('aria-current', 'true');
  const netBySale = await kpi(page, 'net').innerText();
  await page.getByTestId('basis-click').click();
  await expect(page.getByTestId('basis-click')).toHaveAttribute('aria-current', 'true');
  await expect(kpi(page, 'net')).not.toHaveText(netBySale);

  // CSV of the series, through the UI server.
  const csvHref = await page.getByTestId('series-csv').getAttribute('href');
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(csv.headers()['content-disposition']).toContain('attachment');
  expect((await csv.text()).split('\n')[0]).toContain('clicks');

  const dashboard = page.url();
  // A campaign's page: its chart and its sources.
  await page.getByTestId('top-campaign').getByTestId('row').first().getByRole('link').click();
  await expect(page.getByTestId('campaign-name')).toBeVisible();
  await expect(page.getByTestId('chart-clicks').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('by-source')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('breakdown').getByRole('rowheader', { name: 'youtube' })).toBeVisible();
  await page.getByTestId('by-device').click();
  await expect(page.getByTestId('breakdown').getByRole('rowheader', { name: 'Mobile' })).toBeVisible();
  await page.getByTestId('by-country').click();
  await expect(page.getByTestId('breakdown').getByRole('rowheader', { name: 'United States' })).toBeVisible();
  const campaign = page.url();

  // Phone width, light and dark, axe.
  const found: string[] = [];
  for (const url of [dashboard, campaign]) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url);
    await settled(page);
    found.push(...(await axeIn(page, 'light', url)), ...(await axeIn(page, 'dark', url)));
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await settled(page);
    await expect(page.getByTestId('kpis')).toBeVisible();
    await noSidewaysScroll(page);
    found.push(...(await axeIn(page, 'light', `${url} @375`)));
  }
  expect(found, found.join('\n')).toEqual([]);
});
