import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';
import { apiAs, personalTeamId } from '../support/e2e-data';

const shots = path.join(__dirname, '../../test-results');

interface Started {
  workflow_id: string;
}

/** An automation made and activated through the API (the editor has its own browser tests). */
async function activeAutomation(page: Page, teamId: string, name: string, steps: unknown[]): Promise<string> {
  const { automation } = await apiAs<{ automation: { id: string } }>(
    page,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name,
      definition: { version: 1, trigger: { type: 'manual' }, steps },
    },
  );
  await apiAs(page, 'POST', `/teams/${teamId}/automations/${automation.id}/activate`);
  return automation.id;
}

async function startTestRun(
  page: Page,
  teamId: string,
  automationId: string,
  payload: unknown,
): Promise<string> {
  const started = await apiAs<Started>(page, 'POST', `/teams/${teamId}/automations/${automationId}/runs`, {
    payload,
  });
  return started.workflow_id;
}

/** Serious and critical axe findings on the page as it is now (none expected). */
async function axeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** How far the page is wider than the window (0: no sideways scrolling). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const runPage = (teamId: string, workflowId: string) =>
  `/teams/${teamId}/automation-runs/${encodeURIComponent(workflowId)}`;

test.describe('automation runs', () => {
  test.setTimeout(180_000);

  test('approve a waiting step from the run page and watch the run end live', async ({ page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await registerViaUi(page, newUser('Approver'));
    const teamId = await personalTeamId(page);
    const automationId = await activeAutomation(
      page,
      teamId,
      'Publish after a look at each new order from the shop',
      [
        {
          id: 'prepare',
          name: 'Note the order',
          type: 'set_variable',
          config: { name: 'order', value: '{{ trigger.order }}' },
        },
        {
          id: 'check',
          name: 'Check the order',
          type: 'wait_for_approval',
          config: { approvers: { roles: ['editor'] }, message: 'Is order {{ trigger.order }} fine to send?' },
        },
        { id: 'after', name: 'Mark it sent', type: 'set_variable', config: { name: 'sent', value: true } },
      ],
    );
    const workflowId = await startTestRun(page, teamId, automationId, { order: 'R-100' });

    // The team's list shows it, and its search finds it by what started it.
    await page.goto(`/teams/${teamId}/automation-runs?q=R-100`);
    const row = page.getByTestId('automation-run-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Publish after a look at each new order from the shop');
    await expect(row).toContainText('Test run');
    await page.screenshot({ path: path.join(shots, 'automation-runs-list-1280.png'), fullPage: true });
    expect(await axeFindings(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: path.join(shots, 'automation-runs-list-375.png'), fullPage: true });
    // A long automation name in the filter's list must not push the page sideways.
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/teams/${teamId}/automation-runs?q=${encodeURIComponent('no such 100%')}`);
    await expect(page.getByTestId('no-runs')).toContainText('No runs match these filters');

    await page.goto(runPage(teamId, workflowId));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Publish after a look at each new order from the shop',
    );
    const banner = page.getByTestId('approval-banner');
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText('Is order R-100 fine to send?');
    await expect(banner).toContainText('Waiting for approval from editors');
    await expect(page.getByTestId('run-status')).toHaveText('Waiting');
    await expect(page.getByTestId('live-mode')).toContainText('Updating live');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(shots, 'automation-run-waiting-1280.png'), fullPage: true });
    expect(await axeFindings(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: path.join(shots, 'automation-run-waiting-375.png'), fullPage: true });
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // Approve at phone width; the run ends while the page stays open (no reload).
    await banner.getByLabel('Note (optional, kept with the decision)').fill('Looks good');
    await banner.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('approval-banner')).toHaveCount(0);
    await expect(page.locator('[data-step="after"] [data-testid="step-status"]')).toHaveText('Succeeded');
    await expect(page.getByTestId('live-mode')).toContainText('This run has ended');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(shots, 'automation-run-succeeded-1280.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  test('resume a failed run after fixing its step: the new run reuses what succeeded', async ({ page }) => {
    await registerViaUi(page, newUser('Resumer'));
    const teamId = await personalTeamId(page);
    const steps = (to: string) => [
      {
        id: 'first',
        name: 'Note the lead',
        type: 'set_variable',
        config: { name: 'lead', value: '{{ trigger.email }}' },
      },
      {
        id: 'mail',
        name: 'Send the welcome',
        type: 'send_email',
        config: { to, subject: 'Welcome', body: 'Hello and welcome.' },
      },
    ];
    const automationId = await activeAutomation(
      page,
      teamId,
      'Welcome a lead',
      steps('{{ trigger.missing }}'),
    );
    const workflowId = await startTestRun(page, teamId, automationId, { email: 'lee@example.com' });

    await page.goto(runPage(teamId, workflowId));
    await expect(page.getByTestId('run-status')).toHaveText('Failed', { timeout: 30_000 });
    const error = page.getByTestId('run-error');
    await expect(error).toContainText('Send the welcome');
    await expect(error).toContainText('trigger.missing');
    await expect(page.locator('[data-step="mail"] [data-testid="step-error"]')).toBeVisible();
    await expect(page.locator('[data-step="first"] [data-testid="step-status"]')).toHaveText('Succeeded');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(shots, 'automation-run-failed-1280.png'), fullPage: true });
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(shots, 'automation-run-failed-dark-1280.png'), fullPage: true });
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: path.join(shots, 'automation-run-failed-375.png'), fullPage: true });
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // The fix, in the editor the error links to (the failed step open), published; then resume from the page.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'Fix it in the editor →' }).click();
    await expect(page).toHaveURL(/\?step=mail$/);
    const to = page.locator('#step-panel').getByLabel('To', { exact: true });
    await expect(to).toHaveValue('{{ trigger.missing }}');
    await to.fill('{{ trigger.email }}');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 20_000 });
    await page.getByRole('button', { name: 'Publish changes' }).click();
    await expect(page.getByTestId('automation-version')).toHaveText('Live: version 2', { timeout: 30_000 });
    await page.goto(runPage(teamId, workflowId));
    await expect(page.getByTestId('run-status')).toHaveText('Failed');
    await page.getByRole('button', { name: 'Resume from the failed step' }).click();
    await expect(page).not.toHaveURL(
      new RegExp(encodeURIComponent(workflowId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
    await expect(page.getByText('Resumed from')).toBeVisible();
    await expect(page.locator('[data-step="first"] [data-testid="step-reused"]')).toBeVisible();
    await expect(page.locator('[data-step="mail"] [data-testid="step-status"]')).toHaveText('Succeeded');
    await expect(page.locator('[data-step="mail"] [data-testid="step-reused"]')).toHaveCount(0);
  });
});
