import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';

/** Serious and critical axe findings on the page as it is now. */
async function axeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('tracking links: copy the main link, add one by keyboard (with a bad source first), choose an address, archive', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await registerViaUi(page, newUser('Links'));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Campaigns' }).click();
  await settled(page);
  await page.getByLabel('Name', { exact: true }).fill('Links campaign');
  await page.getByLabel('ClickBank vendor nickname').fill('LinkVendor');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText('Links campaign');
  await settled(page);

  // The main link is there from the start, ready to copy.
  const main = page.getByRole('textbox', { name: 'Main link', exact: true });
  const mainUrl = await main.inputValue();
  expect(mainUrl).toMatch(/\/r\/[a-z0-9]{10}$/);
  await page.getByRole('button', { name: 'Copy Main link' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(mainUrl);
  await expect(page.getByRole('button', { name: 'Archive Main link' })).toHaveCount(0);

  // Add a link by keyboard; a source with a space is refused beside its field, the typed values kept.
  await page.getByTestId('link-name').focus();
  await page.keyboard.type('Spring video');
  await page.keyboard.press('Tab');
  await page.keyboard.type('you tube');
  await page.keyboard.press('Enter');
  await expect(page.locator('.field-error')).toContainText('letters, digits');
  await expect(page.getByTestId('link-name')).toHaveValue('Spring video');
  await page.getByTestId('link-source').fill('youtube');
  await page.getByRole('button', { name: 'Add link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link “Spring video” added' })).toBeVisible();
  const video = page.getByRole('textbox', { name: 'Spring video', exact: true });
  await expect(video).toHaveValue(/\/r\/[a-z0-9]{10}$/);
  await expect(page.getByText('Clicks count under “youtube”.')).toBeVisible();
  await expect(page.getByTestId('link-name')).toHaveValue('');

  // A chosen address that is taken answers beside the address field.
  await page.getByText('Choose the link’s address yourself').click();
  await page.getByTestId('link-name').fill('Newsletter');
  await page.getByTestId('link-source').fill('newsletter');
  const slug = `spring-${Date.now().toString(36)}`;
  await page.getByTestId('link-slug').fill(slug);
  await page.getByRole('button', { name: 'Add link' }).click();
  await expect(page.getByRole('textbox', { name: 'Newsletter', exact: true })).toHaveValue(
    new RegExp(`/r/${slug}$`),
  );
  // The address box folds away after a link is added.
  await page.getByText('Choose the link’s address yourself').click();
  await page.getByTestId('link-name').fill('Again');
  await page.getByTestId('link-source').fill('newsletter');
  await page.getByTestId('link-slug').fill(slug);
  await page.getByRole('button', { name: 'Add link' }).click();
  await expect(page.locator('.field-error')).toContainText('Choose another address');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeFindings(page)).toEqual([]);
  }
  await page.setViewportSize({ width: 375, height: 812 });
  expect(await axeFindings(page)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Archive: gone from the list, on the links page under "Archived links".
  await page.getByRole('button', { name: 'Archive Spring video' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link archived' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Spring video', exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'All links' }).click();
  await expect(page.getByRole('heading', { name: 'Tracking links', level: 1 })).toBeVisible();
  const archived = page.getByRole('region', { name: 'Archived links' });
  await expect(archived.getByRole('textbox', { name: 'Spring video', exact: true })).toBeVisible();
  expect(await axeFindings(page)).toEqual([]);

  // Without JavaScript the forms still work: the links page answers, refused values come back.
  const linksUrl = page.url();
  const plain = await browser.newContext({
    javaScriptEnabled: false,
    storageState: await context.storageState(),
  });
  try {
    const noJs = await plain.newPage();
    await noJs.goto(linksUrl);
    await noJs.getByTestId('link-name').fill('Podcast notes');
    await noJs.getByTestId('link-source').fill('pod cast');
    await noJs.getByRole('button', { name: 'Add link' }).click();
    await expect(noJs.locator('.field-error')).toContainText('letters, digits');
    await expect(noJs.getByTestId('link-name')).toHaveValue('Podcast notes');
    await noJs.getByTestId('link-source').fill('podcast');
    await noJs.getByRole('button', { name: 'Add link' }).click();
    await expect(noJs.getByText('Link “Podcast notes” added')).toBeVisible();
    await expect(noJs.getByRole('textbox', { name: 'Podcast notes', exact: true })).toHaveValue(
      /\/r\/[a-z0-9]{10}$/,
    );
  } finally {
    await plain.close();
  }
});
