/// <reference lib="dom" />
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { confirmationLinkFromMailbox, registerViaUi, submitRegistration } from '../support/e2e';

const screenshots = path.join(__dirname, '../../test-results');

async function expectDashboard(page: Page, name: string): Promise<void> {
  await expect(page).toHaveURL(/\/(\?.*)?$/);
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${name}`);
  await expect(page.getByTestId('user-name')).toHaveText(name);
}

test('register, run a platform check, log out, log in again, and be sent to /login when logged out', async ({
  page,
}) => {
  const unique = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const name = `Ada Tester ${unique.slice(-6)}`;
  const email = `ada.${unique}@example.test`;
  const password = 'correct horse battery staple';

  await test.step('register: check your inbox, confirm from the test mailbox, land on the dashboard', async () => {
    await registerViaUi(page, { name, email, password });
    await expectDashboard(page, name);
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }),
    ).toHaveAttribute('aria-current', 'page');
  });

  await test.step('run a platform check on the operations page and watch it complete', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
    await expect(page).toHaveURL(/\/operations$/);
    await page.getByRole('button', { name: 'Run platform check' }).click();
    const check = page.getByTestId('current-check');
    await expect(check).toBeVisible();
    // The worker picks the workflow up from the priority queue and writes the result back.
    await expect(check).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    await expect(page.getByTestId('check-status')).toHaveText('Passed');
    const temporalLink = page.getByTestId('temporal-link');
    await expect(temporalLink).toHaveAttribute('href', /\/namespaces\/[^/]+\/workflows\/platform-check%3A/);
    const teamLink = page.getByTestId('team-workflows-link');
    await expect(teamLink).toHaveAttribute('href', /workflows\?query=TeamId%3D%22[0-9a-f-]{36}%22$/);
    if (process.env.E2E_TEMPORAL_WEB_URL) {
      await expect(temporalLink).toHaveAttribute('href', new RegExp(`^${process.env.E2E_TEMPORAL_WEB_URL}`));
    }
    await expect(page.getByTestId('recent-checks').locator('li')).toHaveCount(1);
  });

  await test.step('ops find the run in Temporal Web, filtered by the team id', async () => {
    // scripts/e2e.sh always sets it; a hand run against a UI without Temporal Web may leave it out.
    if (!process.env.E2E_TEMPORAL_WEB_URL) return;
    const runHref = (await page.getByTestId('temporal-link').getAttribute('href')) ?? '';
    const workflowId = decodeURIComponent(runHref.split('/workflows/')[1] ?? '');
    expect(workflowId).toMatch(/^platform-check:[0-9a-f-]{36}$/);
    const listHref = (await page.getByTestId('team-workflows-link').getAttribute('href')) ?? '';
    const ops = await page.context().newPage();
    await ops.goto(listHref);
    // Temporal Web renders the list from its own visibility query `TeamId="<team>"`.
    await expect(ops.getByRole('link', { name: workflowId })).toBeVisible({ timeout: 30_000 });
    await ops.screenshot({ path: path.join(screenshots, 'temporal-web-team-filter.png') });
    await ops.close();
  });

  await test.step('the dashboard renders at desktop and phone widths', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(screenshots, 'dashboard-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    // Nothing may overflow sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, 'dashboard-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test.step('the theme toggle switches to dark mode and the choice survives a reload', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: path.join(screenshots, 'dashboard-dark-1280.png'), fullPage: true });
  });

  await test.step('log out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
  });

  await test.step('registering the taken address looks the same; the owner gets a notice with a login link', async () => {
    await submitRegistration(page, { name: 'Someone Else', email, password: 'another long password' });
    const link = await confirmationLinkFromMailbox(page, email, /tried to create/);
    expect(new URL(link).pathname).toBe('/login');
    await page.goto('/login');
  });

  await test.step('a used confirmation link says so in plain words', async () => {
    await page.goto('/register/confirm?token=used-or-unknown');
    await page.getByLabel('Password').fill('any password at all');
    await page.getByRole('button', { name: 'Finish creating my account' }).click();
    await expect(page.getByRole('alert')).toContainText('This link does not work any more');
    await expect(page.getByRole('link', { name: 'Create your account again' })).toBeVisible();
    await page.goto('/login');
  });

  await test.step('a wrong password is refused', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  });

  await test.step('log in again and see the dashboard', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectDashboard(page, name);
    await page.goto('/operations');
    await expect(page.getByTestId('recent-checks').locator('li')).toHaveCount(1);
  });

  await test.step('after logging out, opening / redirects to /login', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name === 'hf_access' || c.name === 'hf_refresh')).toEqual([]);
  });
});
