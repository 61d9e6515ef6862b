import { expect, test, type Locator } from '@playwright/test';
import { apiAs, personalTeamId } from '../support/e2e-data';
import { newUser, registerViaUi, settled } from '../support/e2e';
import { addStep, seriousAxeFindings } from '../support/e2e-automations';

const shots = process.env.E2E_SHOTS_DIR;

/** Sets settings of the open step by the labels of the generated form ("Subject", "Message", "How long"). */
async function setSettings(panel: Locator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    await panel.getByLabel(label, { exact: true }).fill(value);
  }
}

test('automation editor: add steps from the palette, reorder by keyboard, autosave, problems on the step', async ({
  page,
}) => {
  test.setTimeout(120_000);
  page.on('dialog', (d) => void d.accept());
  await registerViaUi(page, newUser('Editor'));
  const teamId = await personalTeamId(page);
  const { automation } = await apiAs<{ automation: { id: string } }>(
    page,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name: 'Welcome new leads',
    },
  );
  const url = `/teams/${teamId}/automations/${automation.id}`;
  await page.goto(url);
  await settled(page);
  await expect(page.getByTestId('no-steps')).toHaveText(
    'Choose what starts this automation, then add its first step.',
  );

  // An email: new steps start with blanks to fill in, so the draft cannot be saved yet.
  await addStep(page, page.getByRole('button', { name: 'Add a step to Steps' }), 'email', 'Send an email');
  const status = page.getByTestId('save-state');
  await expect(status).toContainText(/Not saved yet: fix \d+ problems?/);
  const email = page.locator('[data-step-card="send_email"]');
  await expect(email.getByTestId('step-problems')).toBeVisible();
  const panel = page.locator('#step-panel');
  await setSettings(panel, { Subject: 'Welcome aboard', Message: 'Hello and welcome.' });

  // A wait after it.
  await addStep(
    page,
    page.getByRole('button', { name: 'Add a step after "Send an email"' }),
    'wait',
    'Wait a while',
  );
  await expect(status).toHaveText('All changes saved');
  await expect(email.getByTestId('step-problems')).toHaveCount(0);

  // Keyboard reorder: the wait goes first, focus stays on it.
  const cards = page.locator('[data-step-card]');
  await expect(cards).toHaveCount(2);
  await page.getByRole('button', { name: 'Move "Wait a while" up' }).focus();
  await page.keyboard.press('Enter');
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'wait');
  await expect(page.locator('[data-step-card="wait"] [data-card-main]')).toBeFocused();
  await expect(status).toHaveText('All changes saved');

  // And by dragging its handle: the email goes back above the wait.
  const handle = page.getByLabel('Drag to move "Send an email"');
  const box = await page.locator('[data-step-card="wait"]').boundingBox();
  if (!box) throw new Error('no wait card');
  await handle.hover();
  await page.mouse.down();
  await page.mouse.move(box.x + 30, box.y + 5, { steps: 12 });
  await page.mouse.move(box.x + 30, box.y + 2, { steps: 4 });
  await page.mouse.up();
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'send_email');
  await expect(status).toHaveText('All changes saved');
  await page.getByRole('button', { name: 'Move "Send an email" down' }).click();
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'wait');
  await expect(status).toHaveText('All changes saved');

  // The drag handle by keyboard (Space, an arrow): the move is saved even when focus moves on without the drop.
  await page.getByLabel('Drag to move "Send an email"').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowUp');
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'send_email');
  await expect(status).toHaveText('All changes saved');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Move "Send an email" down' }).click();
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'wait');
  await expect(status).toHaveText('All changes saved');

  if (shots) {
    await page.locator('[data-step-card="send_email"] [data-card-main]').click();
    await page.screenshot({ path: `${shots}/editor-1280.png`, fullPage: true });
  }

  // Saved on the server: a reload shows them in the new order.
  await page.reload();
  await settled(page);
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toHaveAttribute('data-step-card', 'wait');
  await expect(cards.nth(1)).toHaveAttribute('data-step-card', 'send_email');

  // A wait over a year: the API refuses it, and the problem shows on the wait's card and in its form.
  const wait = page.locator('[data-step-card="wait"]');
  await wait.locator('[data-card-main]').click();
  await setSettings(panel, { 'How long': '500d' });
  await expect(status).toContainText('Not saved yet: fix 1 problem');
  if (shots) await page.screenshot({ path: `${shots}/problem-1280.png` });
  await expect(wait.getByTestId('step-problems')).toHaveText('1 problem');
  await expect(panel.locator('.field-error').first()).toBeVisible();

  // The refused change is kept in the browser and offered back after a reload.
  await page.reload();
  await settled(page);
  await page.getByRole('button', { name: 'Restore your unsaved changes' }).click();
  await expect(wait).toContainText('For 500 days');
  await expect(wait.getByTestId('step-problems')).toHaveText('1 problem');
});

