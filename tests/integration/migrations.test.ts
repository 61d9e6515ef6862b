import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knex from 'knex';
import { createDb } from '../../db/connection';
import { repoRoot } from '../../lib/config';
import { runMigrationScenario, type MigrationObservations } from '../support/scenarios/migrations';

// The same up / exercise / down / up scenario on real PostgreSQL and on PGlite (the embedded default):
// both must run the very same migrations.

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const appTables = [
  'users',
  'teams',
  'team_members',
  'refresh_tokens',
  'platform_checks',
  'products',
  'campaigns',
  'content',
  'content_revisions',
  'workflows',
  'workflow_versions',
  'analytics_events',
  'analytics_rollups',
  'analytics_salts',
  'analytics_visitors',
  'tracking_links',
  'bonuses',
  'campaign_bonuses',
  'bonus_deliveries',
  'webhook_events',
  'email_messages',
  'subscriptions',
  'team_integrations',
  'email_sequences',
  'email_sequence_steps',
  'email_sequence_runs',
  'broadcasts',
  'contact_imports',
  'contact_import_pieces',
].sort();

/** A scratch database of its own, so down migrations never touch the suite's shared database. */
async function observePostgres(): Promise<MigrationObservations> {
  const dbName = `hopflow_migrations_${Date.now()}_${process.pid}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  try {
    await admin.raw(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const db = createDb({ database: { url: url.toString(), poolMax: 2, pgliteDir: '' } });
    try {
      return await runMigrationScenario(db);
    } finally {
      await db.destroy();
    }
  } finally {
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
}

/** PGlite runs in a plain Node child process: Jest's sandbox rejects PGlite's dynamic import() of its WASM. */
async function observePglite(): Promise<MigrationObservations> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-pglite-migrations-'));
  try {
    const { stdout } = await promisify(execFile)(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(__dirname, '../support/scenarios/migrations.ts'), dataDir],
      { cwd: repoRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('OBSERVATIONS '));
    if (!line) throw new Error(`PGlite scenario printed no observations:\n${stdout}`);
    return JSON.parse(line.slice('OBSERVATIONS '.length)) as MigrationObservations;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** [year, month] of the UTC month `monthIndex` months after January of `year` (overflow rolls over). */
function yearMonth(year: number, monthIndex: number): [string, string] {
  const d = new Date(Date.UTC(year, monthIndex, 1));
  return [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0')];
}

function monthPartition(year: number, monthIndex: number): string {
  return `analytics_events_${yearMonth(year, monthIndex).join('_')}`;
}

function monthStart(year: number, monthIndex: number): string {
  return `${yearMonth(year, monthIndex).join('-')}-01 00:00:00+00`;
}

describe.each([
  ['PostgreSQL', observePostgres],
  ['PGlite', observePglite],
])('migrations on %s', (_backend, observe) => {
  let seen: MigrationObservations;

  beforeAll(async () => {
    seen = await observe();
  }, 180_000);

  test('latest applies every migration file and creates every app table', () => {
    expect(seen.applied).toEqual(seen.migrationFiles);
    expect(seen.migrationFiles.length).toBeGreaterThanOrEqual(13);
    expect(seen.tablesAfterUp).toEqual(expect.arrayContaining(appTables));
  });

  test('analytics_events is range-partitioned: a default plus this month and the next 12', () => {
    expect(seen.partitionStrategy).toBe('r');
    const now = new Date(seen.routing.now);
    const monthly = Array.from({ length: 13 }, (_, i) =>
      monthPartition(now.getUTCFullYear(), now.getUTCMonth() + i),
    );
    expect(seen.partitions).toEqual([...monthly, 'analytics_events_default'].sort());
    // Whole UTC months, whatever the session time zone.
    const [y, m] = [now.getUTCFullYear(), now.getUTCMonth()];
    expect(seen.firstMonthBound).toBe(
      `FOR VALUES FROM ('${monthStart(y, m)}') TO ('${monthStart(y, m + 1)}')`,
    );
  });

  test('events land in their month; out-of-range ones in the default until their month is created', () => {
    const now = new Date(seen.routing.now);
    expect(seen.routing.currentPartition).toBe(monthPartition(now.getUTCFullYear(), now.getUTCMonth()));
    expect(seen.routing.futurePartition).toBe('analytics_events_default');
    expect(seen.routing.createdForFuture).toBe(2);
    expect(seen.routing.futurePartitionAfterEnsure).toBe('analytics_events_2040_03');
    expect(seen.routing.createdAgain).toBe(0);
    expect(seen.rejected.badEventType).toMatch(/analytics_events_type_check/);
  });

  test('a published workflow version cannot be updated or deleted; drafts can', () => {
    expect(seen.allowed.publishDraft).toBe(true);
    expect(seen.rejected.editPublished).toMatch(/is published and cannot be changed/);
    expect(seen.rejected.unpublish).toMatch(/is published and cannot be changed/);
    expect(seen.rejected.deletePublished).toMatch(/is published and cannot be changed/);
    expect(seen.rejected.duplicateVersion).toMatch(/workflow_versions_workflow_id_version_unique/);
    expect(seen.allowed.editDraft).toBe(true);
    expect(seen.allowed.deleteDraft).toBe(true);
    // Foreign-key housekeeping still works around the immutability trigger.
    expect(seen.allowed.deleteAuthorOfPublished).toBe(true);
    expect(seen.allowed.publishedCreatedByAfterAuthorDeleted).toBeNull();
    expect(seen.allowed.versionsLeftAfterWorkflowDelete).toBe(0);
    expect(seen.allowed.teamDeleteWithPublishedVersion).toBe(true);
  });

  test('tid format and per-team uniqueness; bonuses cannot be linked across teams', () => {
    expect(seen.rejected.badTid).toMatch(/campaigns_tid_check/);
    expect(seen.rejected.duplicateTidInTeam).toMatch(/campaigns_team_id_tid_unique/);
    expect(seen.allowed.sameTidOtherTeam).toBe(true);
    expect(seen.rejected.bonusWithoutSource).toMatch(/bonuses_source_check/);
    expect(seen.rejected.crossTeamBonus).toMatch(/foreign key/);
  });

  test('a campaign gets its click prefix and primary tracking link; clicks are written with their rollups', () => {
    expect(seen.clickTracking.clickPrefix).toBe('launch01');
    expect(seen.clickTracking.primaryLinks).toBe(1);
    expect(seen.clickTracking.written).toEqual({ written: 2, unique: 1 });
    expect([seen.clickTracking.rollupClicks, seen.clickTracking.rollupUniqueClicks]).toEqual([2, 1]);
  });

  test('every objection model relation joins on real columns', () => {
    // The models data/ reads through (the rest of the tables are reached with the knex builder).
    expect(seen.modelRelations.map((r) => r.model).sort()).toEqual([
      'Bonus',
      'Campaign',
      'Product',
      'Team',
      'TeamMember',
      'User',
    ]);
    for (const { model, relations, error } of seen.modelRelations) {
      expect({ model, error }).toEqual({ model, error: null });
      expect(relations.length).toBeGreaterThan(0);
    }
    expect(seen.fetchedCampaignTeamName).toBe('Launch team');
  });

  test('rollback all leaves no app tables or functions; latest brings them back', () => {
    expect(seen.tablesAfterDown).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect(seen.functionsAfterDown).toEqual([]);
    expect(seen.reapplied).toEqual(seen.migrationFiles);
    expect(seen.tablesAfterReup).toEqual(seen.tablesAfterUp);
    expect(seen.partitionCountAfterReup).toBe(14);
  });
});
