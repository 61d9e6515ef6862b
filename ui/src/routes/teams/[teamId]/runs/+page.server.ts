import { api } from '$lib/server/api';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { RunsPage } from '$api/runs';
import { runStatuses, runTypes } from '$lib/runs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const params = event.url.searchParams;
  const type = runTypes.find((t) => t.value === params.get('type'))?.value ?? null;
  const status = runStatuses.find((s) => s === params.get('status')) ?? null;
  const cursor = params.get('cursor');
  const query = new URLSearchParams();
  if (type) query.set('type', type);
  if (status) query.set('status', status);
  if (cursor) query.set('cursor', cursor);
  try {
    const { runs, nextCursor } = await api(event).get<RunsPage>(
      `${teamPath(team.id)}/runs${query.size ? `?${query}` : ''}`,
    );
    return { team, runs, nextCursor, type, status, paged: Boolean(cursor) };
  } catch (err) {
    loadError(err);
  }
};
