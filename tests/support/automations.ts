import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import { validateDefinition } from '../../lib/automations/validate';
import { startAutomationRun, type StartedAutomationRun } from '../../temporal/automation-starts';
import type {
  AutomationDefinitionSpec,
  AutomationRunInput,
  AutomationStepSpec,
} from '../../workflows/contracts/automation-run';

export interface SeededAutomation {
  id: string;
  teamId: string;
  name: string;
  versionId: string;
  version: number;
  definition: AutomationDefinitionSpec;
}

/** An automation row and its published version 1 at current_version_id, its trigger copied as activation does. */
async function insertAutomation(
  db: Knex,
  a: { teamId: string; name: string; definition: AutomationDefinitionSpec; status?: string },
): Promise<{ id: string; versionId: string }> {
  return db.transaction(async (trx) => {
    const [row] = await trx('workflows')
      .insert({
        team_id: a.teamId,
        name: a.name,
        trigger: JSON.stringify(a.definition.trigger),
        status: a.status ?? 'active',
      })
      .returning<{ id: string }[]>('id');
    const [version] = await trx('workflow_versions')
      .insert({
        workflow_id: row!.id,
        team_id: a.teamId,
        version: 1,
        definition: JSON.stringify(a.definition),
        content_hash: randomUUID().replace(/-/g, ''),
        published_at: trx.fn.now(),
      })
      .returning<{ id: string }[]>('id');
    await trx('workflows').where({ id: row!.id }).update({ current_version_id: version!.id });
    return { id: row!.id, versionId: version!.id };
  });
}

/**
 * An active automation with one published version, written straight to its tables (tests of the interpreter and
 * of triggers that do not go through the automations API). The definition must pass validateDefinition.
 */
export async function seedAutomation(
  db: Knex,
  a: { teamId: string; name?: string; definition: unknown; status?: 'active' | 'paused' },
): Promise<SeededAutomation> {
  const checked = validateDefinition(a.definition);
  if (!checked.ok) throw new Error(`invalid test definition: ${JSON.stringify(checked.problems)}`);
  const definition = checked.definition as unknown as AutomationDefinitionSpec;
  const name = a.name ?? `Test automation ${randomUUID().slice(0, 6)}`;
  const { id, versionId } = await insertAutomation(db, {
    teamId: a.teamId,
    name,
    definition,
    status: a.status,
  });
  return { id, teamId: a.teamId, name, versionId, version: 1, definition };
}

/** Starts a run of a seeded automation through the real starter. */
export function startSeededRun(
  client: Client,
  db: Knex,
  a: SeededAutomation,
  trigger: Partial<AutomationRunInput['trigger']> = {},
  resume?: AutomationRunInput['resume'],
): Promise<StartedAutomationRun> {
  return startAutomationRun(client, db, {
    automation: { id: a.id, teamId: a.teamId, name: a.name },
    version: { id: a.versionId, version: a.version, definition: a.definition },
    trigger: { source: 'manual', payload: {}, key: `test:${randomUUID()}`, ...trigger },
    ...(resume ? { resume } : {}),
  });
}

export type GivenAutomation = SeededAutomation;

/**
 * An automation inserted without validating its definition (tests of triggers give filters that fail on purpose),
 * in the status asked (active by default).
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
  const { id, versionId } = await insertAutomation(db, {
    teamId: a.teamId,
    name,
    definition,
    status: a.status,
  });
  return { id, teamId: a.teamId, name, versionId, version: 1, definition };
}
