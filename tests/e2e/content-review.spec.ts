import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
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

/** Serious and critical axe findings on the page as it is now (none expected), once any toast has gone. */
async function axeFindings(page: Page): Promise<string[]> {
  // The toasts belong to the layout; the page itself is what this checks.
  await expect(page.locator('[data-sonner-toast]')).toHaveCount(0, { timeout: 15_000 });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('content review: schedule, move and cancel a publish, edit, compare, revise with notes, then reject', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // Nothing on the way may log an error in the browser (an effect loop did: effect_update_depth_exceeded).
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
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
  // The HopLink is folded away under the link to share.
  await page.getByText('The ClickBank HopLink behind it').click();
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

  const review = page.getByTestId('review');
  await expect(review).toBeVisible();
  // The badge reads as written, in sentence case.
  expect(await status.innerText()).toBe('Ready for review');
  // The whole text shows, its end too: no inner scroll box, at 375 px either.
  const prose = page.getByTestId('draft').getByRole('textbox', { name: 'Text of the piece' });
  await expect(prose).toHaveAttribute('contenteditable', 'false');
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 812 });
    expect(await prose.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(consoleErrors).toEqual([]);

  // A time that has passed is answered once, in words, at the date field (which offers nothing before now).
  await review.getByLabel('Publish at a time you choose').check();
  const publishAtField = review.getByLabel('Publish at', { exact: true });
  expect(await publishAtField.getAttribute('min')).toBeTruthy();
  await publishAtField.fill(await localInput(page, -2));
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review.locator('.field-error')).toHaveText('Pick a time in the future');
  await expect(publishAtField).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Pick a time in the future')).toHaveCount(1);
  await expect(page.getByText(/not possible|publishAt/)).toHaveCount(0);
  await expect(status).toHaveAttribute('data-status', 'awaiting_review');

  // Approve for a time two hours ahead (entered in the reader's zone): scheduled.
  await review.getByLabel('Publish at', { exact: true }).fill(await localInput(page, 2));
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(status).toHaveAttribute('data-status', 'scheduled', { timeout: 30_000 });
  const schedule = page.getByTestId('schedule');
  await expect(schedule).toContainText('Publishes');

  // Move it a day ahead: still scheduled, at the new time.
  const moved = await localInput(page, 26);
  await schedule.getByLabel('Move to', { exact: true }).fill(moved);
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

  // Cancelling the scheduled publish asks first; keeping the schedule changes nothing.
  await schedule.getByRole('button', { name: 'Cancel scheduled publish' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Cancel the scheduled publish?');
  await dialog.getByRole('button', { name: 'Keep the schedule' }).click();
  await expect(dialog).toBeHidden();
  await expect(status).toHaveAttribute('data-status', 'scheduled');
  await schedule.getByRole('button', { name: 'Cancel scheduled publish' }).click();
  await dialog.getByRole('button', { name: 'Cancel the publish' }).click();
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 30_000 });

  // Edit the text in the editor: a heading and a list item, saved as a new version.
  await page.getByTestId('edit-text').click();
  const editor = page.getByRole('textbox', { name: 'Text of the piece' });
  await expect(editor).toHaveAttribute('contenteditable', 'true');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Subheading' }).click();
  await page.keyboard.type('Added by the reviewer');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Bulleted list' }).click();
  await page.keyboard.type('Free shipping this week');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Convert well & refunds <fast> when 2 > 1');
  expect(await axeFindings(page)).toEqual([]);
  await page.getByRole('button', { name: 'Save edit' }).click();
  await expect(page.getByText('Edit saved as a new version.')).toBeVisible();
  const history = page.getByTestId('revision-history');
  await expect(history.getByTestId('revision').first()).toHaveAttribute('data-kind', 'edit');
  await expect(history.getByTestId('revision').first()).toContainText('Text edited');
  await expect(history.getByTestId('revision').last()).toContainText('Claude');
  const shown = page.getByTestId('draft');
  await expect(shown.getByRole('heading', { name: 'Added by the reviewer', level: 3 })).toBeVisible();
  await expect(shown.getByRole('listitem').filter({ hasText: 'Free shipping this week' })).toBeVisible();

  // Compare: the two newest versions, the added words marked.
  const compare = page.getByTestId('compare');
  await expect(compare.getByTestId('diff').locator('ins')).toContainText(['Added by the reviewer']);
  await expect(compare.getByTestId('compare-summary')).toContainText('words added');
  // The saved Markdown keeps "&", "<" and ">" as typed (no "&amp;"); the comparison reads without Markdown.
  await expect(compare.getByRole('heading', { name: 'Changes in the text' })).toBeVisible();
  await expect(compare.getByTestId('diff')).toContainText('Convert well & refunds <fast> when 2 > 1');
  await expect(compare.getByTestId('diff')).not.toContainText('&amp;');
  await expect(compare.getByTestId('diff')).not.toContainText('###');
  await compare.getByTestId('compare-to').selectOption({ index: 0 });
  await expect(compare).toContainText('Pick two different versions');
  expect(await axeFindings(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'content-history-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: path.join(shots, 'content-history-375.png'), fullPage: true });
  expect(await axeFindings(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Revise with notes: it generates again, then comes back for review; the note is in the history.
  await review.getByLabel('What should Claude change?').fill('Shorter, and mention the bonus.');
  await review.getByRole('button', { name: 'Ask Claude to revise' }).click();
  await expect(status).toHaveAttribute('data-status', 'generating', { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 120_000 });
  await expect(history.getByTestId('revision').filter({ hasText: 'Changes requested' })).toContainText(
    'Shorter, and mention the bonus.',
  );
  await expect(history.getByTestId('revision').first()).toHaveAttribute('data-kind', 'draft');

  // Reject asks first; then nothing will be published.
  await review.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog).toContainText('Reject this piece?');
  await dialog.getByRole('button', { name: 'Keep reviewing' }).click();
  await expect(status).toHaveAttribute('data-status', 'awaiting_review');
  await review.getByRole('button', { name: 'Reject' }).click();
  await dialog.getByRole('button', { name: 'Reject it' }).click();
  await expect(status).toHaveAttribute('data-status', 'rejected', { timeout: 30_000 });
  await expect(page.getByText('Rejected. Nothing will be published.')).toBeVisible();
  expect(consoleErrors).toEqual([]);

  // The content list shows it as rejected, and the status filter finds it.
  await nav.getByRole('link', { name: 'Content' }).click();
  await expect(page.getByTestId('content-list')).toContainText('Rejected');
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

test('a social post is copy-ready: approved without WordPress, its text with the link on the clipboard', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await registerViaUi(page, newUser('Social'));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Social campaign');
  await page.getByLabel('ClickBank vendor nickname').fill('SocialVend');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  // Content links to the campaign's main tracking link, counted under the source `content`.
  const contentLink = `${await page.getByRole('textbox', { name: 'Main link', exact: true }).inputValue()}?src=content`;

  await page.getByTestId('write-content').click();
  await page.getByLabel('Type').selectOption('social_post');
  await page.getByLabel('Tone').fill('playful');
  await page.getByRole('button', { name: 'Generate' }).click();
  const status = page.getByTestId('content-status');
  await expect(status).toHaveAttribute('data-status', 'awaiting_review', { timeout: 120_000 });

  const review = page.getByTestId('review');
  await expect(review.getByTestId('social-note')).toContainText(
    'Social posts are not published to WordPress',
  );
  await expect(review.getByText('Publish to WordPress now')).toHaveCount(0);
  await review.getByRole('button', { name: 'Approve, ready to copy' }).click();
  await expect(status).toHaveAttribute('data-status', 'approved', { timeout: 60_000 });
  await expect(status).toHaveText('Ready to copy');
  await expect(page.getByTestId('ready-to-copy')).toContainText('copy the text below and post it yourself');

  await page.getByTestId('copy-text').click();
  await expect(page.getByText('Copied. Paste it where you post.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(contentLink);
  expect(copied).toMatch(/#ad/);
  expect(await axeFindings(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'content-social-1280.png'), fullPage: true });
});
