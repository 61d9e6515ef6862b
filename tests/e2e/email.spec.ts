import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';

interface SandboxMessage {
  To: string;
  Subject: string;
  TextBody?: string;
  Headers: { Name: string; Value: string }[];
}

function sandboxUrl(): string {
  const url = process.env.E2E_POSTMARK_SANDBOX_URL;
  if (!url) throw new Error('Set E2E_POSTMARK_SANDBOX_URL (scripts/e2e.sh does)');
  return url;
}

async function mailbox(to: string): Promise<SandboxMessage[]> {
  const res = await fetch(`${sandboxUrl()}/sandbox/messages?to=${encodeURIComponent(to)}`);
  expect(res.ok).toBe(true);
  return ((await res.json()) as { messages: SandboxMessage[] }).messages;
}

const shots = path.join(__dirname, '../../test-results');

/** Full-page shots at desktop and phone width (test-results/<name>-<width>.png), as journey.spec.ts takes. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** At phone width the page does not scroll sideways, and the "Who joins" select stays inside its card at both widths. */
async function fitsPhoneWidth(page: Page): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const fit = await page.evaluate(() => {
      const select = document.querySelector('select[name="trigger"]');
      const card = select?.closest('.card');
      const inside =
        !select || !card || select.getBoundingClientRect().right <= card.getBoundingClientRect().right;
      return { scroll: document.documentElement.scrollWidth, inside };
    });
    expect(fit.inside).toBe(true);
    if (width === 375) expect(fit.scroll).toBeLessThanOrEqual(375);
  }
}

/** A vendor campaign (no catalog needed), as the campaigns page creates one. */
async function createCampaign(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.getByTestId('no-campaigns')).toBeVisible();
  await settled(page);
  // A name over the API's limit (the browser's maxlength taken off to reach the API) is refused at the field,
  // once: no banner repeats it, and the counter shows how far over it is.
  const nameInput = page.getByTestId('campaign-name-input');
  await nameInput.evaluate((el) => el.removeAttribute('maxlength'));
  await nameInput.fill('x'.repeat(121));
  await expect(page.getByTestId('campaign-name-input-count')).toHaveText('121 / 120 characters');
  await page.getByLabel('ClickBank vendor nickname').fill('MailVendor');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.locator('.field-error')).toHaveText('At most 120 characters');
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('The request is not valid')).toHaveCount(0);
  await nameInput.fill(name);
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText(name);
}

