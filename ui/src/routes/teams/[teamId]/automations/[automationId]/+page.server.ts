import type { EditedAutomation } from '$lib/automation-draft';
import type { LastRunSample } from '$lib/automation-last-run';
import { lastRunSample } from '$lib/automation-last-run';
import { atLeast } from '$lib/roles';
import type { BuilderRecords } from '$lib/schema-form';
import { api } from '$lib/server/api';
import { builderCatalog } from '$lib/server/automation-builder';
import { sampleTriggerPayload } from '$lib/server/automation-samples';
import { requireTeam, teamPath } from '$lib/server/current-team';
import { loadError } from '$lib/server/guard';
import type { BonusesResponse } from '$api/bonuses';
import type { CampaignsResponse } from '$api/campaigns';
import type { SequencesResponse } from '$api/sequences';
import type { PageServerLoad } from './$types';

type Automation = EditedAutomation;

/**
 * The Steps tab. The automation comes from the layout (lifecycle) when it provides it; on its own the page reads
 * it itself. The catalog (JSON Schema per step and trigger type) is the same the API validates with; the team's
 * campaigns, sequences and bonuses feed the forms' pickers; a sample trigger (and, streamed, the last run's
 * trigger and step outputs) feed the variable picker and the values shown beside expressions.
 */
export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  const base = teamPath(team.id);
  // The lifecycle layout provides { automation, canEdit, role } (typed loosely here so either side can change).
  const fromLayout = (await event.parent()) as Record<string, unknown>;
  let automation = fromLayout.automation as Automation | undefined;
  const automationId = encodeURIComponent(event.params.automationId);
  let records: Required<BuilderRecords>;
  try {
    const [fetched, { campaigns }, { sequences }, { bonuses }] = await Promise.all([
      automation
        ? Promise.resolve(automation)
        : client
            .get<{ automation: Automation }>(`${base}/automations/${automationId}`)
            .then((r) => r.automation),
      client.get<CampaignsResponse>(`${base}/campaigns`),
      client.get<SequencesResponse>(`${base}/sequences`),
      client.get<BonusesResponse>(`${base}/bonuses`),
    ]);
    automation = fetched;
    const pick = (r: { id: string; name: string }) => ({ id: r.id, name: r.name });
    records = {
      campaigns: campaigns.filter((c) => c.status !== 'archived').map(pick),
      sequences: sequences.map(pick),
      bonuses: bonuses.map(pick),
    };
  } catch (err) {
    loadError(err);
  }
  const { stepSchemas, triggerSchemas, defs, stepTypes } = builderCatalog();
  const trigger = (automation.definition as { trigger?: Parameters<typeof sampleTriggerPayload>[0] } | null)
    ?.trigger ?? { type: 'manual' as const };
  return {
    automation,
    canEdit: typeof fromLayout.canEdit === 'boolean' ? fromLayout.canEdit : atLeast(team.role, 'editor'),
    catalog: { stepSchemas, triggerSchemas, defs, stepTypes },
    records,
    sample: sampleTriggerPayload(trigger),
    // Streamed: the page shows without waiting for the run's state (read from the run's worker).
    lastRun: lastRunSample((path) => client.get(path), base, automationId).catch(
      (): LastRunSample | null => null,
    ),
  };
};
