import { expect, test } from '@playwright/test';
import { newUser, registerViaUi } from '../support/e2e';

test('create a team, add a member, change roles, see last-owner protection, remove the member', async ({
  browser,
}) => {
  const owner = newUser('Team Owner');
  const member = newUser('Team Member');

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await registerViaUi(memberPage, member);

  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  await registerViaUi(page, owner);

  const teamName = `Launch crew ${Date.now().toString(36)}`;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByPlaceholder('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('heading', { name: teamName, level: 1 })).toBeVisible();
  await expect(page.getByTestId('my-role')).toHaveText('You: Owner');

  // Unknown email -> inline error from the API (422 user_not_found).
  const addForm = page.locator('form[action="?/addMember"]');
  await addForm.getByLabel('Email').fill(`nobody.${Date.now()}@example.test`);
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('alert')).toContainText('No Hopflow account uses that email');

  await addForm.getByLabel('Email').fill(member.email);
  await addForm.getByLabel('Role').selectOption('viewer');
  await addForm.getByRole('button', { name: 'Add member' }).click();
  const memberRow = page.locator(`[data-testid="member-row"][data-email="${member.email}"]`);
  await expect(memberRow).toBeVisible();
  await expect(memberRow.getByRole('combobox')).toHaveValue('viewer');

  // The viewer sees the team but cannot manage it or start checks.
  await memberPage.goto('/teams');
  await memberPage.getByRole('link', { name: teamName }).click();
  await expect(memberPage.getByTestId('my-role')).toHaveText('You: Viewer');
  await expect(memberPage.locator('form[action="?/addMember"]')).toHaveCount(0);
  await expect(memberPage.getByRole('combobox')).toHaveCount(0);
  // The team just opened is the chosen one: the operations page (no team in its URL) shows its checks.
  await memberPage.goto('/operations');
  await expect(memberPage.getByRole('button', { name: 'Run platform check' })).toBeDisabled();

  await memberRow.getByRole('combobox').selectOption('editor');
  await memberRow.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Role updated.');
  await expect(memberRow.getByRole('combobox')).toHaveValue('editor');

  // The only owner may not demote themselves: 409 last_owner shown on that row.
  const ownerRow = page.locator(`[data-testid="member-row"][data-email="${owner.email}"]`);
  await ownerRow.getByRole('combobox').selectOption('admin');
  await ownerRow.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('at least one owner');
  await expect(ownerRow.getByRole('combobox')).toHaveValue('owner');
  await expect(page.getByTestId('my-role')).toHaveText('You: Owner');

  await memberPage.reload();
  await expect(memberPage.getByRole('button', { name: 'Run platform check' })).toBeEnabled();

  await memberRow.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove member' }).click();
  await expect(memberRow).toHaveCount(0);
  await memberPage.reload();
  // Removed from the team: the page falls back to the member's personal team.
  await expect(memberPage.getByText(teamName)).toHaveCount(0);

  await memberContext.close();
  await ownerContext.close();
});
