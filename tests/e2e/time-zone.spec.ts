import { expect, test } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';

// Dates are shown in the reader's own zone, rendered the same by the server and the browser.
test.use({ timezoneId: 'Asia/Kolkata' });

test("dates are shown in the browser's time zone, from the first server render after it is known", async ({
  page,
}) => {
  await registerViaUi(page, newUser('Zone Tester'));
  await page.goto('/teams');
  const created = page.getByText(/^Created /).first();
  await expect(created).toContainText('GMT+5:30');
  await expect(created).not.toContainText('UTC');

  // The server renders the zone itself (no flash of UTC): the HTML it sends names the browser's zone.
  const html = await (await page.request.get('/teams')).text();
  expect(html).toContain('GMT+5:30');
});
