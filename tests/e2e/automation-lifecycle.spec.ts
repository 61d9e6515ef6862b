import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiAs, personalTeamId } from '../support/e2e-data';
import { newUser, registerViaUi, settled } from '../support/e2e';

const run = promisify(execFile);
const shots = path.join(__dirname, '../../test-results/automation-lifecycle');

const definition = (duration: string) => ({
  version: 1,
  trigger: { type: 'webhook', auth: { scheme: 'token' } },
  steps: [
    {
      id: 'remember',
      name: 'Remember the email',
      type: 'set_variable',
      config: { name: 'email', value: '{{ trigger.email }}' },
    },
    // Long enough that the run is still going when the automation is deleted.
    { id: 'hold', name: 'Wait a while', type: 'wait', config: { duration } },
  ],
});

/** axe's serious and critical findings, light and dark, at the current width. */
async function axeFindings(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      found.push(
        `${label} [${colorScheme}]: ${v.id} ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** The page at 1280 and at 375 px wide, for a look at both, and axe-clean at both. */
async function screenshots(page: Page, name: string, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  await page.emulateMedia({ colorScheme });
  await page.screenshot({ path: path.join(shots, `${name}-1280.png`), fullPage: true });
  const found = await axeFindings(page, `${name} 1280`);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.emulateMedia({ colorScheme });
  await page.screenshot({ path: path.join(shots, `${name}-375.png`), fullPage: true });
  found.push(...(await axeFindings(page, `${name} 375`)));
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(found, found.join('\n')).toEqual([]);
}

test('automation lifecycle: publish, the webhook called with the page’s curl, pause, versions and their diff, delete with a running run', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await registerViaUi(page, newUser('Lifecycle'));
  const teamId = await personalTeamId(page);
  const { automation } = await apiAs<{ automation: { id: string } }>(
    page,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name: 'Lead from my form',
      definition: definition('10m'),
    },
  );
  const base = `/teams/${teamId}/automations/${automation.id}`;

  // Before the first activation there is no web address yet.
  await page.goto(`${base}/start`);
  await settled(page);
  await expect(page.getByTestId('automation-status')).toHaveText('Not live yet');
  await expect(page.getByTestId('webhook-not-live')).toContainText(
    'Publish and turn on the automation to get its web address',
  );
  await expect(page.getByRole('link', { name: 'How it starts' })).toHaveAttribute('aria-current', 'page');

  // Publish and turn on: live as version 1, the address and its secret appear.
  await page.getByRole('button', { name: 'Publish and turn on' }).click();
  await expect(page.getByText('Published as version 1: it is live now.')).toBeVisible();
  await expect(page.getByTestId('automation-status')).toHaveText('Live');
  await expect(page.getByTestId('automation-version')).toHaveText('Live: version 1');
  await expect(page.getByRole('textbox', { name: 'Web address' })).toHaveValue(
    new RegExp(`/api/v1/hooks/${automation.id}$`),
  );
  await expect(page.getByTestId('no-deliveries')).toBeVisible();

  // The ready test call, as the page shows it, run in a shell: 202, and the call shows as "Started a run".
  await page.getByTestId('show-secret').click();
  await expect(page.getByRole('textbox', { name: 'Secret' })).toHaveValue(/^whsec_/);
  const curl = (await page.getByTestId('curl').textContent()) ?? '';
  expect(curl).toContain('curl -X POST');
  const { stdout } = await run('bash', [
    '-c',
    `${curl} --silent --show-error --write-out '\\nHTTP %{http_code}'`,
  ]);
  expect(stdout).toContain('HTTP 202');
  expect(stdout).toContain('"status":"started"');
  const delivery = page.getByTestId('delivery').first();
  await expect(delivery).toContainText('Started a run', { timeout: 20_000 });
  await expect(delivery.getByRole('link')).toHaveAttribute(
    'href',
    new RegExp(`/teams/${teamId}/automation-runs/${encodeURIComponent(`auto:${automation.id}:`)}`),
  );
  await screenshots(page, 'start');

  // A new secret: the old one stops working at once (the same test call is now refused).
  const oldSecret = await page.getByRole('textbox', { name: 'Secret' }).inputValue();
  await page.getByRole('button', { name: 'Make a new secret' }).click();
  const rotateDialog = page.getByRole('alertdialog');
  await expect(rotateDialog).toContainText('The old secret stops working at once');
  await rotateDialog.getByRole('button', { name: 'Make a new secret' }).click();
  await expect(page.getByText('New secret made.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Secret' })).not.toHaveValue(oldSecret);
  const refused = await run('bash', [
    '-c',
    `${curl} --silent --output /dev/null --write-out 'HTTP %{http_code}'`,
  ]);
  expect(refused.stdout).toBe('HTTP 401');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('delivery').first()).toContainText(
    'Refused: the secret did not match (was it replaced?)',
  );

  // Pause asks first and says what keeps going.
  await page.getByTestId('pause').click();
  const pauseDialog = page.getByRole('alertdialog');
  await expect(pauseDialog).toContainText(
    'New webhook calls and scheduled times will not start runs; runs under way go on',
  );
  await pauseDialog.getByRole('button', { name: 'Pause it' }).click();
  await expect(page.getByTestId('automation-status')).toHaveText('Paused');
  await expect(page.getByRole('button', { name: 'Turn on again' })).toBeVisible();

  // Versions: version 1 published and live, saved and published by me.
  await page.getByRole('link', { name: 'Versions' }).click();
  await expect(page.getByRole('link', { name: 'Versions' })).toHaveAttribute('aria-current', 'page');
  const rows = page.getByTestId('version-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Version 1');
  await expect(rows.first()).toContainText('Published');
  await expect(rows.first().getByTestId('live-marker')).toHaveText('Live');

  // A changed definition makes draft version 2; the page compares the live version with it, in words.
  await apiAs(page, 'PATCH', `/teams/${teamId}/automations/${automation.id}`, {
    definition: definition('20m'),
  });
  await page.reload();
  await settled(page);
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('automation-version')).toHaveText(
    'Live: version 1 · Changes not published yet',
  );
  await expect(page.getByRole('button', { name: 'Publish changes and turn on' })).toBeVisible();
  await expect(page.getByTestId('changes')).toHaveText(
    'Step ‘Wait a while’: duration changed from “10m” to “20m”',
  );
  await page.getByText('Side by side').click();
  await expect(page.getByTestId('side-by-side').locator('td.removed')).toContainText('"duration": "10m"');
  await expect(page.getByTestId('side-by-side').locator('td.added')).toContainText('"duration": "20m"');
  await screenshots(page, 'versions');

  // Delete while the run still waits: the question, then "Stop them", then the list.
  await page.getByTestId('delete').click();
  const deleteDialog = page.getByRole('alertdialog');
  await expect(deleteDialog).toContainText('you choose next whether to stop them or let them finish');
  await deleteDialog.getByRole('button', { name: 'Delete it' }).click();
  const question = page.getByTestId('runs-question');
  await expect(question).toContainText('1 run is still going: stop it, or let it finish?');
  await screenshots(page, 'delete-question');
  await question.getByRole('button', { name: 'Stop it' }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/automations$`));
  await expect(
    apiAs(page, 'GET', `/teams/${teamId}/automations/${automation.id}`).catch((err: Error) => err.message),
  ).resolves.toContain('HTTP 404');
});