test('email: add a contact, import a CSV, build a sequence with a live preview, enroll, the email arrives', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const user = newUser('Mailer');
  await registerViaUi(page, user);
  await createCampaign(page, 'Mail campaign');

  // Contacts: the Email tab opens them; add one by hand.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Email' }).click();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  // An empty list says how to add the first contact.
  await expect(page.getByTestId('no-contacts')).toContainText('Add your first one');
  await settled(page);
  const reader = `ada.${Date.now()}@example.test`;
  const add = page.locator('form[action="?/create"]');
  await add.getByRole('textbox', { name: 'Email', exact: true }).fill(reader);
  await add.getByLabel('First name').fill('Ada');
  await add.getByLabel('Tags').fill('Readers');
  await add.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByText(`Added ${reader}.`)).toBeVisible();
  // The form starts fresh for the next contact.
  await expect(add.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue('');
  await expect(add.getByLabel('First name')).toHaveValue('');
  await expect(page.locator(`[data-testid="contact-row"][data-email="${reader}"]`)).toBeVisible();

  // CSV import: a quoted line break, a bad address and a repeat; the bar reaches 100 %, counts and lines shown.
  const csv = [
    'email,first_name,last_name,tags',
    'grace@example.test,Grace,Hopper,vip',
    '"alan@example.test","Alan","Turing ""AT""",',
    'not-an-email,Bad,Row,',
    'linus@example.test,"Linus',
    'Multi",Torvalds,',
    'grace@example.test,Grace,Hopper,speaker',
    `${reader},Ada,Lovelace,`,
  ].join('\n');
  await page
    .getByLabel('CSV file', { exact: true })
    .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('Tags for every imported contact').fill('webinar');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(page.getByTestId('import-rows')).toHaveText('6 of 6 rows');
  await expect(page.getByTestId('import-created')).toHaveText('3');
  await expect(page.getByTestId('import-updated')).toHaveText('1');
  await expect(page.getByTestId('import-skipped')).toHaveText('1');
  await expect(page.getByTestId('import-status')).toContainText('Line 4 (email)');
  await expect(page.getByTestId('import-failed')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '4 contacts' })).toBeVisible();
  await screenshots(page, 'contacts');

  // Search and tag filter.
  await page.getByRole('searchbox', { name: 'Search' }).fill('hopper');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await expect(page.getByTestId('contact-row')).toContainText('grace@example.test');
  // The search says its total and lives in the address: back from another page keeps it.
  await expect(page.getByTestId('contact-total')).toHaveText('1 contact matches');
  await expect(page).toHaveURL(/[?&]q=hopper/);
  await page.getByRole('navigation', { name: 'Email' }).getByRole('link', { name: 'Sequences' }).click();
  await expect(page.getByTestId('no-sequences')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('hopper');
  await expect(page.getByTestId('contact-total')).toHaveText('1 contact matches');
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('webinar');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('contact-row')).toHaveCount(4);

  // Edit a contact's tags in place.
  const grace = page.locator('[data-testid="contact-row"][data-email="grace@example.test"]');
  await grace
    .getByRole('textbox', { name: 'Tags of grace@example.test' })
    .fill('vip, speaker, webinar, Alumni');
  await grace.getByRole('button', { name: 'Save' }).click();
  await expect(grace.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByRole('combobox', { name: 'Tag', exact: true })).toContainText('alumni (1)');

  // A sequence for the campaign.
  await page.getByRole('navigation', { name: 'Email' }).getByRole('link', { name: 'Sequences' }).click();
  await expect(page.getByTestId('no-sequences')).toBeVisible();
  await settled(page);
  await fitsPhoneWidth(page);
  await page.getByLabel('Name').fill('Welcome series');
  // The campaign picker searches as you type.
  await page.getByRole('combobox', { name: 'Campaign', exact: true }).fill('mail');
  await page.getByRole('option', { name: 'Mail campaign' }).click();
  await expect(page.getByRole('combobox', { name: 'Campaign', exact: true })).toHaveValue('Mail campaign');
  await page.getByRole('button', { name: 'Create sequence' }).click();
  await expect(page.getByTestId('sequence-name')).toHaveText('Welcome series');
  await settled(page);
  await fitsPhoneWidth(page);

  // One email, sent at once; a typo in a variable is reported beside the body.
  await page.getByRole('button', { name: 'Add email' }).click();
  const step = page.getByTestId('step-editor');
  await expect(step.getByLabel('Send after enrolling, wait')).toHaveValue('0');
  await step.getByLabel('Subject').fill('Welcome, {{ first_name }}');
  await step.getByLabel('Body').fill('Hi {{ frist_name }},\n\nThanks for joining {{ campaign }}.');
  await page.getByRole('button', { name: 'Save emails' }).click();
  await expect(step.getByTestId('error-body')).toContainText('frist_name');

  // The live preview renders the chosen contact's first name.
  await step.getByLabel('Body').fill('Hi {{ first_name }},\n\nThanks for joining {{ campaign }}.');
  await page.getByRole('combobox', { name: 'Preview for' }).selectOption({ label: reader });
  await expect(page.getByTestId('preview-subject')).toHaveText('Welcome, Ada');
  await expect(page.getByTestId('preview-text')).toContainText('Hi Ada,');
  await expect(page.getByTestId('preview-text')).toContainText('Mail campaign');
  await page.getByRole('button', { name: 'Save emails' }).click();
  await expect(page.getByTestId('steps-saved')).toBeVisible();
  await expect(step.getByTestId('error-body')).toHaveCount(0);

  // Enroll the contact; the email arrives in the Postmark sandbox, with a one-click unsubscribe.
  await page.getByRole('checkbox', { name: reader }).check();
  await page.getByRole('button', { name: 'Enroll' }).click();
  await expect(page.getByTestId('enroll-result')).toContainText('Started 1');

  await expect
    .poll(async () => (await mailbox(reader)).map((m) => m.Subject), { timeout: 90_000, intervals: [1000] })
    .toEqual(['Welcome, Ada']);
  const [message] = await mailbox(reader);
  expect(message?.TextBody).toContain('Hi Ada,');
  expect(message?.Headers.map((h) => h.Name)).toContain('List-Unsubscribe');

  // The run finishes and says so.
  await expect(page.locator('[data-testid="run-row"][data-status="completed"]')).toHaveCount(1, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('run-row')).toContainText(reader);
  await screenshots(page, 'sequence-editor');

  // A broadcast to the webinar tag, previewed, sent now; another scheduled for later and cancelled.
  await page.getByRole('navigation', { name: 'Email' }).getByRole('link', { name: 'Broadcasts' }).click();
  await expect(page.getByTestId('no-broadcasts')).toBeVisible();
  await settled(page);
  await page.getByLabel('Name').fill('Webinar news');
  await page.getByRole('combobox', { name: 'Send to tag' }).selectOption('webinar');
  await page.getByLabel('Subject').fill('News for {{ first_name | "friend" }}');
  await page.getByLabel('Body').fill('Hello {{ first_name }}, the replay is up.');
  await expect(page.getByTestId('preview-subject')).toHaveText('News for Sam');
  await page.getByRole('combobox', { name: 'Preview for' }).selectOption({ label: 'grace@example.test' });
  await expect(page.getByTestId('preview-subject')).toHaveText('News for Grace');
  await page.getByRole('button', { name: 'Schedule broadcast' }).click();
  const sent = page.getByTestId('broadcast-row').filter({ hasText: 'Webinar news' });
  await expect(sent).toHaveAttribute('data-status', 'sent', { timeout: 60_000 });
  await expect(sent.getByTestId('broadcast-counts')).toHaveText(
    '4 sent · 0 skipped · 0 refused of 4 recipients',
  );
  await expect(sent.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect
    .poll(async () => (await mailbox('grace@example.test')).map((m) => m.Subject), { timeout: 30_000 })
    .toContain('News for Grace');

  // The form starts fresh after a success: nothing of the sent broadcast is left in it.
  await expect(page.getByLabel('Name')).toHaveValue('');
  await expect(page.getByLabel('Subject')).toHaveValue('');
  await page.getByLabel('Name').fill('Later news');
  await page.getByLabel('Subject').fill('Later for {{ first_name | "friend" }}');
  await page.getByLabel('Body').fill('See you in 2030.');
  await page.getByLabel('Send at').fill('2030-01-01T09:00');
  await page.getByRole('button', { name: 'Schedule broadcast' }).click();
  const later = page.getByTestId('broadcast-row').filter({ hasText: 'Later news' });
  await expect(later).toHaveAttribute('data-status', 'scheduled');
  // Cancelling asks first; "Keep it scheduled" changes nothing.
  await later.getByRole('button', { name: 'Cancel broadcast' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Nobody receives it');
  await dialog.getByRole('button', { name: 'Keep it scheduled' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(later).toHaveAttribute('data-status', 'scheduled');
  await later.getByRole('button', { name: 'Cancel broadcast' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel broadcast' }).click();
  await expect(later).toHaveAttribute('data-status', 'cancelled');
  await expect(later).toContainText('Cancelled');
  await screenshots(page, 'broadcasts');
});

test('CSV import in pieces: a piece that fails is named by its lines and retried; nothing is lost', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await registerViaUi(page, newUser('Importer'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Email' }).click();
  await expect(page.getByTestId('no-contacts')).toBeVisible();
  await settled(page);

  // 2,500 rows -> pieces of 1,000; the second piece fails once on its way to the server.
  const rows = Array.from({ length: 2500 }, (_, i) => `reader${i}@example.test,Reader ${i}`);
  rows[1499] = 'broken-address,Broken';
  const csv = ['email,name', ...rows].join('\n');
  let pieces = 0;
  await page.route('**/contacts/import?*', async (route) => {
    pieces++;
    if (pieces === 2)
      await route.fulfill({ status: 503, json: { error: { code: 'x', message: 'Try again' } } });
    else await route.continue();
  });
  await page
    .getByLabel('CSV file', { exact: true })
    .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const failed = page.getByTestId('import-failed');
  await expect(failed).toContainText('Lines 1002–2001: Try again');
  await expect(page.getByTestId('import-rows')).toHaveText('1500 of 2500 rows');
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
    'aria-valuenow',
    '60',
  );

  await failed.getByRole('button', { name: 'Retry these lines' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(page.getByTestId('import-rows')).toHaveText('2500 of 2500 rows');
  await expect(page.getByTestId('import-created')).toHaveText('2499');
  await expect(page.getByTestId('import-skipped')).toHaveText('1');
  // The bad row's line is the file's, not the piece's.
  await expect(page.getByTestId('import-status')).toContainText('Line 1501 (email)');
  await expect(failed).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '2,499 contacts' })).toBeVisible();
  expect(pieces).toBe(4);
});

test('dashboard: the latest insight and my nightly email switch', async ({ page }) => {
  await registerViaUi(page, newUser('Insight'));
  const card = page.getByTestId('insight-card');
  await expect(card.getByTestId('no-insight')).toBeVisible();
  await settled(page);

  const emailMe = card.getByRole('checkbox', { name: 'Email me the nightly insight' });
  await expect(emailMe).not.toBeChecked();
  await emailMe.check();
  await expect(emailMe).toBeChecked();
  await page.reload();
  await expect(emailMe).toBeChecked();

  await settled(page);
  await card.getByRole('button', { name: "Write yesterday's insight now" }).click();
  await expect(card.getByTestId('insight-summary')).not.toBeEmpty({ timeout: 60_000 });
  await expect(card.getByRole('row', { name: /All campaigns/ })).toBeVisible();
});
