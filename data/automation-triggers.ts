import type { Knex } from 'knex';
import type { AutomationDefinitionSpec } from '../workflows/contracts/automation-run';

type Db = Knex | Knex.Transaction;

/** An active automation with its live (published) version: what a trigger needs to start a run. */
export interface LiveAutomation {
  id: string;
  teamId: string;
  name: string;
  /** The copy of the live version's trigger kept on the automation, for matching. */
  trigger: { type: string } & Record<string, unknown>;
  versionId: string;
  version: number;
  definition: AutomationDefinitionSpec;
}

/**
 * The team's active automations whose live trigger has this type (and, for `event` triggers, this event). Only
 * a published version at current_version_id counts: an automation never activated has nothing live to run.
 */
function liveAutomations(db: Db, teamId: string, triggerType: string) {
  return db('workflows as w')
    .join('workflow_versions as v', function joinLive() {
      this.on('v.id', '=', 'w.current_version_id').andOn('v.team_id', '=', 'w.team_id');
    })
    .where('w.team_id', teamId)
    .andWhere('w.status', 'active')
    .whereNotNull('v.published_at')
    .whereRaw("w.trigger->>'type' = ?", [triggerType])
    .orderBy('w.created_at')
    .orderBy('w.id');
}

const liveColumns = [
  'w.id as id',
  'w.team_id as teamId',
  'w.name as name',
  'w.trigger as trigger',
  'v.id as versionId',
  'v.version as version',
  'v.definition as definition',
];

/** Active automations of the team started by this platform event (`{ type: 'event', event }`). */
export function activeEventAutomations(db: Db, teamId: string, event: string): Promise<LiveAutomation[]> {
  return liveAutomations(db, teamId, 'event')
    .whereRaw("w.trigger->>'event' = ?", [event])
    .select<LiveAutomation[]>(liveColumns);
}

/** Active automations of the team started by ClickBank notifications (matched on their fields by the caller). */
export function activeClickbankAutomations(db: Db, teamId: string): Promise<LiveAutomation[]> {
  return liveAutomations(db, teamId, 'clickbank').select<LiveAutomation[]>(liveColumns);
}

/**
 * Whether anything of the team would react to this event: an active automation triggered by it, or a run still
 * going that waits for it. Lets a bulk action (a 50,000-row import) skip emitting events nobody listens to.
 */
export async function anyoneListensFor(db: Db, teamId: string, event: string): Promise<boolean> {
  const automation = await liveAutomations(db, teamId, 'event')
    .whereRaw("w.trigger->>'event' = ?", [event])
    .first<{ id: string } | undefined>('w.id');
  if (automation) return true;
  const run = await db('automation_runs')
    .where({ team_id: teamId })
    .whereNull('ended_at')
    .whereRaw('listens_for @> ARRAY[?]::text[]', [event])
    .first<{ workflow_id: string } | undefined>('workflow_id');
  return run !== undefined;
}