test('how it starts: a schedule’s next five times from Temporal, paused; a manual automation says how to try it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await registerViaUi(page, newUser('Schedule'));
  const teamId = await personalTeamId(page);
  const steps = [
    { id: 'note', name: 'Remember the day', type: 'set_variable', config: { name: 'day', value: 'monday' } },
  ];
  const { automation } = await apiAs<{ automation: { id: string } }>(
    page,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name: 'Monday digest',
      definition: {
        version: 1,
        trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' },
        steps,
      },
    },
  );
  await page.goto(`/teams/${teamId}/automations/${automation.id}/start`);
  await settled(page);
  await expect(page.getByTestId('schedule-words')).toHaveText('Every Monday at 09:00 (Europe/Berlin)');
  await expect(page.getByText('Publish and turn on the automation to start its schedule.')).toBeVisible();

  await page.getByRole('button', { name: 'Publish and turn on' }).click();
  await expect(page.getByTestId('automation-status')).toHaveText('Live');
  const next = page.getByTestId('next-runs').getByRole('listitem');
  await expect(next).toHaveCount(5);
  // Mondays 09:00 in Berlin, shown in the reader's zone (UTC here): 08:00 or 07:00 UTC.
  await expect(next.first()).toHaveText(/\d{1,2} \w{3} \d{4}, 0[78]:00 UTC/);

  await page.getByTestId('pause').click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Pause it' }).click();
  await expect(page.getByTestId('schedule-paused')).toBeVisible();
  await screenshots(page, 'schedule-dark', 'dark');

  const manual = await apiAs<{ automation: { id: string } }>(page, 'POST', `/teams/${teamId}/automations`, {
    name: 'By hand',
    definition: { version: 1, trigger: { type: 'manual' }, steps },
  });
  await page.goto(`/teams/${teamId}/automations/${manual.automation.id}/start`);
  await expect(page.getByTestId('trigger-guide')).toHaveText(
    'Nothing starts it on its own: a run starts only when someone starts one.',
  );
  await expect(page.getByText('Start a test run from the Steps tab.')).toBeVisible();
});
