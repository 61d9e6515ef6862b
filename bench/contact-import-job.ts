/**
 * The contact import job's steps, timed on a scratch database: reading a generated file into pieces, then each
 * piece's transaction, with the longest event-loop stall seen meanwhile (what every other request would wait on
 * in the embedded setup, where the API shares the thread). Compared with the synchronous import of the same
 * file in one request (the service, cap lifted), which holds the thread for the whole import.
 *   tsx bench/contact-import-job.ts [rows=100000] [pglite]
 * PostgreSQL: a fresh database on BENCH_POSTGRES_ADMIN_URL's server (default postgres://postgres@127.0.0.1:5432/
 * postgres), dropped afterwards. With `pglite`: the embedded database in a temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { createContactImportActivities } from '../activities/contact-import';
import type { TeamMembership } from '../api/http/locals';
import { createContactImportService } from '../api/services/contact-import';
import { insertContactImport } from '../data/contact-imports';
import { createDb, migrateLatest } from '../db/connection';

const rowCount = Number(process.argv[2] ?? 100_000);
const embedded = process.argv[3] === 'pglite';
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function csvFile(rows: number, domain: string): string {
  const lines = ['Email,First Name,Last Name,Tags'];
  for (let i = 0; i < rows; i++) {
    lines.push(`reader${i}@${domain},First${i},"Last, ${i}",${i % 3 === 0 ? 'vip;' : ''}spring`);
  }
  return lines.join('\r\n');
}

async function scratchDb(): Promise<{ db: Knex; drop: () => Promise<void> }> {
  if (embedded) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bench-pglite-'));
    const db = createDb({ database: { poolMax: 1, pgliteDir: path.join(dir, 'pglite') } });
    return {
      db,
      drop: async () => {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const dbName = `hopflow_bench_import_job_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  return {
    db,
    drop: async () => {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${dbName}`);
      await admin.destroy();
    },
  };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

/** The longest the event loop went without running a 5 ms timer, since the last reset(). */
function stallProbe() {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 5);
    last = now;
  }, 5);
  return {
    reset: () => {
      max = 0;
      last = performance.now();
    },
    get max() {
      return Math.max(max, performance.now() - last - 5);
    },
    stop: () => clearInterval(timer),
  };
}

async function main(): Promise<void> {
  const { db, drop } = await scratchDb();
  try {
    await migrateLatest(db);
    const [team] = await db('teams').insert({ name: 'bench' }).returning<{ id: string }[]>('id');
    const [user] = await db('users')
      .insert({ email: `bench-${randomUUID()}@example.com`, name: 'Bench', password_hash: 'x' })
      .returning<{ id: string }[]>('id');
    const teamId = team!.id;
    const activities = createContactImportActivities({ db });

    const csv = csvFile(rowCount, 'job.example');
    const job = await insertContactImport(db, {
      id: randomUUID(),
      teamId,
      createdBy: user!.id,
      csv: Buffer.from(csv),
      tags: [],
    });
    const ref = { teamId, importId: job.id };
    const stalls = stallProbe();
    let started = performance.now();
    const read = await activities.readContactImport(ref);
    const readMs = performance.now() - started;
    const readStall = stalls.max;
    stalls.reset();
    const pieceMs: number[] = [];
    started = performance.now();
    for (let piece = 0; piece < (read.piecesTotal ?? 0); piece++) {
      const t = performance.now();
      await activities.importContactPiece({ ...ref, piece });
      pieceMs.push(performance.now() - t);
      // In a worker the next piece comes after a round trip to Temporal: other work runs in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const importMs = performance.now() - started;
    const pieceStall = stalls.max;
    const done = await activities.finishContactImport({ ...ref, status: 'finished' });
    pieceMs.sort((a, b) => a - b);

    // The same file again into another team, in one synchronous request (the cap lifted for the comparison).
    const [other] = await db('teams').insert({ name: 'bench sync' }).returning<{ id: string }[]>('id');
    const m: TeamMembership = { teamId: other!.id, teamName: 'bench sync', personal: false, role: 'owner' };
    const sync = createContactImportService({
      db,
      config: { contacts: { importMaxRows: rowCount, importJobMaxBytes: 0 } },
    });
    stalls.reset();
    started = performance.now();
    const syncResult = await sync.importCsv(m, csv);
    const syncMs = performance.now() - started;
    const syncStall = stalls.max;
    stalls.stop();

    console.log('');
    console.log(`${embedded ? 'PGlite (embedded)' : 'PostgreSQL'}, ${rowCount} rows, ${csv.length} bytes`);
    console.log(`job: read into ${read.piecesTotal} pieces   ${ms(readMs)} (longest stall ${ms(readStall)})`);
    console.log(
      `job: pieces                    ${ms(importMs)} (per piece median ${ms(pieceMs[Math.floor(pieceMs.length / 2)] ?? 0)}, max ${ms(pieceMs.at(-1) ?? 0)}; longest stall ${ms(pieceStall)})`,
    );
    console.log(`job: created                   ${done.created}`);
    console.log(
      `one synchronous request        ${ms(syncMs)} (longest stall ${ms(syncStall)}), created ${syncResult.created}`,
    );
  } finally {
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
