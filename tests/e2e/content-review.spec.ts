import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';

const shots = path.join(__dirname, '../../test-results');

/** A datetime-local value `hoursAhead` from now in the browser's own time zone. */
function localInput(page: Page, hoursAhead: number): Promise<string> {
  return page.evaluate((h) => {
    const d = new Date(Date.now() + h * 3_600_000);
    d.setSeconds(0, 0);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, hoursAhead);
}

test('content review: schedule, move and cancel a publish, revise with notes, then reject', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await registerViaUi(page, newUser('Reviewer'));
  const nav = page.getByRole('navigation', { name: 'Main' });

  // A campaign for a vendor (no catalog needed).
  await nav.getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.getByRole('heading', { name: 'Campaigns', level: 1 })).toBeVisible();
  await expect(page.getByTestId('no-campaigns')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Vendor campaign');
  await page.getByLabel('ClickBank vendor nickname').fill('ab');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.locator('.field-error')).toContainText('5 to 10 letters and digits');
  await page.getByLabel('ClickBank vendor nickname').fill('FitVendor');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText('Vendor campaign');
  const hoplink = await page.getByRole('textbox', { name: 'HopLink' }).inputValue();
  expect(hoplink).toContain('fitvendor');
  expect(new URL(hoplink).searchParams.get('tid')).toBe(
    (await page.getByTestId('tracking-id').innerText()).trim(),
  );

  // An email, generated to review.
  await page.getByTestId('write-content').click();
  await page.getByLabel('Type').selectOption('email');
  await page.getByLabel('Tone').fill('warm');
  await page.getByRole('button', { name: 'Generate' }).click();
  const status = page.getByTestId('content-status');
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 120_000 });

  // Approve for a time two hours ahead: scheduled.
  const review = page.getByTestId('review');
  await review.getByLabel('Schedule at…').check();
  await review.getByLabel('Publish at (your time)').fill(await localInput(page, 2));
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(status).toHaveAttribute('data-status', 'scheduled', { timeout: 30_000 });
  const schedule = page.getByTestId('schedule');
  await expect(schedule).toContainText('Publishes');

  // Move it a day ahead: still scheduled, at the new time.
  const moved = await localInput(page, 26);
  await schedule.getByLabel('Move to (your time)').fill(moved);
  const publishAt = schedule.getByTestId('publish-at');
  const firstAt = await publishAt.getAttribute('data-publish-at');
  const expectedAt = await page.evaluate((v) => new Date(v).getTime(), moved);
  await schedule.getByRole('button', { name: 'Move' }).click();
  await expect(publishAt).not.toHaveAttribute('data-publish-at', firstAt ?? '', { timeout: 30_000 });
  expect(new Date((await publishAt.getAttribute('data-publish-at')) ?? '').getTime()).toBe(expectedAt);
  await expect(status).toHaveAttribute('data-status', 'scheduled');
  await expect(schedule.getByRole('button', { name: 'Move' })).toBeEnabled();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(shots, 'content-scheduled-1280.png'), fullPage: true });

  // Cancel the scheduled publish: back to review.
  await schedule.getByRole('button', { name: 'Cancel scheduled publish' }).click();
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 30_000 });

  // Revise with notes: it generates again, then comes back for review.
  await review.getByLabel('Revision notes').fill('Shorter, and mention the bonus.');
  await review.getByRole('button', { name: 'Revise' }).click();
  await expect(status).toHaveAttribute('data-status', 'generating', { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 120_000 });

  // Reject: nothing will be published.
  await review.getByRole('button', { name: 'Reject' }).click();
  await expect(status).toHaveAttribute('data-status', 'rejected', { timeout: 30_000 });
  await expect(page.getByText('Rejected. Nothing will be published.')).toBeVisible();

  // The content list shows it as rejected, and the status filter finds it.
  await nav.getByRole('link', { name: 'Content' }).click();
  await expect(page.getByTestId('content-list')).toContainText('rejected');
  await page.locator('select[name="status"]').selectOption('published');
  await expect(page.getByTestId('no-content')).toBeVisible();

  // Runs: filter by type finds the content run, its detail has the whole timeline.
  await nav.getByRole('link', { name: 'Runs' }).click();
  await page.getByLabel('Type').selectOption('contentPipelineWorkflow');
  await expect(page).toHaveURL(/type=contentPipelineWorkflow/);
  await expect(page.getByTestId('run-list').getByRole('link')).toHaveCount(1);
  await page.getByTestId('run-list').getByRole('link').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/i);
  expect(await page.getByTestId('timeline-step').count()).toBeGreaterThanOrEqual(8);
  await page.screenshot({ path: path.join(shots, 'run-revised-1280.png'), fullPage: true });
});
