import { api } from '$lib/server/api';
import { loadRunPage, runListFilters } from '$lib/server/automation-runs';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const filters = runListFilters(event.url);
  try {
    const [page, list] = await Promise.all([
      loadRunPage(event, team.id, filters),
      api(event).get<{ automations: { id: string; name: string }[] }>(`${teamPath(team.id)}/automations`),
    ]);
    const automations = list.automations.map((a) => ({ id: a.id, name: a.name }));
    return { team, filters, ...page, automations };
  } catch (err) {
    loadError(err);
  }
};
