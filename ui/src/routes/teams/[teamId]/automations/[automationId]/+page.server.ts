import type { EditedAutomation } from '$lib/automation-draft';
import { atLeast } from '$lib/roles';
import { api } from '$lib/server/api';
import { builderCatalog } from '$lib/server/automation-builder';
import { requireTeam, teamPath } from '$lib/server/current-team';
import { loadError } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

type Automation = EditedAutomation;

/**
 * The Steps tab. The automation comes from the layout (lifecycle) when it provides it; on its own the page reads
 * it itself. The catalog (JSON Schema per step and trigger type) is the same the API validates with.
 */
export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  // The lifecycle layout provides { automation, canEdit, role } (typed loosely here so either side can change).
  const fromLayout = (await event.parent()) as Record<string, unknown>;
  let automation = fromLayout.automation as Automation | undefined;
  if (!automation) {
    try {
      automation = (
        await api(event).get<{ automation: Automation }>(
          `${teamPath(team.id)}/automations/${encodeURIComponent(event.params.automationId)}`,
        )
      ).automation;
    } catch (err) {
      loadError(err);
    }
  }
  const { stepSchemas, triggerSchemas, defs, stepTypes } = builderCatalog();
  return {
    automation,
    canEdit: typeof fromLayout.canEdit === 'boolean' ? fromLayout.canEdit : atLeast(team.role, 'editor'),
    catalog: { stepSchemas, triggerSchemas, defs, stepTypes },
  };
};
