import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';
import { addStep } from '../support/e2e-automations';

// Issue 13's first journey: a builder makes "webhook lead -> welcome email -> wait -> follow-up" from a blank
// page in the editor, turns it on, calls its webhook with the curl command the page gives, follows the run
// live to the wait, and the welcome email is in the sandbox mailbox.

const run = promisify(execFile);

interface SandboxMessage {
  To: string;
  Subject: string;
  TextBody?: string;
}

async function mailbox(to: string): Promise<SandboxMessage[]> {
  const url = process.env.E2E_POSTMARK_SANDBOX_URL;
  if (!url) throw new Error('Set E2E_POSTMARK_SANDBOX_URL (scripts/e2e.sh does)');
  const res = await fetch(`${url}/sandbox/messages?to=${encodeURIComponent(to)}`);
  expect(res.ok).toBe(true);
  return ((await res.json()) as { messages: SandboxMessage[] }).messages;
}

test('build a webhook lead automation from a blank page, turn it on, call it, follow its run', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await registerViaUi(page, newUser('Builder'));

  // A blank automation from the Automations section.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automations' }).click();
  await settled(page);
  await page.getByTestId('automation-name').fill('Welcome new leads');
  await page.getByRole('button', { name: 'Create and add steps' }).click();
  await expect(page).toHaveURL(/\/automations\/[0-9a-f-]{36}$/);
  await settled(page);

  // What starts it: a call from another app.
  await page.locator('[data-trigger-card]').click();
  await page.getByLabel('When another app calls its web address (webhook)').check();

  const panel = page.locator('#step-panel');
  const status = page.getByTestId('save-state');

  // The welcome email: the address comes from the variable picker, which shows the sample lead's value.
  await addStep(page, page.getByRole('button', { name: 'Add a step to Steps' }), 'email', 'Send an email');
  await panel.getByLabel('Step name').fill('Welcome email');
  const to = panel.getByLabel('To', { exact: true });
  await to.fill('');
  await panel.getByRole('button', { name: 'Insert a value into To' }).click();
  await page.getByRole('option', { name: /trigger\.email/ }).click();
  await expect(to).toHaveValue('{{ trigger.email }}');
  await panel.getByLabel('Subject', { exact: true }).fill('Welcome, {{ trigger.name }}!');
  await panel.getByLabel('Message', { exact: true }).fill('Thanks for joining. Your first tip arrives soon.');
  await expect(status).toHaveText('All changes saved', { timeout: 20_000 });
  // The value the step would get with the sample lead, from the dry run of the saved draft.
  await expect(panel.getByText('Will be:').first()).toBeVisible({ timeout: 20_000 });
  await expect(panel).toContainText('Welcome, Lee!');

  // A wait, then the follow-up.
  await addStep(
    page,
    page.getByRole('button', { name: 'Add a step after "Welcome email"' }),
    'wait',
    'Wait a while',
  );
  // Typed in words, kept in the form the engine reads.
  const howLong = panel.getByLabel('How long', { exact: true });
  await howLong.fill('2 days');
  await howLong.press('Tab');
  await expect(howLong).toHaveValue('2d');
  await addStep(
    page,
    page.getByRole('button', { name: 'Add a step after "Wait a while"' }),
    'email',
    'Send an email',
  );
  await panel.getByLabel('Step name').fill('Follow-up email');
  await panel.getByLabel('Subject', { exact: true }).fill('Your first tip');
  await panel.getByLabel('Message', { exact: true }).fill('Here is the tip we promised.');
  await expect(status).toHaveText('All changes saved', { timeout: 20_000 });
  await expect(page.locator('[data-step-card]')).toHaveCount(3);

  // Turn it on.
  await page.getByRole('button', { name: 'Publish and turn on' }).click();
  await expect(page.getByTestId('automation-status')).toHaveText('Live', { timeout: 30_000 });

  // How it starts: the curl command as shown, with the lead's own address in its body.
  await page.getByRole('link', { name: 'How it starts' }).click();
  await settled(page);
  await page.getByTestId('show-secret').click();
  const curl = (await page.getByTestId('curl').textContent()) ?? '';
  expect(curl).toContain('curl -X POST');
  const lead = `lead-${Date.now().toString(36)}@example.com`;
  const command = curl.replace('lead@example.com', lead);
  expect(command).toContain(lead);
  const { stdout } = await run('bash', ['-c', `${command} -s -w '\\n%{http_code}'`]);
  expect(stdout.trim().split('\n').pop()).toBe('202');

  // The delivery started a run; its page follows it live to the wait.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const delivery = page.getByTestId('delivery').first();
  await expect(delivery).toContainText('Started a run', { timeout: 30_000 });
  await delivery.getByRole('link').click();
  await expect(page).toHaveURL(/\/automation-runs\//);
  await expect(page.getByTestId('run-status')).toHaveText(/Waiting/, { timeout: 60_000 });
  const steps = page.getByTestId('run-step');
  await expect(steps.filter({ hasText: 'Welcome email' })).toContainText('Succeeded');
  await expect(steps.filter({ hasText: 'Wait a while' })).toContainText(/Waiting until/);
  // Not reached yet: listed as still to come, not as a step of the timeline.
  await expect(steps.filter({ hasText: 'Follow-up email' })).toHaveCount(0);
  await expect(page.getByTestId('upcoming-step')).toHaveText([/Follow-up email/]);

  // The welcome email reached the lead, with their name from the webhook.
  await expect
    .poll(async () => (await mailbox(lead)).map((m) => m.Subject), { timeout: 60_000, intervals: [1000] })
    .toEqual(['Welcome, Lee!']);
});
