import { loadRunPage, runListFilters } from '$lib/server/automation-runs';
import { loadError } from '$lib/server/guard';
import { requireTeam } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The Runs tab of one automation: the team's run list, filtered to it. */
export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const filters = runListFilters(event.url, event.params.automationId);
  try {
    const page = await loadRunPage(event, team.id, filters);
    return { team, automationId: event.params.automationId, filters, ...page };
  } catch (err) {
    loadError(err);
  }
};
