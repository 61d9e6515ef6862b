import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';
import { seriousAxeFindings } from '../support/e2e-automations';
import { apiAs, createCampaign, createTeam, personalTeamId } from '../support/e2e-data';

// Issue 13's "start from a template": the Automations section, its empty state, the template gallery (the
// template's needs asked in a dialog, a campaign from the picker), a blank automation, import of an exported
// file (and a broken one), and a viewer who sees no create buttons.

const shots = path.join(__dirname, '../../test-results');

interface AutomationDetail {
  id: string;
  name: string;
  status: string;
  latestVersion: { version: number; state: string } | null;
  definition: {
    trigger: { type: string };
    steps: { id: string; type: string; config: Record<string, unknown> }[];
  } | null;
}

const automationUrl = /\/teams\/([0-9a-f-]{36})\/automations\/([0-9a-f-]{36})$/;

async function automationOf(page: Page, teamId: string, id: string): Promise<AutomationDetail> {
  return (await apiAs<{ automation: AutomationDetail }>(page, 'GET', `/teams/${teamId}/automations/${id}`))
    .automation;
}

async function openAutomations(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automations' }).click();
  await expect(page).toHaveURL(/\/teams\/[^/]+\/automations$/);
  await settled(page);
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const url = new URL(page.url());
  await page.context().addCookies([{ name: 'hf_theme', value: theme, domain: url.hostname, path: '/' }]);
}

