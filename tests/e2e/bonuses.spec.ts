import { expect, test } from '@playwright/test';
import { sendInsNotification } from '../../sandbox/clickbank/ins-sender';
import { newUser, registerViaUi, settled } from '../support/e2e';

const insSecret = 'E2EBONUSKEY7C1D';
const affiliate = 'e2ebonus1';

async function bonusLinkIn(to: string): Promise<string | null> {
  const res = await fetch(
    `${process.env.E2E_POSTMARK_SANDBOX_URL}/sandbox/messages?to=${encodeURIComponent(to)}`,
  );
  const { messages } = (await res.json()) as { messages: { TextBody?: string }[] };
  for (const m of messages) {
    const link = /https?:\/\/\S+\/b\/[A-Za-z0-9._~-]+/.exec(m.TextBody ?? '')?.[0];
    if (link) return link;
  }
  return null;
}

/** The UI shows URLs as localhost; Node's fetch may try ::1 first, where the platform does not listen. */
const ipv4 = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

test('bonuses: upload a file bonus with progress, a sale delivers it by email, downloads count, a refund revokes it', async ({
  page,
}) => {
  test.setTimeout(240_000);
  if (!process.env.E2E_POSTMARK_SANDBOX_URL)
    throw new Error('Set E2E_POSTMARK_SANDBOX_URL (scripts/e2e.sh does)');
  const me = newUser('Bonus');
  await registerViaUi(page, me);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // ClickBank connected: the team's INS URL and secret.
  await nav.getByRole('link', { name: 'Integrations' }).click();
  await settled(page);
  const clickbank = page.getByTestId('integration-clickbank');
  await clickbank.getByLabel('Affiliate nickname').fill(affiliate);
  await clickbank.getByLabel('INS secret key').fill(insSecret);
  await clickbank.getByRole('button', { name: 'Save' }).click();
  await expect(clickbank.getByTestId('save-feedback')).toHaveText('ClickBank settings saved.');
  const insUrl = ipv4(await clickbank.getByRole('textbox', { name: 'INS URL' }).inputValue());

  // A campaign; its tracking id ties the sale to it.
  await nav.getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.getByTestId('no-campaigns')).toBeVisible();
  await settled(page);
  await page.getByLabel('Name', { exact: true }).fill('Bonus campaign');
  await page.getByLabel('ClickBank vendor nickname').fill('BonusVend');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveText('Bonus campaign');
  const tid = (await page.getByTestId('tracking-id').innerText()).trim();

  // A file bonus offered by the campaign: the upload shows its progress.
  await nav.getByRole('link', { name: 'Email' }).click();
  await page.getByRole('navigation', { name: 'Email' }).getByRole('link', { name: 'Bonuses' }).click();
  await expect(page.getByTestId('no-bonuses')).toBeVisible();
  await settled(page);
  const content = Buffer.alloc(2 * 1024 * 1024, 'bonus checklist\n');
  await page.getByLabel('Name', { exact: true }).fill('Checklist');
  await page.getByLabel('a file I upload').check();
  await page
    .getByLabel('File', { exact: true })
    .setInputFiles({ name: 'checklist.txt', mimeType: 'text/plain', buffer: content });
  await page.getByRole('checkbox', { name: 'Bonus campaign' }).check();
  await page.getByRole('button', { name: 'Add bonus' }).click();
  await expect(page.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(page.getByText('Bonus “Checklist” uploaded.')).toBeVisible();
  const row = page.getByTestId('bonus-row');
  await expect(row).toContainText('checklist.txt · 2.0 MB');
  await expect(row).toContainText('Offered by: Bonus campaign');
  await expect(row.getByTestId('bonus-counts')).toHaveText('0 deliveries · 0 downloads');

  // A test delivery to myself: the buyer's email, marked as a test, in my inbox; not counted as a delivery.
  await row.getByRole('button', { name: 'Send me a test' }).click();
  await expect(row.getByRole('status')).toContainText(`Test email on its way to ${me.email}`);
  await expect
    .poll(
      async () => {
        const res = await fetch(
          `${process.env.E2E_POSTMARK_SANDBOX_URL}/sandbox/messages?to=${encodeURIComponent(me.email)}`,
        );
        const { messages } = (await res.json()) as { messages: { Subject?: string; TextBody?: string }[] };
        return messages.find((m) => m.Subject === '[Test] Your bonus: Checklist')?.TextBody ?? null;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toContain('This is a test');
  await page.reload();
  await expect(row.getByTestId('bonus-counts')).toHaveText('0 deliveries · 0 downloads');

  // A sale: the buyer gets the bonus link by email, and the delivery shows on the page.
  const buyer = `buyer.${Date.now()}@example.test`;
  const receipt = `E2E${Date.now().toString(36).toUpperCase()}`;
  const sale = await sendInsNotification({
    url: insUrl,
    secret: insSecret,
    type: 'SALE',
    tid,
    receipt,
    email: buyer,
    affiliate,
  });
  expect(sale.deliveries[0]?.status).toBeLessThan(300);
  await expect.poll(() => bonusLinkIn(buyer), { timeout: 90_000, intervals: [1000] }).not.toBeNull();
  const link = ipv4((await bonusLinkIn(buyer)) ?? '');
  const download = await fetch(link);
  expect(download.status).toBe(200);
  expect((await download.arrayBuffer()).byteLength).toBe(content.length);

  await page.reload();
  const delivery = page.locator(`[data-testid="delivery-row"]`, { hasText: buyer });
  await expect(delivery).toHaveAttribute('data-status', 'active');
  await expect(delivery).toContainText(receipt);
  await expect(delivery.locator('td').nth(4)).toContainText('1');
  await expect(row.getByTestId('bonus-counts')).toHaveText('1 delivery · 1 download');

  // A refund of the same receipt revokes the link.
  await sendInsNotification({
    url: insUrl,
    secret: insSecret,
    type: 'RFND',
    tid,
    receipt,
    email: buyer,
    affiliate,
  });
  await expect
    .poll(
      async () => {
        await page.reload();
        return delivery.getAttribute('data-status');
      },
      { timeout: 60_000, intervals: [1500] },
    )
    .toBe('revoked');
  expect((await fetch(link)).status).toBe(410);
});
