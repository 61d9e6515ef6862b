import { ApiError, api } from './api';
import { teamPath } from './current-team';
import type { AutomationRunStatus, AutomationRunsPage } from '$api/automation-runs';
import { automationRunStatuses } from '$lib/automation-runs';

type Event = Parameters<typeof api>[0] & { url: URL };

/** The run list's filters as the URL holds them: `status` (repeatable), `q`, `automation`. */
export interface RunListFilters {
  statuses: AutomationRunStatus[];
  q: string;
  automationId: string | null;
}

export function runListFilters(url: URL, automationId: string | null = null): RunListFilters {
  const wanted = url.searchParams.getAll('status').flatMap((s) => s.split(','));
  return {
    statuses: automationRunStatuses.filter((s) => wanted.includes(s)),
    q: (url.searchParams.get('q') ?? '').trim().slice(0, 200),
    automationId: automationId ?? (url.searchParams.get('automation') || null),
  };
}

/** The API query of a page of runs with these filters, after `before` when given. */
function runListQuery(f: RunListFilters, before: string | null = null): string {
  const query = new URLSearchParams();
  if (f.statuses.length) query.set('status', f.statuses.join(','));
  if (f.q) query.set('q', f.q);
  if (f.automationId) query.set('automation_id', f.automationId);
  if (before) query.set('before', before);
  query.set('limit', '25');
  return `?${query}`;
}

/**
 * One page of the team's automation runs. A filter the API refuses (a stray character in the search) gives an
 * empty page with the reason instead of an error page.
 */
export async function loadRunPage(
  event: Event,
  teamId: string,
  f: RunListFilters,
  before: string | null = null,
): Promise<AutomationRunsPage & { problem: string | null }> {
  try {
    const page = await api(event).get<AutomationRunsPage>(
      `${teamPath(teamId)}/automation-runs${runListQuery(f, before)}`,
    );
    return { ...page, problem: null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      return {
        runs: [],
        nextBefore: null,
        problem: 'This search cannot be used: remove unusual characters and try again.',
      };
    }
    throw err;
  }
}
