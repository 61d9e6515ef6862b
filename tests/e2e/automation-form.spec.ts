import { expect, test, type Page } from '@playwright/test';
import { newUser, registerViaUi, settled } from '../support/e2e';

/**
 * Issue 13, point 7: "fix a validation error shown on a field". An automation is created through the API (a
 * webhook lead and a welcome email), opened in the editor; a wrong To address is typed into the step's form,
 * autosave sends it, the API's problem shows under the To field (aria-invalid, described by the error); fixing
 * it with a value from the variable picker saves the draft.
 *
 * The editor page (/teams/{teamId}/automations/{id}, the Steps tab) is built in parallel with the forms: this
 * spec assumes it renders StepForm for the selected step (field ids `f-<step id>-config.to`) and shows its
 * autosave state in words ("Saved"). Marked fixme until the lead wires them together.
 */

const api = (path: string) => `${process.env.E2E_API_URL}/api/v1${path}`;

async function accessToken(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'hf_access');
  if (!cookie) throw new Error('No session cookie after registering');
  return cookie.value;
}

async function apiCall<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(api(path), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function setUp(page: Page, label: string) {
  const me = newUser(label);
  await registerViaUi(page, me);
  const token = await accessToken(page);
  const { teams } = await apiCall<{ teams: { id: string }[] }>(token, 'GET', '/me');
  const teamId = teams[0]!.id;
  const { automation } = await apiCall<{ automation: { id: string } }>(
    token,
    'POST',
    `/teams/${teamId}/automations`,
    {
      name: 'Welcome new leads',
      definition: {
        version: 1,
        trigger: { type: 'webhook', auth: { scheme: 'token' } },
        steps: [
          {
            id: 'welcome',
            name: 'Welcome email',
            type: 'send_email',
            config: { to: '{{ trigger.email }}', subject: 'Welcome, {{ trigger.name }}!', body: 'Hi!' },
          },
        ],
      },
    },
  );
  return { token, teamId, automationId: automation.id };
}

test("automation form endpoints: the sample lead, a dry run in the step's words, a test run started", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { token, teamId, automationId } = await setUp(page, 'Try');
  const base = `/teams/${teamId}/automations/${automationId}`;

  const sample = await page.request.get(`${base}/test-run?type=webhook`);
  expect(await sample.json()).toEqual({ trigger: { email: 'lead@example.com', name: 'Lee' } });

  const tried = await page.request.post(`${base}/dry-run`, {
    data: { step_id: 'welcome', sample: { trigger: { email: 'ann@example.com', name: 'Ann' } } },
  });
  expect(tried.status()).toBe(200);
  const preview = (await tried.json()) as {
    config: { to: string; subject: string };
    preview: { email: object };
  };
  expect(preview.config).toMatchObject({ to: 'ann@example.com', subject: 'Welcome, Ann!' });
  expect(preview.preview.email).toMatchObject({ to: 'ann@example.com', subject: 'Welcome, Ann!' });

  const failed = await page.request.post(`${base}/dry-run`, {
    data: { step_id: 'welcome', sample: { trigger: { name: 'Ann' } } },
  });
  expect(failed.status()).toBe(400);
  const problem = (await failed.json()) as { error: { details: { field: string; message: string }[] } };
  expect(problem.error.details[0]).toMatchObject({ field: 'config.to' });

  // Before activation a test run says what to do; after it, it starts and answers the run's id.
  const early = await page.request.post(`${base}/test-run`, {
    data: { payload: { email: 'a@example.com' } },
  });
  expect((await early.json()) as object).toMatchObject({
    error: { message: 'Activate the automation first: a test run uses its active version.' },
  });
  await apiCall(token, 'POST', `/teams/${teamId}/automations/${automationId}/activate`);
  const started = await page.request.post(`${base}/test-run`, {
    data: { payload: { email: 'lead@example.com', name: 'Lee' } },
  });
  expect(started.status()).toBe(200);
  expect(((await started.json()) as { workflow_id: string }).workflow_id).toMatch(/^auto:/);
});

test.fixme('automation form: a wrong address shows under the To field, fixing it saves', async ({ page }) => {
  test.setTimeout(180_000);
  const { token, teamId, automationId } = await setUp(page, 'Form');
  await page.goto(`/teams/${teamId}/automations/${automationId}`);
  await settled(page);
  await page
    .getByRole('button', { name: /Welcome email/ })
    .first()
    .click();
  const form = page.getByTestId('step-form');
  const to = form.locator('#f-welcome-config\\.to');
  await expect(to).toHaveValue('{{ trigger.email }}');

  // A wrong address: autosave sends it, the API refuses it, the problem shows under the field.
  await to.fill('not-an-email');
  const error = form.locator('#f-welcome-config\\.to-error');
  await expect(error).toContainText('an email address');
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(to).toHaveAttribute('aria-describedby', /f-welcome-config\.to-error/);

  // Fixed with the variable picker, by keyboard: the error goes and the draft is saved.
  await to.fill('');
  await form.getByRole('button', { name: 'Insert a value into To' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('trigger.email');
  await page.keyboard.press('Enter');
  await expect(to).toHaveValue('{{ trigger.email }}');
  await expect(error).toHaveCount(0);
  await expect(to).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/^Saved/).first()).toBeVisible();

  const { automation: saved } = await apiCall<{
    automation: { definition: { steps: { config: { to: string } }[] } };
  }>(token, 'GET', `/teams/${teamId}/automations/${automationId}`);
  expect(saved.definition.steps[0]!.config.to).toBe('{{ trigger.email }}');
});
