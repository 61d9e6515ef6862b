import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knex, { type Knex } from 'knex';
import { createDb } from '../../db/connection';
import { sha256File } from '../../lib/backup/files';
import { loadConfig, repoRoot, type Config } from '../../lib/config';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import type { BackupInput, BackupSummary } from '../../workflows/contracts/backup';
import { startTestWorkers, type TestWorkers } from '../support/worker';

/**
 * The nightly backup end to end: backupWorkflow on the dev server with the real worker runs pg_dump of the test
 * database into a temp backup folder (checksum beside it, old backups pruned); the documented restore command
 * (`npm run restore` = tsx scripts/restore.ts) brings it back into a scratch database; a tampered file is
 * refused; the embedded PGlite variant backs up and restores a scratch data folder.
 */

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = promisify(execFile);
const DAY_MS = 24 * 60 * 60 * 1000;

function restoreCommand(args: string[]) {
  return run(
    path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [path.join(repoRoot, 'scripts/restore.ts'), ...args],
    {
      cwd: repoRoot,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

async function counts(db: Knex, marker: string): Promise<Record<string, number>> {
  const one = async (query: Knex.QueryBuilder) => {
    const [row] = await query.count<{ n: string }[]>({ n: '*' });
    return Number(row!.n);
  };
  return {
    knex_migrations: await one(db('knex_migrations')),
    users: await one(db('users').where('email', 'like', `%${marker}%`)),
    teams: await one(db('teams').where('name', 'like', `%${marker}%`)),
    team_members: await one(
      db('team_members as m').join('teams as t', 't.id', 'm.team_id').where('t.name', 'like', `%${marker}%`),
    ),
    team_insights: await one(
      db('team_insights as i').join('teams as t', 't.id', 'i.team_id').where('t.name', 'like', `%${marker}%`),
    ),
  };
}

describe('nightly backup', () => {
  let config: Config;
  let db: Knex;
  let temporal: TemporalClient;
  let workers: TestWorkers;
  let backupDir: string;
  let scratchName: string;
  let scratchUrl: string;
  let admin: Knex;
  const marker = `bk${Date.now().toString(36)}`;

  beforeAll(async () => {
    backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-backups-'));
    const base = loadConfig();
    config = { ...base, backup: { ...base.backup, dir: backupDir, retentionDays: 30 } };
    db = createDb(config);
    temporal = await createTemporalClient(config);
    workers = await startTestWorkers({ db, config });
    admin = knex({ client: 'pg', connection: adminUrl });
    scratchName = `hopflow_restore_${Date.now()}_${process.pid}`;
    await admin.raw(`CREATE DATABASE ${scratchName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${scratchName}`;
    scratchUrl = url.toString();

    // Rows the restored copy must hold: two users, a team with both as members, two insights.
    const users = await db('users')
      .insert(
        [1, 2].map((i) => ({ email: `u${i}-${marker}@example.com`, name: `User ${i}`, password_hash: 'x' })),
      )
      .returning<{ id: string }[]>('id');
    const [team] = await db('teams')
      .insert({ name: `Team ${marker}` })
      .returning<{ id: string }[]>('id');
    await db('team_members').insert(
      users.map((u, i) => ({ team_id: team!.id, user_id: u.id, role: i ? 'viewer' : 'owner' })),
    );
    await db('team_insights').insert(
      ['2026-11-24', '2026-11-25'].map((day) => ({
        team_id: team!.id,
        day,
        figures: '{}',
        summary: `s ${day}`,
      })),
    );
  });

  afterAll(async () => {
    await workers?.stop();
    await Promise.allSettled([db?.destroy(), temporal?.close()]);
    await admin?.raw(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    await admin?.destroy();
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  let summary: BackupSummary;
  let dumpFile: string;

  it('backupWorkflow dumps with a checksum, prunes a 31-day-old backup and keeps a new one', async () => {
    // Earlier backups: one 31 days old, one from yesterday, and a stranger file the pruning must leave alone.
    const oldName = 'hopflow-20261026T040000Z.dump';
    const recentName = 'hopflow-20261125T040000Z.dump';
    for (const name of [oldName, recentName, 'notes.txt']) {
      fs.writeFileSync(path.join(backupDir, name), 'old');
      fs.writeFileSync(path.join(backupDir, `${name}.sha256`), `${'0'.repeat(64)}  ${name}\n`);
    }
    const monthAgo = new Date(Date.now() - 31 * DAY_MS);
    for (const name of [oldName, `${oldName}.sha256`, 'notes.txt']) {
      fs.utimesSync(path.join(backupDir, name), monthAgo, monthAgo);
    }
    const dayAgo = new Date(Date.now() - DAY_MS);
    fs.utimesSync(path.join(backupDir, recentName), dayAgo, dayAgo);

    const workflowId = `backup-test-${randomUUID()}`;
    summary = await temporal.client.workflow.execute<(i: BackupInput) => Promise<BackupSummary>>(
      'backupWorkflow',
      {
        taskQueue: TaskQueue.main,
        workflowId,
        args: [{ triggerSource: 'manual' }],
        typedSearchAttributes: [{ key: SearchAttr.TriggerSource, value: 'manual' }],
      },
    );

    expect(summary.backup.kind).toBe('pg_dump');
    expect(summary.backup.file).toMatch(/^hopflow-\d{8}T\d{6}Z\.dump$/);
    dumpFile = path.join(backupDir, summary.backup.file);
    // pg_dump custom format starts with PGDMP.
    expect(fs.readFileSync(dumpFile).subarray(0, 5).toString()).toBe('PGDMP');
    expect(fs.statSync(dumpFile).size).toBe(summary.backup.bytes);
    const sha = await sha256File(dumpFile);
    expect(summary.backup.sha256).toBe(sha);
    expect(fs.readFileSync(`${dumpFile}.sha256`, 'utf8')).toBe(`${sha}  ${summary.backup.file}\n`);

    expect(summary.pruned.deleted).toEqual([oldName]);
    const left = fs.readdirSync(backupDir).sort();
    expect(left).not.toContain(oldName);
    expect(left).not.toContain(`${oldName}.sha256`);
    expect(left).toEqual(
      expect.arrayContaining([
        recentName,
        `${recentName}.sha256`,
        'notes.txt',
        summary.backup.file,
        `${summary.backup.file}.sha256`,
      ]),
    );
    expect(left.filter((n) => n.endsWith('.partial'))).toEqual([]);

    const row = await db('backup_runs')
      .where({ id: summary.backup.backupRunId })
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      kind: 'pg_dump',
      status: 'completed',
      file: summary.backup.file,
      sha256: sha,
      deleted_old: 1,
      workflow_id: workflowId,
    });
  });

  it('a tampered backup is refused and the target database is left untouched', async () => {
    const tampered = path.join(backupDir, 'hopflow-20261126T000000Z.dump');
    const bytes = fs.readFileSync(dumpFile);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    fs.writeFileSync(tampered, bytes);
    fs.copyFileSync(`${dumpFile}.sha256`, `${tampered}.sha256`);

    const refused = await restoreCommand([tampered, '--database-url', scratchUrl]).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('does not match its checksum');

    // No checksum file at all: refused too.
    fs.rmSync(`${tampered}.sha256`);
    const noChecksum = await restoreCommand([tampered, '--database-url', scratchUrl]).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(noChecksum).toMatchObject({ code: 2 });
    expect((noChecksum as { stderr: string }).stderr).toContain('no checksum file');

    const scratch = knex({ client: 'pg', connection: scratchUrl });
    try {
      const tables = await scratch('pg_tables').where({ schemaname: 'public' }).count({ n: '*' });
      expect(Number((tables[0] as { n: string }).n)).toBe(0);
    } finally {
      await scratch.destroy();
    }
  });

  it('npm run restore brings the dump back into a scratch database with the same rows', async () => {
    const { stdout } = await restoreCommand([dumpFile, '--database-url', scratchUrl]);
    expect(stdout).toContain(`Restored ${path.basename(dumpFile)}`);

    const scratch = knex({ client: 'pg', connection: scratchUrl });
    try {
      const restored = await counts(scratch, marker);
      expect(restored).toEqual({ ...(await counts(db, marker)) });
      expect(restored).toMatchObject({ users: 2, teams: 1, team_members: 2, team_insights: 2 });
      // The partitioned events table and its helper function came back too.
      const parts = await scratch.raw<{ rows: { n: string }[] }>(
        "SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'analytics_events'::regclass",
      );
      expect(Number(parts.rows[0]!.n)).toBeGreaterThanOrEqual(14);

      // Restoring again over the restored copy works (--clean --if-exists).
      await restoreCommand([dumpFile, '--database-url', scratchUrl]);
      expect(await counts(scratch, marker)).toEqual(restored);
    } finally {
      await scratch.destroy();
    }
  }, 120_000);

  it('an embedded (PGlite) backup of a live data folder restores to the same rows', async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-pglite-backup-'));
    try {
      // A plain Node process: Jest's sandbox rejects PGlite's dynamic import of its WASM.
      const { stdout } = await run(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [path.join(__dirname, '../support/scenarios/backup-pglite.ts'), workDir],
        { cwd: repoRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      );
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`PGlite scenario printed no result:\n${stdout}`);
      const result = JSON.parse(line.slice('RESULT '.length)) as {
        backup: { kind: string; name: string; files: string[]; sha256: string };
        sourceRows: { name: string; qty: number }[];
        restoredRows: { name: string; qty: number }[];
        refusedNonEmpty: boolean;
      };
      expect(result.backup.kind).toBe('pglite');
      expect(result.backup.name).toMatch(/^hopflow-\d{8}T\d{6}Z\.tar\.gz$/);
      expect(result.backup.files).toEqual([result.backup.name, `${result.backup.name}.sha256`]);
      expect(result.restoredRows).toEqual([
        { name: 'alpha', qty: 1 },
        { name: 'beta', qty: 2 },
        { name: 'gamma', qty: 3 },
      ]);
      // The row written after the backup is in the source only.
      expect(result.sourceRows.map((r) => r.name)).toContain('after-backup');
      expect(result.refusedNonEmpty).toBe(true);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 150_000);
});
