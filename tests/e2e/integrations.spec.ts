import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';

const shots = path.join(__dirname, '../../test-results');

function card(page: Page, provider: string) {
  return page.getByTestId(`integration-${provider}`);
}

test('integrations settings: sandbox by default, test connection, save ClickBank and a refused Claude key, masked after reload', async ({
  page,
  context,
}) => {
  const owner = newUser('Integrations Owner');
  await registerViaUi(page, owner);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await expect(page).toHaveURL(/\/teams\/[^/]+\/integrations$/);
  await expect(page.getByRole('heading', { name: 'Integrations', level: 1 })).toBeVisible();

  // With no credentials anywhere, every integration runs in sandbox mode on the sandbox defaults.
  for (const provider of ['clickbank', 'anthropic', 'postmark', 'wordpress']) {
    await expect(card(page, provider).getByTestId('mode-badge')).toHaveText('Sandbox');
    await expect(card(page, provider).getByTestId('source')).toHaveAttribute('data-source', 'sandbox');
  }

  // Test connection against the Anthropic sandbox with its default key.
  const anthropic = card(page, 'anthropic');
  await anthropic.getByRole('button', { name: 'Test connection' }).click();
  const anthropicResult = anthropic.getByTestId('test-result').locator('.alert');
  await expect(anthropicResult).toHaveAttribute('data-ok', 'true');
  await expect(anthropicResult).toContainText('Connection works.');
  await expect(anthropicResult).toContainText('Tested');

  // Connect ClickBank: the secret comes back masked and the team gets its INS URL.
  const insSecret = 'E2ESECRETKEY9F3A';
  const clickbank = card(page, 'clickbank');
  // A nickname ClickBank would not issue: the API's field error shows beside the field, typed values stay.
  await clickbank.getByLabel('Affiliate nickname').fill('ab');
  await clickbank.getByLabel('INS secret key').fill(insSecret);
  await clickbank.getByRole('button', { name: 'Save' }).click();
  await expect(clickbank.locator('.field-error')).toHaveText(
    'A ClickBank nickname has 5 to 10 letters and digits',
  );
  await expect(clickbank.getByLabel('Affiliate nickname')).toHaveAttribute('aria-invalid', 'true');
  await expect(clickbank.getByLabel('INS secret key')).toHaveValue(insSecret);
  await expect(clickbank.getByTestId('source')).toHaveAttribute('data-source', 'sandbox');

  await clickbank.getByLabel('Affiliate nickname').fill('e2eaff1');
  await clickbank.getByRole('button', { name: 'Save' }).click();
  await expect(clickbank.getByTestId('save-feedback')).toHaveText('ClickBank settings saved.');
  await expect(clickbank.getByTestId('source')).toHaveAttribute('data-source', 'team');
  await expect(clickbank.getByTestId('credential').filter({ hasText: '•' }).first()).toBeVisible();
  await expect(clickbank.getByTestId('credential').filter({ hasText: 'e2eaff1' })).toBeVisible();
  const insUrl = clickbank.getByRole('textbox', { name: 'INS URL' });
  await expect(insUrl).toHaveValue(/^https?:\/\/\S+$/);
  await expect(insUrl).toHaveAttribute('readonly', '');
  await expect(page.getByText(insSecret)).toHaveCount(0);

  // The Copy button puts the INS URL on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await clickbank.getByRole('button', { name: 'Copy INS URL' }).click();
  await expect(clickbank.getByRole('button', { name: 'Copied INS URL' })).toHaveText('Copied ✓');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await insUrl.inputValue());

  // A key the provider refuses: saving works, the test reports the provider's refusal in plain words.
  const badKey = 'sk-ant-invalid-e2e-key-0000';
  await anthropic.getByLabel('API key').fill(badKey);
  await anthropic.getByRole('button', { name: 'Save' }).click();
  await expect(anthropic.getByTestId('save-feedback')).toHaveText('Claude (Anthropic) settings saved.');
  await expect(anthropic.getByTestId('source')).toHaveAttribute('data-source', 'team');
  await anthropic.getByRole('button', { name: 'Test connection' }).click();
  await expect(anthropicResult).toHaveAttribute('data-ok', 'false');
  await expect(anthropicResult).toContainText('Connection failed.');
  await expect(anthropicResult).toContainText('invalid x-api-key'); // the provider's own words

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar belongs at the top of the full-page shot
  await page.screenshot({ path: path.join(shots, 'integrations-1280.png'), fullPage: true });

  // After a reload everything is still there, masked; no clear secret anywhere in the page.
  await page.reload();
  await expect(clickbank.getByTestId('source')).toHaveAttribute('data-source', 'team');
  await expect(clickbank.getByTestId('credential').filter({ hasText: '•' }).first()).toBeVisible();
  await expect(clickbank.getByRole('textbox', { name: 'INS URL' })).toHaveValue(/^https?:\/\/\S+$/);
  await expect(clickbank.getByLabel('Affiliate nickname')).toHaveValue('e2eaff1');
  await expect(anthropic.getByTestId('source')).toHaveAttribute('data-source', 'team');
  await expect(anthropic.getByTestId('credential').filter({ hasText: '•' })).toBeVisible();
  await expect(anthropicResult).toHaveAttribute('data-ok', 'false');
  const html = await page.content();
  expect(html).not.toContain(insSecret);
  expect(html).not.toContain(badKey);

  // An empty secret on update keeps the stored one.
  await clickbank.getByLabel('Affiliate nickname').fill('e2eaff2');
  await clickbank.getByRole('button', { name: 'Save' }).click();
  await expect(clickbank.getByTestId('save-feedback')).toHaveText('ClickBank settings saved.');
  await expect(clickbank.getByTestId('credential').filter({ hasText: 'e2eaff2' })).toBeVisible();
  await expect(clickbank.getByTestId('credential').filter({ hasText: '•' }).first()).toBeVisible();

  // Disconnecting Claude returns the team to the sandbox defaults.
  await anthropic.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
  await expect(anthropic.getByTestId('source')).toHaveAttribute('data-source', 'sandbox');
  await expect(anthropic.getByRole('button', { name: 'Disconnect' })).toHaveCount(0);

  await page.setViewportSize({ width: 375, height: 812 });
  await page.reload();
  await expect(card(page, 'clickbank').getByTestId('mode-badge')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, 'integrations-375.png'), fullPage: true });
});

