import type { Knex } from 'knex';
import type { AutomationDefinitionSpec, AutomationStepSpec } from '../../workflows/contracts/automation-run';

export interface GivenAutomation {
  id: string;
  teamId: string;
  name: string;
  versionId: string;
  version: number;
  definition: AutomationDefinitionSpec;
}

/**
 * An automation with one published version at current_version_id, inserted directly (the automations API is
 * written elsewhere): its trigger copied onto the row as activation does, in the status asked (active by default).
 */
export async function givenAutomation(
  db: Knex,
  a: {
    teamId: string;
    name?: string;
    trigger: { type: string } & Record<string, unknown>;
    steps?: AutomationStepSpec[];
    status?: 'draft' | 'active' | 'paused' | 'archived';
  },
): Promise<GivenAutomation> {
  const definition: AutomationDefinitionSpec = {
    version: 1,
    trigger: a.trigger,
    steps: a.steps ?? [
      { id: 'note', name: 'Note it', type: 'set_variable', config: { name: 'seen', value: 'yes' } },
    ],
  };
  const name = a.name ?? `automation ${a.trigger.type}`;
  return db.transaction(async (trx) => {
    const [row] = await trx('workflows')
      .insert({ team_id: a.teamId, name, trigger: JSON.stringify(a.trigger), status: a.status ?? 'active' })
      .returning<{ id: string }[]>('id');
    const [version] = await trx('workflow_versions')
      .insert({
        workflow_id: row!.id,
        team_id: a.teamId,
        version: 1,
        definition: JSON.stringify(definition),
        published_at: trx.fn.now(),
      })
      .returning<{ id: string }[]>('id');
    await trx('workflows').where({ id: row!.id }).update({ current_version_id: version!.id });
    return { id: row!.id, teamId: a.teamId, name, versionId: version!.id, version: 1, definition };
  });
}
