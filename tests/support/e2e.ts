import { expect, type Page } from '@playwright/test';

/** Helpers the browser tests (tests/e2e/*.spec.ts) share. */

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export function newUser(label: string): TestUser {
  const unique = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    name: `${label} ${unique.slice(-6)}`,
    email: `${label.toLowerCase().replace(/\W+/g, '.')}.${unique}@example.test`,
    password: 'correct horse battery staple',
  };
}

/**
 * Registers as a newcomer does: the form, "Check your inbox", the test mailbox the page links to (the Postmark
 * sandbox), the confirmation link in the email, the password again and "Finish creating my account", and the
 * dashboard.
 */
export async function registerViaUi(page: Page, user: TestUser): Promise<void> {
  await submitRegistration(page, user);
  const link = await confirmationLinkFromMailbox(page, user.email);
  // The link names the configured public UI address; stay on the address the browser uses, so its cookies count.
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Finish creating my account' }).click();
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${user.name}`);
}

/** Fills and sends the registration form, and waits for "Check your inbox" naming the address. */
export async function submitRegistration(page: Page, user: TestUser): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await expect(page.getByTestId('check-inbox')).toContainText(user.email.toLowerCase());
}

/**
 * Opens the "Open the test mailbox" link of the "Check your inbox" page in a new tab, opens the newest email to
 * `email` with `subject` there (it is sent in the background: reload until it is in) and returns the link in it.
 */
export async function confirmationLinkFromMailbox(
  page: Page,
  email: string,
  subject: RegExp = /Confirm your email/,
): Promise<string> {
  const mailboxUrl = await page.getByTestId('test-mailbox').getAttribute('href');
  if (!mailboxUrl) throw new Error('the "Check your inbox" page has no test mailbox link');
  const mailbox = await page.context().newPage();
  try {
    await mailbox.goto(mailboxUrl);
    const message = mailbox
      .locator('nav li a')
      .filter({ hasText: email.toLowerCase() })
      .filter({ hasText: subject });
    await expect(async () => {
      await mailbox.reload();
      await expect(message.first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await message.first().click();
    const body = (await mailbox.locator('article pre').textContent()) ?? '';
    const link = /https?:\/\/\S+/.exec(body)?.[0];
    if (!link) throw new Error(`no link in the email to ${email}: ${body}`);
    return link;
  } finally {
    await mailbox.close();
  }
}

/**
 * Waits until the page has hydrated, so what a test types is not swallowed by a late hydration. (The app marks
 * <html data-hydrated> once it runs; waiting for network idle instead times out now and then after a client-side
 * navigation.)
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}
