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

/** Registers through the UI's form and waits for the dashboard. */
export async function registerViaUi(page: Page, user: TestUser): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${user.name}`);
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
