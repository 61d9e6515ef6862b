import { api } from '$lib/server/api';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import { atLeast } from '$lib/roles';
import type { AutomationDetail } from '$lib/automation-lifecycle';
import type { LayoutServerLoad } from './$types';

/** The automation (with its latest definition) and the caller's role, for the header and every tab. */
export const load: LayoutServerLoad = async (event) => {
  const team = requireTeam(event);
  try {
    const { automation } = await api(event).get<{ automation: AutomationDetail }>(
      `${teamPath(team.id)}/automations/${encodeURIComponent(event.params.automationId)}`,
    );
    return { team, automation, role: team.role, canEdit: atLeast(team.role, 'editor') };
  } catch (err) {
    loadError(err);
  }
};
