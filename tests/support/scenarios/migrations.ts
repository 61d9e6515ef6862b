import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Model } from 'objection';
import { createDb, migrateLatest, migrationsDir } from '../../../db/connection';
import * as models from '../../../db/models';
import { loadConfig } from '../../../lib/config';
import { writeClicks } from '../../../data/analytics';

/**
 * Migrates a database up, exercises the schema, rolls everything back and migrates up again, recording what
 * it saw. migrations.test.ts asserts on the record for PostgreSQL (in-process) and PGlite (a child process,
 * because PGlite loads its WASM through dynamic import(), which Jest's module sandbox rejects unless Node
 * runs with --experimental-vm-modules).
 */

export interface MigrationObservations {
  migrationFiles: string[];
  applied: string[];
  tablesAfterUp: string[];
  partitionStrategy: string | null;
  partitions: string[];
  firstMonthBound: string | null;
  routing: {
    now: string;
    currentPartition: string;
    futurePartition: string;
    createdForFuture: number;
    futurePartitionAfterEnsure: string;
    createdAgain: number;
  };
  /** The database's error message for each statement that must fail; null when it unexpectedly succeeded. */
  rejected: Record<
    | 'badEventType'
    | 'editPublished'
    | 'unpublish'
    | 'deletePublished'
    | 'duplicateVersion'
    | 'badTid'
    | 'duplicateTidInTeam'
    | 'bonusWithoutSource'
    | 'crossTeamBonus',
    string | null
  >;
  allowed: {
    publishDraft: boolean;
    editDraft: boolean;
    deleteDraft: boolean;
    sameTidOtherTeam: boolean;
    deleteAuthorOfPublished: boolean;
    publishedCreatedByAfterAuthorDeleted: string | null;
    versionsLeftAfterWorkflowDelete: number;
    teamDeleteWithPublishedVersion: boolean;
  };
  modelRelations: { model: string; relations: string[]; error: string | null }[];
  fetchedCampaignTeamName: string | null;
  tablesAfterDown: string[];
  functionsAfterDown: string[];
  reapplied: string[];
  tablesAfterReup: string[];
  partitionCountAfterReup: number;
  /** A campaign's click prefix and primary link (set by triggers), and a batch of clicks with its rollups. */
  clickTracking: {
    clickPrefix: string | null;
    primaryLinks: number;
    written: { written: number; unique: number };
    rollupClicks: number | null;
    rollupUniqueClicks: number | null;
  };
}

const migratorConfig: Knex.MigratorConfig = { directory: migrationsDir, loadExtensions: ['.ts', '.js'] };

async function rows<T>(db: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  const result = await db.raw<{ rows: T[] }>(sql, bindings);
  return result.rows;
}

