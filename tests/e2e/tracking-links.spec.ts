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

test('tracking links: share the main link first, add one by keyboard (with a bad source first), choose an address, archive and restore', async ({
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
  // The vendor nickname's rule shows before any mistake.
  await expect(page.getByTestId('vendor-hint')).toContainText('5 to 10 letters and digits');
  await page.getByLabel('Name', { exact: true }).fill('Links campaign');
  await page.getByLabel('ClickBank vendor nickname').fill('LinkVendor');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText('Links campaign');
  await settled(page);

  // The link to share comes first: the main link is there from the start, ready to copy; the HopLink behind it
  // is folded away, with the ClickBank account it credits (the sandbox one here).
  const share = page.getByRole('region', { name: 'Share this link' });
  const main = share.getByTestId('main-link').getByRole('textbox', { name: 'Main link', exact: true });
  const mainUrl = await main.inputValue();
  expect(mainUrl).toMatch(/\/r\/[a-z0-9]{10}$/);
  await page.getByRole('button', { name: 'Copy Main link' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(mainUrl);
  // While it says Copied, its name says so too (axe checks the name holds the visible words).
  await expect(page.getByRole('button', { name: 'Copied Main link' })).toHaveText('Copied ✓');
  expect(await axeFindings(page)).toEqual([]);
  await expect(page.getByRole('button', { name: 'Archive Main link' })).toHaveCount(0);
  const hoplink = page.getByRole('textbox', { name: 'HopLink' });
  await expect(hoplink).toBeHidden();
  await share.getByText('The ClickBank HopLink behind it').click();
  await expect(hoplink).toHaveValue(/vendor=linkvendor/);
  await expect(page.getByTestId('hoplink-affiliate')).toHaveText(
    new URL(await hoplink.inputValue()).searchParams.get('affiliate')!,
  );
  await expect(page.getByTestId('hoplink-details')).toContainText('sandbox');
  await share.getByText('The ClickBank HopLink behind it').click();
  // How sub-ids work, before adding a link.
  await expect(page.getByTestId('sub-id-hint')).toContainText('?s1=…&s2=…&s3=…');

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

  // Archive: the link gives way to a note naming it, with Undo in its place (the keyboard lands there).
  await page.getByRole('button', { name: 'Archive Spring video' }).click();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'Link “Spring video” archived: it keeps sending visitors on' }),
  ).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Spring video', exact: true })).toHaveCount(0);
  const undo = page.getByRole('button', { name: 'Undo Spring video' });
  await expect(undo).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: 'Link “Spring video” is back in the list' }),
  ).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Spring video', exact: true })).toBeVisible();

  // Archived again: on the links page under "Archived links", with Restore.
  await page.getByRole('button', { name: 'Archive Spring video' }).click();
  await expect(undo).toBeVisible();
  await page.getByRole('link', { name: 'All links' }).click();
  await expect(page.getByRole('heading', { name: 'Tracking links', level: 1 })).toBeVisible();
  const archived = page.getByRole('region', { name: 'Archived links' });
  await expect(archived.getByRole('textbox', { name: 'Spring video', exact: true })).toBeVisible();
  expect(await axeFindings(page)).toEqual([]);
  await archived.getByRole('button', { name: 'Restore Spring video' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Link “Spring video” is back in the list' }),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Archived links' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Archive Spring video' })).toBeVisible();

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
