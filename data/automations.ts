import type { Knex } from 'knex';
import type { AutomationDefinitionSpec } from '../workflows/contracts/automation-run';

type Db = Knex | Knex.Transaction;

/** draft: never activated; active: triggers start runs; paused: they do not (running runs go on). */
export type AutomationStatus = 'draft' | 'active' | 'paused' | 'archived';

/** An automation: a `workflows` row. Its live definition is the published version at currentVersionId. */
export interface AutomationRow {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  /** A copy of the live version's trigger (`{}` until the first activation). */
  trigger: { type?: string } & Record<string, unknown>;
  status: AutomationStatus;
  currentVersionId: string | null;
  /** Whether a webhook secret was generated (the secret itself is read only by findAutomationSecret). */
  hasWebhookSecret: boolean;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AutomationVersionRow {
  id: string;
  automationId: string;
  teamId: string;
  version: number;
  definition: AutomationDefinitionSpec;
  contentHash: string;
  /** null: a draft (it may still change); set: published and immutable. */
  publishedAt: Date | null;
  publishedBy: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const automationColumns = [
  'w.id',
  'w.team_id as teamId',
  'w.name',
  'w.description',
  'w.trigger',
  'w.status',
  'w.current_version_id as currentVersionId',
  'w.created_by as createdBy',
  'w.updated_by as updatedBy',
  'w.created_at as createdAt',
  'w.updated_at as updatedAt',
];

const versionColumns = [
  'id',
  'workflow_id as automationId',
  'team_id as teamId',
  'version',
  'definition',
  'content_hash as contentHash',
  'published_at as publishedAt',
  'published_by as publishedBy',
  'created_by as createdBy',
  'created_at as createdAt',
  'updated_at as updatedAt',
];

function selectAutomations(db: Db) {
  return db({ w: 'workflows' }).select([
    ...automationColumns,
    db.raw('(w.webhook_secret_sealed IS NOT NULL) AS "hasWebhookSecret"'),
  ]);
}

export async function insertAutomation(
  db: Db,
  a: { teamId: string; name: string; description: string | null; createdBy: string },
): Promise<string> {
  const [row] = await db('workflows')
    .insert({
      team_id: a.teamId,
      name: a.name,
      description: a.description,
      status: 'draft',
      created_by: a.createdBy,
      updated_by: a.createdBy,
    })
    .returning<{ id: string }[]>('id');
  if (!row) throw new Error('automation insert returned no row');
  return row.id;
}

export function findAutomation(db: Db, teamId: string, id: string): Promise<AutomationRow | undefined> {
  return selectAutomations(db).where({ 'w.team_id': teamId, 'w.id': id }).first<AutomationRow | undefined>();
}

/** For the public webhook door, which knows only the automation id (the caller proves itself with the secret). */
export function findAutomationById(db: Db, id: string): Promise<AutomationRow | undefined> {
  return selectAutomations(db).where({ 'w.id': id }).first<AutomationRow | undefined>();
}

export function listAutomations(db: Db, teamId: string): Promise<AutomationRow[]> {
  return selectAutomations(db)
    .where({ 'w.team_id': teamId })
    .whereNot({ 'w.status': 'archived' })
    .orderBy([
      { column: 'w.created_at', order: 'desc' },
      { column: 'w.id', order: 'desc' },
    ]);
}

/** Locks the automation's row for the rest of the transaction (saves and activations of one automation queue). */
export async function lockAutomation(trx: Knex.Transaction, teamId: string, id: string): Promise<boolean> {
  const row = await trx('workflows')
    .where({ team_id: teamId, id })
    .forUpdate()
    .first<{ id: string } | undefined>('id');
  return row !== undefined;
}

export async function updateAutomation(
  db: Db,
  teamId: string,
  id: string,
  patch: { name?: string; description?: string | null; updatedBy: string },
): Promise<boolean> {
  const changes: Record<string, unknown> = { updated_by: patch.updatedBy, updated_at: db.fn.now() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  const n = await db('workflows').where({ team_id: teamId, id }).update(changes);
  return n > 0;
}

export async function setAutomationStatus(
  db: Db,
  teamId: string,
  id: string,
  status: AutomationStatus,
  updatedBy: string,
): Promise<void> {
  await db('workflows')
    .where({ team_id: teamId, id })
    .update({ status, updated_by: updatedBy, updated_at: db.fn.now() });
}

/** Makes a published version the live one: its trigger is copied for matching and the automation is active. */
export async function makeVersionLive(
  db: Db,
  a: { teamId: string; id: string; versionId: string; trigger: unknown; updatedBy: string },
): Promise<void> {
  await db('workflows')
    .where({ team_id: a.teamId, id: a.id })
    .update({
      current_version_id: a.versionId,
      trigger: JSON.stringify(a.trigger),
      status: 'active',
      updated_by: a.updatedBy,
      updated_at: db.fn.now(),
    });
}

export async function deleteAutomation(db: Db, teamId: string, id: string): Promise<boolean> {
  const n = await db('workflows').where({ team_id: teamId, id }).delete();
  return n > 0;
}

/** The sealed webhook secret (token or Standard Webhooks key), or null before the first activation. */
export async function findAutomationSecret(db: Db, id: string): Promise<string | null> {
  const row = await db('workflows')
    .where({ id })
    .first<{ sealed: string | null } | undefined>('webhook_secret_sealed as sealed');
  return row?.sealed ?? null;
}

export async function setAutomationSecret(db: Db, teamId: string, id: string, sealed: string): Promise<void> {
  await db('workflows').where({ team_id: teamId, id }).update({ webhook_secret_sealed: sealed });
}

export function latestVersion(
  db: Db,
  teamId: string,
  automationId: string,
): Promise<AutomationVersionRow | undefined> {
  return db('workflow_versions')
    .where({ team_id: teamId, workflow_id: automationId })
    .orderBy('version', 'desc')
    .first<AutomationVersionRow | undefined>(versionColumns);
}

/** The latest version of each of these automations (one query for a list), by automation id. */
export async function latestVersionsOf(
  db: Db,
  teamId: string,
  automationIds: string[],
): Promise<Map<string, Omit<AutomationVersionRow, 'definition'> & { triggerType: string | null }>> {
  if (automationIds.length === 0) return new Map();
  const rows = await db('workflow_versions')
    .distinctOn('workflow_id')
    .where({ team_id: teamId })
    .whereIn('workflow_id', automationIds)
    .orderBy([{ column: 'workflow_id' }, { column: 'version', order: 'desc' }])
    .select<(Omit<AutomationVersionRow, 'definition'> & { triggerType: string | null })[]>([
      ...versionColumns.filter((c) => c !== 'definition'),
      // What starts the latest version (a draft's trigger is not copied to the automation until activation).
      db.raw(`definition -> 'trigger' ->> 'type' AS "triggerType"`),
    ]);
  return new Map(rows.map((r) => [r.automationId, r]));
}

/** The version numbers of these version ids (the live versions of a list). */
export async function versionNumbers(
  db: Db,
  teamId: string,
  versionIds: string[],
): Promise<Map<string, number>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db('workflow_versions')
    .where({ team_id: teamId })
    .whereIn('id', versionIds)
    .select<{ id: string; version: number }[]>('id', 'version');
  return new Map(rows.map((r) => [r.id, r.version]));
}

/** Every version, newest first, without their definitions (a list of who saved or published what, when). */
export function listVersions(
  db: Db,
  teamId: string,
  automationId: string,
): Promise<Omit<AutomationVersionRow, 'definition'>[]> {
  return db('workflow_versions')
    .where({ team_id: teamId, workflow_id: automationId })
    .orderBy('version', 'desc')
    .select(versionColumns.filter((c) => c !== 'definition'));
}

export function findVersion(
  db: Db,
  teamId: string,
  automationId: string,
  by: { version: number } | { contentHash: string } | { id: string },
): Promise<AutomationVersionRow | undefined> {
  const query = db('workflow_versions').where({ team_id: teamId, workflow_id: automationId });
  if ('version' in by) query.where({ version: by.version });
  else if ('id' in by) query.where({ id: by.id });
  // A hash can name a draft and a published version at once (a draft saved back to published content):
  // the published one is the stable address.
  else query.where({ content_hash: by.contentHash }).orderByRaw('published_at IS NULL, version DESC');
  return query.first<AutomationVersionRow | undefined>(versionColumns);
}

/** The newest published version with this content, for activating a draft that changed nothing. */
export function findPublishedByHash(
  db: Db,
  teamId: string,
  automationId: string,
  contentHash: string,
): Promise<AutomationVersionRow | undefined> {
  return db('workflow_versions')
    .where({ team_id: teamId, workflow_id: automationId, content_hash: contentHash })
    .whereNotNull('published_at')
    .orderBy('version', 'desc')
    .first<AutomationVersionRow | undefined>(versionColumns);
}

export async function insertVersion(
  db: Db,
  v: {
    teamId: string;
    automationId: string;
    version: number;
    definition: unknown;
    contentHash: string;
    createdBy: string;
  },
): Promise<string> {
  const [row] = await db('workflow_versions')
    .insert({
      team_id: v.teamId,
      workflow_id: v.automationId,
      version: v.version,
      definition: JSON.stringify(v.definition),
      content_hash: v.contentHash,
      created_by: v.createdBy,
    })
    .returning<{ id: string }[]>('id');
  if (!row) throw new Error('version insert returned no row');
  return row.id;
}

/** Replaces a draft's definition (only drafts: the WHERE keeps a published row untouched). */
export async function replaceDraft(
  db: Db,
  v: { teamId: string; versionId: string; definition: unknown; contentHash: string; createdBy: string },
): Promise<boolean> {
  const n = await db('workflow_versions')
    .where({ team_id: v.teamId, id: v.versionId })
    .whereNull('published_at')
    .update({
      definition: JSON.stringify(v.definition),
      content_hash: v.contentHash,
      created_by: v.createdBy,
      updated_at: db.fn.now(),
    });
  return n > 0;
}

export async function publishVersion(
  db: Db,
  v: { teamId: string; versionId: string; publishedBy: string },
): Promise<void> {
  await db('workflow_versions')
    .where({ team_id: v.teamId, id: v.versionId })
    .whereNull('published_at')
    .update({ published_at: db.fn.now(), published_by: v.publishedBy, updated_at: db.fn.now() });
}

/** Drops a draft (one that repeats a published version's content, when that version is activated instead). */
export async function deleteDraft(db: Db, teamId: string, versionId: string): Promise<void> {
  await db('workflow_versions').where({ team_id: teamId, id: versionId }).whereNull('published_at').delete();
}
