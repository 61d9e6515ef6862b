import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import { validateDefinition } from '../../lib/automations/validate';
import { startAutomationRun, type StartedAutomationRun } from '../../temporal/automation-starts';
import type { AutomationDefinitionSpec, AutomationRunInput } from '../../workflows/contracts/automation-run';

export interface SeededAutomation {
  id: string;
  teamId: string;
  name: string;
  versionId: string;
  version: number;
  definition: AutomationDefinitionSpec;
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
  const id = randomUUID();
  const versionId = randomUUID();
  const name = a.name ?? `Test automation ${id.slice(0, 6)}`;
  await db('workflows').insert({
    id,
    team_id: a.teamId,
    name,
    trigger: JSON.stringify(definition.trigger),
    status: a.status ?? 'active',
  });
  await db('workflow_versions').insert({
    id: versionId,
    workflow_id: id,
    team_id: a.teamId,
    version: 1,
    definition: JSON.stringify(definition),
    content_hash: randomUUID().replace(/-/g, ''),
    published_at: db.fn.now(),
  });
  await db('workflows').where({ id }).update({ current_version_id: versionId });
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