test('a viewer sees the integrations read-only, with masked values and no forms', async ({ browser }) => {
  const owner = newUser('Int Owner');
  const viewer = newUser('Int Viewer');

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await registerViaUi(viewerPage, viewer);

  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  await registerViaUi(page, owner);

  // The owner creates a team, adds the viewer and connects ClickBank from the team's page.
  const teamName = `Int crew ${Date.now().toString(36)}`;
  await page.goto('/teams');
  await page.getByPlaceholder('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('heading', { name: teamName, level: 1 })).toBeVisible();
  const addForm = page.locator('form[action="?/addMember"]');
  await addForm.getByLabel('Email').fill(viewer.email);
  await addForm.getByLabel('Role').selectOption('viewer');
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.locator(`[data-testid="member-row"][data-email="${viewer.email}"]`)).toBeVisible();
  await page.getByRole('link', { name: 'Integrations →' }).click();
  await expect(page).toHaveURL(/\/teams\/[^/]+\/integrations$/);
  const teamUrl = page.url();
  const clickbank = card(page, 'clickbank');
  await clickbank.getByLabel('Affiliate nickname').fill('viewtest');
  await clickbank.getByLabel('INS secret key').fill('VIEWERSECRET2024');
  await clickbank.getByRole('button', { name: 'Save' }).click();
  await expect(clickbank.getByTestId('save-feedback')).toHaveText('ClickBank settings saved.');

  await viewerPage.goto(teamUrl);
  await expect(viewerPage.getByRole('note').filter({ hasText: 'only owners and admins' })).toBeVisible();
  const seen = card(viewerPage, 'clickbank');
  await expect(seen.getByTestId('source')).toHaveAttribute('data-source', 'team');
  await expect(seen.getByTestId('credential').filter({ hasText: '••••' })).toHaveText(/^•+2024$/);
  await expect(seen.getByRole('textbox', { name: 'INS URL' })).toHaveValue(/^https?:\/\/\S+$/);
  await expect(viewerPage.locator('form')).toHaveCount(2); // only the top bar's theme and logout forms
  await expect(viewerPage.getByRole('button', { name: 'Test connection' })).toHaveCount(0);
  expect(await viewerPage.content()).not.toContain('VIEWERSECRET2024');

  await viewerContext.close();
  await ownerContext.close();
});