test('start from a template, a blank one, or a file; a broken file says what is wrong', async ({ page }) => {
  test.setTimeout(240_000);
  await registerViaUi(page, newUser('Automator'));
  const teamId = await personalTeamId(page);
  const campaignName = `Lead magnet ${Date.now().toString(36)}`;
  const campaignId = await createCampaign(page, teamId, campaignName);

  await test.step('a new team sees what an automation is and how to start one', async () => {
    await openAutomations(page);
    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/automations$`));
    const empty = page.getByTestId('no-automations');
    await expect(empty).toContainText('An automation does a job for you');
    await expect(empty).toContainText('ready-made template');
    await expect(empty).toContainText('new automation');
    await expect(page.getByRole('heading', { name: 'New automation' })).toBeVisible();
    await expect(page.getByTestId('template-gallery').getByRole('listitem')).toHaveCount(6);
    await expect(page.getByTestId('all-runs')).toHaveAttribute('href', `/teams/${teamId}/automation-runs`);
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'automations-empty-1280.png'), fullPage: true });
  });

  let templateAutomationId = '';
  await test.step('the lead template asks for its campaign and a gap, and says what is wrong at the field', async () => {
    const card = page.getByTestId('template-webhook-lead-drip');
    await expect(card).toContainText('Postmark for email');
    await expect(card).toContainText('When another app calls its web address');
    await card.getByRole('button', { name: 'Use this template' }).click();
    const dialog = page.getByTestId('template-dialog');
    await expect(dialog.getByRole('heading')).toHaveText(/Lead from a form/);
    await expect(dialog.getByTestId('need-gap')).toHaveValue('2d');
    await dialog
      .getByRole('combobox', { name: /Campaign the emails promote/ })
      .fill(campaignName.slice(0, 6));
    await page.getByRole('option', { name: campaignName }).click();
    await expect(dialog.getByRole('combobox', { name: /Campaign the emails promote/ })).toHaveValue(
      campaignName,
    );

    await dialog.getByTestId('need-gap').fill('soon');
    await dialog.getByRole('button', { name: 'Create automation' }).click();
    await expect(dialog.getByText('Enter a duration such as 30m, 2h or 2d')).toBeVisible();
    // What was chosen stays chosen.
    await expect(dialog.getByRole('combobox', { name: /Campaign the emails promote/ })).toHaveValue(
      campaignName,
    );
    await dialog.getByTestId('need-gap').fill('3d');
    await dialog.getByRole('button', { name: 'Create automation' }).click();

    await expect(page).toHaveURL(automationUrl);
    templateAutomationId = automationUrl.exec(page.url())![2]!;
    const created = await automationOf(page, teamId, templateAutomationId);
    expect(created).toMatchObject({ status: 'draft', latestVersion: { version: 1, state: 'draft' } });
    expect(created.name).toMatch(/^Lead from a form/);
    expect(created.definition?.trigger.type).toBe('webhook');
    expect(created.definition?.steps.map((s) => s.id)).toEqual([
      'tag',
      'welcome',
      'wait_1',
      'tip_1',
      'wait_2',
      'tip_2',
      'wait_3',
      'offer',
    ]);
    expect(created.definition?.steps[1]?.config.campaign_id).toBe(campaignId);
    expect(created.definition?.steps[2]?.config.duration).toBe('3d');
  });

  await test.step('a blank automation needs only a name', async () => {
    await page.goto('/automations');
    await settled(page);
    await page.getByTestId('automation-name').fill('Welcome new buyers');
    await page.getByRole('button', { name: 'Create and add steps' }).click();
    await expect(page).toHaveURL(automationUrl);
    const blank = await automationOf(page, teamId, automationUrl.exec(page.url())![2]!);
    expect(blank).toMatchObject({ name: 'Welcome new buyers', status: 'draft' });
  });

  const exported = await apiAs<Record<string, unknown>>(
    page,
    'GET',
    `/teams/${teamId}/automations/${templateAutomationId}/export`,
  );

  await test.step('an exported file imports as a new draft', async () => {
    await page.goto(`/teams/${teamId}/automations`);
    await settled(page);
    await page.getByTestId('import-file').setInputFiles({
      name: 'lead-drip.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...exported, name: 'Imported lead drip' })),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page).toHaveURL(automationUrl);
    const importedId = automationUrl.exec(page.url())![2]!;
    expect(importedId).not.toBe(templateAutomationId);
    const imported = await automationOf(page, teamId, importedId);
    const original = await automationOf(page, teamId, templateAutomationId);
    expect(imported).toMatchObject({
      name: 'Imported lead drip',
      latestVersion: { version: 1, state: 'draft' },
    });
    expect(imported.definition).toEqual(original.definition);
  });

  await test.step('a broken file, or one with a wrong step, says what is wrong', async () => {
    await page.goto(`/teams/${teamId}/automations`);
    await settled(page);
    await page.getByText('Advanced: paste the file’s text').click();
    await page.getByTestId('import-text').fill('{ "name": "Half a file", ');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-error')).toContainText('could not be read');
    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/automations$`));

    const definition = structuredClone(exported.definition) as AutomationDetail['definition'];
    definition!.steps[1]!.config.to = 'not an address';
    await page.getByTestId('import-file').setInputFiles({
      name: 'wrong.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...exported, definition })),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const error = page.getByTestId('import-error');
    await expect(error).toContainText('cannot be imported as it is');
    await expect(error.getByRole('listitem').first()).toContainText('Step 2 “Welcome email” (to)');
  });

  await test.step('the list says each one in words', async () => {
    await page.goto(`/teams/${teamId}/automations`);
    await settled(page);
    const rows = page.getByTestId('automation-list').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    const lead = rows.filter({ hasText: 'Lead from a form' });
    await expect(lead.locator('td[data-label="Status"]')).toHaveText('Not live yet');
    await expect(lead.locator('td[data-label="What starts it"]')).toContainText('web address');
    await expect(lead.locator('td[data-label="Last run"]')).toHaveText('Not run yet');
    await expect(
      rows.filter({ hasText: 'Welcome new buyers' }).locator('td[data-label="What starts it"]'),
    ).toHaveText('Not chosen yet');
    await expect(lead.getByRole('link', { name: /Lead from a form/ })).toHaveAttribute(
      'href',
      `/teams/${teamId}/automations/${templateAutomationId}`,
    );
  });

  await test.step('no serious axe findings; screenshots at 1280 and 375 px, light and dark', async () => {
    fs.mkdirSync(shots, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/teams/${teamId}/automations`);
        await settled(page);
        const sideways = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(sideways, `no sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
        expect(await seriousAxeFindings(page)).toEqual([]);
        await page.screenshot({
          path: path.join(shots, `automations-${width}-${theme}.png`),
          fullPage: true,
        });
        await page.getByTestId('use-template-weekly-review-approval').click();
        await expect(page.getByTestId('template-dialog')).toBeVisible();
        expect(await seriousAxeFindings(page)).toEqual([]);
        await page.screenshot({ path: path.join(shots, `automations-template-${width}-${theme}.png`) });
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('template-dialog')).toHaveCount(0);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

test('a viewer sees the automations and templates but no create buttons', async ({ browser }) => {
  const viewer = newUser('Auto Viewer');
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await registerViaUi(viewerPage, viewer);

  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  await registerViaUi(page, newUser('Auto Owner'));
  const teamId = await createTeam(page, `Auto crew ${Date.now().toString(36)}`);
  await apiAs(page, 'POST', `/teams/${teamId}/members`, { email: viewer.email, role: 'viewer' });
  await apiAs(page, 'POST', `/teams/${teamId}/automations`, { name: 'Owner’s automation' });

  await viewerPage.goto(`/teams/${teamId}/automations`);
  await settled(viewerPage);
  await expect(viewerPage.getByTestId('automation-list')).toContainText('Owner’s automation');
  await expect(viewerPage.getByTestId('template-gallery').getByRole('listitem')).toHaveCount(6);
  await expect(viewerPage.getByRole('button', { name: 'Use this template' })).toHaveCount(0);
  await expect(viewerPage.getByRole('heading', { name: 'New automation' })).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: 'Create and add steps' })).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);

  await viewerContext.close();
  await ownerContext.close();
});