test('automation editor: lanes of a branch, a loop and an error path, at desktop and phone width', async ({
  page,
}) => {
  await registerViaUi(page, newUser('Lanes'));
  const teamId = await personalTeamId(page);
  const wait = (id: string, duration = '1d') => ({
    id,
    name: `Wait ${duration}`,
    type: 'wait',
    config: { duration },
  });
  const definition = {
    version: 1,
    trigger: { type: 'manual' },
    steps: [
      {
        id: 'which',
        name: 'VIP or not',
        type: 'branch',
        config: {
          branches: [{ when: 'trigger.vip == true', steps: [wait('vip_wait', '2h')] }],
          otherwise: [wait('other_wait')],
        },
        on_error: [wait('recover', '1h')],
      },
      {
        id: 'each',
        name: 'For every tag',
        type: 'for_each',
        config: { items: '{{ trigger.tags }}', steps: [wait('per_tag', '1m')] },
      },
    ],
  };
  const { automation } = await apiAs<{ automation: { id: string } }>(
    page,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name: 'Lanes',
      definition,
    },
  );
  await page.goto(`/teams/${teamId}/automations/${automation.id}`);
  await settled(page);
  await expect(page.getByRole('region', { name: 'VIP or not: Path 1' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'VIP or not: Otherwise' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'VIP or not: If this step fails' })).toBeVisible();
  await expect(page.locator('[data-step-card="per_tag"]')).toBeVisible();

  // Folding a lane hides its steps.
  await page.getByRole('button', { name: 'Otherwise', exact: true }).click();
  await expect(page.locator('[data-step-card="other_wait"]')).toBeHidden();
  await page.getByRole('button', { name: 'Otherwise', exact: true }).click();

  // Deleting a step that holds steps asks first.
  await page.getByRole('button', { name: 'Delete "For every tag"' }).click();
  await expect(page.getByRole('alertdialog')).toContainText(
    'Delete "For every tag" and the steps inside it?',
  );
  await page.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.locator('[data-step-card="each"]')).toBeVisible();

  // Any step can get steps that run when it fails; a branch can get another path.
  await addStep(
    page,
    page.getByRole('button', { name: 'Add steps that run if "For every tag" fails' }),
    'wait',
    'Wait a while',
  );
  await expect(page.getByRole('region', { name: 'For every tag: If this step fails' })).toBeVisible();
  await page.getByRole('button', { name: 'Add a path' }).click();
  await expect(page.getByRole('region', { name: 'VIP or not: Path 2' })).toBeVisible();
  expect(await seriousAxeFindings(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeFindings(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  if (shots) {
    await page.screenshot({ path: `${shots}/lanes-1280.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${shots}/lanes-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('#step-panel').getByRole('button', { name: 'Close' }).click();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: `${shots}/lanes-375.png`, fullPage: true });
    await page.locator('[data-step-card="vip_wait"] [data-card-main]').click();
    await page.screenshot({ path: `${shots}/panel-375.png` });
    await page.locator('#step-panel').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Add a step at the start of Steps' }).click();
    await page.getByRole('searchbox').fill('wa');
    await page.screenshot({ path: `${shots}/palette-375.png` });
    await page.keyboard.press('Escape');
  }
});
