import { expect, test } from '@playwright/test';
import { confirmationLinkFromMailbox, newUser, registerViaUi } from '../support/e2e';

test('an expired access token is refreshed server-side, once, even for parallel requests', async ({
  page,
  context,
}) => {
  const user = newUser('Refresh Tester');
  await registerViaUi(page, user);

  const cookie = async (name: string) => (await context.cookies()).find((c) => c.name === name);
  const firstRefresh = await cookie('hf_refresh');
  expect(firstRefresh?.httpOnly).toBe(true);
  expect(firstRefresh?.sameSite).toBe('Lax');
  expect((await cookie('hf_access'))?.httpOnly).toBe(true);

  // Drop the access token as if it had expired; only the refresh token is left.
  await context.clearCookies({ name: 'hf_access' });

  // Several requests at once, all carrying the same refresh token: none may be treated as token reuse.
  const responses = await Promise.all(
    Array.from({ length: 5 }, () => page.request.get('/', { maxRedirects: 0 })),
  );
  for (const res of responses) expect(res.status()).toBe(200);

  const rotated = await cookie('hf_refresh');
  expect(rotated?.value).toBeTruthy();
  expect(rotated?.value).not.toBe(firstRefresh?.value);

  // The rotated family is still alive: later requests stay logged in.
  await page.goto('/teams');
  await expect(page.getByRole('heading', { name: 'Teams', level: 1 })).toBeVisible();
  await context.clearCookies({ name: 'hf_access' });
  await page.goto('/');
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${user.name}`);
});

test('a protected page sends a logged-out visitor to /login and back after logging in', async ({ page }) => {
  const user = newUser('Next Tester');
  await registerViaUi(page, user);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.goto('/teams');
  await expect(page).toHaveURL(/\/login\?next=%2Fteams$/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/teams$/);
});

test('registration shows the API field errors beside the fields', async ({ page }) => {
  await page.goto('/register');
  await page.getByLabel('Name').fill('Short Password');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#email-error')).toBeVisible();
  await expect(page.locator('#password-error')).toBeVisible();
  // Each error shows once, beside its field: no banner repeats them, never the generic API message.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('The request is not valid')).toHaveCount(0);
  await expect(page.getByLabel('Name')).toHaveValue('Short Password');
});

test('forms work whether the UI is opened as localhost or 127.0.0.1', async ({ page, baseURL }) => {
  // The launcher prints localhost; people also type 127.0.0.1. CSRF checks must accept both.
  const other = new URL(baseURL ?? '');
  other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const user = newUser('Host Tester');
  await page.goto(new URL('/register', other).toString());
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  // The confirmation form posts on the same host too.
  const link = new URL(await confirmationLinkFromMailbox(page, user.email));
  await page.goto(new URL(link.pathname + link.search, other).toString());
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Finish creating my account' }).click();
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${user.name}`);
  // A post from a foreign origin is still refused.
  const forged = await page.request.post(new URL('/login', other).toString(), {
    headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    data: 'email=a%40b.c&password=whatever',
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
});
