import { expect, type Page } from '@playwright/test';

/**
 * A little data for the shell and accessibility browser tests, made through the API as the logged-in user (the
 * UI's session cookie carries the access token), so those tests do not depend on other pages' forms and words.
 */
export interface TeamData {
  teamId: string;
  campaignId: string;
  contentId: string | null;
  workflowId: string | null;
  sequenceId: string;
  productId: string | null;
}

function apiUrl(): string {
  const url = process.env.E2E_API_URL;
  if (!url) throw new Error('Set E2E_API_URL (scripts/e2e.sh does)');
  return url;
}

export async function apiAs<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const token = (await page.context().cookies()).find((c) => c.name === 'hf_access')?.value;
  if (!token) throw new Error('not logged in: no hf_access cookie');
  const res = await fetch(`${apiUrl()}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export async function teamsOf(page: Page): Promise<{ id: string; name: string; personal: boolean }[]> {
  return (await apiAs<{ teams: { id: string; name: string; personal: boolean }[] }>(page, 'GET', '/me'))
    .teams;
}

export async function personalTeamId(page: Page): Promise<string> {
  const team = (await teamsOf(page)).find((t) => t.personal);
  if (!team) throw new Error('no personal team');
  return team.id;
}

export async function createTeam(page: Page, name: string): Promise<string> {
  return (await apiAs<{ team: { id: string } }>(page, 'POST', '/teams', { name })).team.id;
}

export async function createCampaign(page: Page, teamId: string, name: string): Promise<string> {
  const res = await apiAs<{ campaign: { id: string } }>(page, 'POST', `/teams/${teamId}/campaigns`, {
    name,
    vendor: 'ShellVend',
  });
  return res.campaign.id;
}

export async function createContact(
  page: Page,
  teamId: string,
  email: string,
  firstName = 'Ada',
): Promise<void> {
  await apiAs(page, 'POST', `/teams/${teamId}/contacts`, { email, firstName, tags: ['readers'] });
}

/** Starts a short review article and, with `waitForReview`, waits until it is ready for review. */
export async function createContent(
  page: Page,
  teamId: string,
  campaignId: string,
  waitForReview = true,
): Promise<{ id: string; workflowId: string }> {
  const { content } = await apiAs<{ content: { id: string; workflowId: string } }>(
    page,
    'POST',
    `/teams/${teamId}/content`,
    { campaignId, type: 'review_article', tone: 'friendly', keywords: ['spring'], length: 'short' },
  );
  if (waitForReview) {
    await expect(async () => {
      const got = await apiAs<{ content: { status: string } }>(
        page,
        'GET',
        `/teams/${teamId}/content/${content.id}`,
      );
      expect(got.content.status).toBe('awaiting_review');
    }).toPass({ timeout: 90_000, intervals: [1000] });
  }
  return content;
}

export async function createSequence(
  page: Page,
  teamId: string,
  campaignId: string,
  name: string,
): Promise<string> {
  const res = await apiAs<{ sequence: { id: string } }>(page, 'POST', `/teams/${teamId}/sequences`, {
    name,
    campaignId,
    trigger: 'manual',
  });
  return res.sequence.id;
}

/** A product of the shared catalog, syncing it from the ClickBank sandbox first when it is empty. */
export async function someProductId(page: Page): Promise<string | null> {
  const first = async () =>
    (await apiAs<{ products: { id: string }[] }>(page, 'GET', '/products?limit=1')).products[0]?.id ?? null;
  const found = await first();
  if (found) return found;
  await apiAs(page, 'POST', '/products/sync');
  let id: string | null = null;
  await expect(async () => {
    id = await first();
    expect(id).not.toBeNull();
  }).toPass({ timeout: 150_000, intervals: [2000] });
  return id;
}