async function one<T>(db: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T> {
  const [row] = await rows<T>(db, sql, bindings);
  if (row === undefined) throw new Error(`no row from: ${sql}`);
  return row;
}

async function insertOne(db: Knex, table: string, row: Record<string, unknown>): Promise<string> {
  const [inserted] = await db(table).insert(row).returning<{ id: string }[]>('id');
  if (!inserted) throw new Error(`no row inserted into ${table}`);
  return inserted.id;
}

async function rejection(statement: PromiseLike<unknown>): Promise<string | null> {
  try {
    await statement;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function succeeds(statement: PromiseLike<unknown>): Promise<boolean> {
  return (await rejection(statement)) === null;
}

async function publicTables(db: Knex): Promise<string[]> {
  const found = await rows<{ relname: string }>(
    db,
    `SELECT relname FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r','p') AND NOT relispartition
      ORDER BY 1`,
  );
  return found.map((r) => r.relname);
}

async function partitionOf(db: Knex, id: string): Promise<string> {
  const row = await one<{ name: string }>(
    db,
    'SELECT tableoid::regclass::text AS name FROM analytics_events WHERE id = ?',
    [id],
  );
  return row.name;
}

export async function runMigrationScenario(db: Knex): Promise<MigrationObservations> {
  const migrationFiles = fs
    .readdirSync(migrationsDir)
    .filter((f) => /^\d{14}_.*\.ts$/.test(f))
    .sort();
  const applied = await migrateLatest(db);
  const tablesAfterUp = await publicTables(db);

  const strategy = await rows<{ partstrat: string }>(
    db,
    "SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'analytics_events'::regclass",
  );
  const partitions = (
    await rows<{ name: string }>(
      db,
      "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'analytics_events'::regclass ORDER BY 1",
    )
  ).map((r) => r.name);
  const firstMonth = partitions.find((p) => p !== 'analytics_events_default');
  const bound = firstMonth
    ? await one<{ expr: string }>(
        db,
        'SELECT pg_get_expr(relpartbound, oid) AS expr FROM pg_class WHERE oid = ?::regclass',
        [firstMonth],
      )
    : null;

  // Tenancy fixtures.
  const userId = await insertOne(db, 'users', {
    email: 'owner@example.com',
    name: 'Owner',
    password_hash: 'x',
  });
  const teamId = await insertOne(db, 'teams', { name: 'Launch team', created_by: userId });
  const otherTeamId = await insertOne(db, 'teams', { name: 'Other team' });
  const productId = await insertOne(db, 'products', { clickbank_id: 'vendorx', title: 'Vendor X' });
  const campaign = {
    name: 'Launch',
    tid: 'launch_01',
    hoplink: 'https://hop.clickbank.net/?affiliate=aff&vendor=vendorx&tid=launch_01',
  };
  const campaignId = await insertOne(db, 'campaigns', {
    ...campaign,
    team_id: teamId,
    product_id: productId,
  });

  // Click tracking: the campaign got its click prefix and primary link; clicks and their rollups are written.
  const clickCampaign = await one<{ click_prefix: string }>(
    db,
    'SELECT click_prefix FROM campaigns WHERE id = ?',
    [campaignId],
  );
  const links = await rows<{ id: string }>(
    db,
    'SELECT id FROM tracking_links WHERE campaign_id = ? AND is_primary',
    [campaignId],
  );
  const clickBase = {
    teamId,
    campaignId,
    linkId: links[0]?.id ?? '',
    source: 'direct',
    sub1: 'a',
    sub2: null,
    sub3: null,
    device: 'mobile' as const,
    browser: 'Safari',
    country: null,
    referrerHost: 'example.com',
    botReason: null,
    occurredAt: new Date(),
    day: new Date().toISOString().slice(0, 10),
    visitorKey: 'visitor-1',
  };
  const written = await writeClicks(db, [
    { ...clickBase, clickId: '0000000a' },
    { ...clickBase, clickId: '0000000b' },
  ]);
  const rollup = await rows<{ clicks: number; unique_clicks: number }>(
    db,
    "SELECT clicks, unique_clicks FROM analytics_rollups WHERE campaign_id = ? AND dimension = 'all' AND basis = 'sale'",
    [campaignId],
  );
  await db('analytics_events').where({ type: 'click', campaign_id: campaignId }).delete();

  // Partition routing.
  const now = new Date();
  const currentEvent = await insertOne(db, 'analytics_events', {
    team_id: teamId,
    campaign_id: campaignId,
    type: 'sale',
    occurred_at: now,
    amount: '37.50',
    currency: 'USD',
    tid: 'launch_01',
    receipt: 'RCPT0001',
  });
  const currentPartition = await partitionOf(db, currentEvent);
  const futureEvent = await insertOne(db, 'analytics_events', {
    team_id: teamId,
    type: 'click',
    occurred_at: new Date(Date.UTC(2040, 2, 15, 12)),
  });
  const futurePartition = await partitionOf(db, futureEvent);
  const created = await one<{ n: number }>(db, "SELECT ensure_analytics_partitions('2040-03-20', 2) AS n");
  const futurePartitionAfterEnsure = await partitionOf(db, futureEvent);
  const createdAgain = await one<{ n: number }>(
    db,
    "SELECT ensure_analytics_partitions('2040-03-01', 2) AS n",
  );
  const badEventType = await rejection(
    db('analytics_events').insert({ team_id: teamId, type: 'bogus', occurred_at: now }),
  );

  // Workflow versions: drafts are editable, published ones are frozen.
  const workflowId = await insertOne(db, 'workflows', {
    team_id: teamId,
    name: 'On sale',
    trigger: { type: 'sale' },
  });
  const v1 = await insertOne(db, 'workflow_versions', {
    workflow_id: workflowId,
    team_id: teamId,
    version: 1,
    definition: { steps: [] },
    created_by: userId,
  });
  const publishDraft = await succeeds(
    db('workflow_versions').where({ id: v1 }).update({ published_at: now }),
  );
  await db('workflows').where({ id: workflowId }).update({ current_version_id: v1 });
  const editPublished = await rejection(
    db('workflow_versions')
      .where({ id: v1 })
      .update({ definition: JSON.stringify({ steps: ['changed'] }) }),
  );
  const unpublish = await rejection(db('workflow_versions').where({ id: v1 }).update({ published_at: null }));
  const deletePublished = await rejection(db('workflow_versions').where({ id: v1 }).delete());
  const duplicateVersion = await rejection(
    db('workflow_versions').insert({ workflow_id: workflowId, team_id: teamId, version: 1, definition: {} }),
  );
  const v2 = await insertOne(db, 'workflow_versions', {
    workflow_id: workflowId,
    team_id: teamId,
    version: 2,
    definition: {},
  });
  const editDraft = await succeeds(
    db('workflow_versions')
      .where({ id: v2 })
      .update({ definition: JSON.stringify({ steps: ['edited'] }) }),
  );
  const deleteDraft = await succeeds(db('workflow_versions').where({ id: v2 }).delete());
  const authorId = await insertOne(db, 'users', {
    email: 'author@example.com',
    name: 'Author',
    password_hash: 'x',
  });
  const v3 = await insertOne(db, 'workflow_versions', {
    workflow_id: workflowId,
    team_id: teamId,
    version: 3,
    definition: {},
    published_at: now,
    created_by: authorId,
  });
  const deleteAuthorOfPublished = await succeeds(db('users').where({ id: authorId }).delete());
  const v3Row = await one<{ created_by: string | null }>(
    db,
    'SELECT created_by FROM workflow_versions WHERE id = ?',
    [v3],
  );
  await db('workflows').where({ id: workflowId }).delete();
  const left = await one<{ n: number }>(
    db,
    'SELECT count(*)::int AS n FROM workflow_versions WHERE workflow_id = ?',
    [workflowId],
  );

  // Campaign and bonus constraints.
  const badTid = await rejection(db('campaigns').insert({ ...campaign, team_id: teamId, tid: 'Bad-Tid' }));
  const duplicateTidInTeam = await rejection(db('campaigns').insert({ ...campaign, team_id: teamId }));
  const otherCampaignId = await insertOne(db, 'campaigns', { ...campaign, team_id: otherTeamId });
  const sameTidOtherTeam = otherCampaignId.length > 0;
  const bonusId = await insertOne(db, 'bonuses', {
    team_id: teamId,
    name: 'Guide',
    url: 'https://example.com/g.pdf',
  });
  await db('campaign_bonuses').insert({ campaign_id: campaignId, bonus_id: bonusId, team_id: teamId });
  const bonusWithoutSource = await rejection(db('bonuses').insert({ team_id: teamId, name: 'Neither' }));
  const crossTeamBonus = await rejection(
    db('campaign_bonuses').insert({ campaign_id: otherCampaignId, bonus_id: bonusId, team_id: otherTeamId }),
  );

  // Every relation of every model compiles to a valid join (wrong table or column names fail here).
  const modelRelations: MigrationObservations['modelRelations'] = [];
  for (const [name, modelClass] of Object.entries(models) as [string, typeof Model][]) {
    const relations = Object.keys(modelClass.getRelations());
    const error = await rejection(
      modelClass
        .query(db)
        .withGraphJoined(`[${relations.join(', ')}]`)
        .limit(1),
    );
    modelRelations.push({ model: name, relations, error });
  }
  const fetched = await models.Campaign.query(db)
    .findById(campaignId)
    .withGraphFetched('[team, product, bonuses]');

  // A team with a published automation version can still be deleted (cascade), events included.
  const otherWorkflow = await insertOne(db, 'workflows', { team_id: otherTeamId, name: 'W' });
  await insertOne(db, 'workflow_versions', {
    workflow_id: otherWorkflow,
    team_id: otherTeamId,
    version: 1,
    definition: {},
    published_at: now,
  });
  const teamDeleteWithPublishedVersion = await succeeds(db('teams').where({ id: otherTeamId }).delete());

  await db.migrate.rollback(migratorConfig, true);
  const tablesAfterDown = await publicTables(db);
  const functionsAfterDown = (
    await rows<{ proname: string }>(
      db,
      "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
    )
  ).map((r) => r.proname);

  const reapplied = await migrateLatest(db);
  const tablesAfterReup = await publicTables(db);
  const reupPartitions = await one<{ n: number }>(
    db,
    "SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'analytics_events'::regclass",
  );

  return {
    migrationFiles,
    applied,
    tablesAfterUp,
    partitionStrategy: strategy[0]?.partstrat ?? null,
    partitions,
    firstMonthBound: bound?.expr ?? null,
    routing: {
      now: now.toISOString(),
      currentPartition,
      futurePartition,
      createdForFuture: created.n,
      futurePartitionAfterEnsure,
      createdAgain: createdAgain.n,
    },
    rejected: {
      badEventType,
      editPublished,
      unpublish,
      deletePublished,
      duplicateVersion,
      badTid,
      duplicateTidInTeam,
      bonusWithoutSource,
      crossTeamBonus,
    },
    allowed: {
      publishDraft,
      editDraft,
      deleteDraft,
      sameTidOtherTeam,
      deleteAuthorOfPublished,
      publishedCreatedByAfterAuthorDeleted: v3Row.created_by,
      versionsLeftAfterWorkflowDelete: left.n,
      teamDeleteWithPublishedVersion,
    },
    modelRelations,
    fetchedCampaignTeamName: fetched?.team?.name ?? null,
    tablesAfterDown,
    functionsAfterDown,
    reapplied,
    tablesAfterReup,
    partitionCountAfterReup: reupPartitions.n,
    clickTracking: {
      clickPrefix: clickCampaign.click_prefix,
      primaryLinks: links.length,
      written,
      rollupClicks: rollup[0]?.clicks ?? null,
      rollupUniqueClicks: rollup[0]?.unique_clicks ?? null,
    },
  };
}

/** Child-process entry: `tsx tests/support/scenarios/migrations.ts <data dir>` migrates PGlite there. */
async function main(dataDir: string): Promise<void> {
  const db = createDb(loadConfig({ HOPFLOW_DATA_DIR: dataDir }));
  try {
    const observations = await runMigrationScenario(db);
    process.stdout.write(`OBSERVATIONS ${JSON.stringify(observations)}\n`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  const dataDir = process.argv[2];
  if (!dataDir) {
    console.error('usage: tsx tests/support/scenarios/migrations.ts <data dir>');
    process.exit(64);
  }
  main(dataDir).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
