/**
 * Contact import throughput on PostgreSQL: the real import service (CSV parse + bulk upsert), fed pieces of
 * 1,000 rows the way the UI sends a big file, versus a baseline that upserts the same rows one by one with
 * upsertContact (what a naive importer would do).
 *   tsx bench/contacts-import.ts [rows=50000] [piece=1000]
 * Uses a fresh database on BENCH_POSTGRES_ADMIN_URL's server (default postgres://postgres@127.0.0.1:5432/postgres)
 * and drops it afterwards. Prints rows/s for a first import (inserts), a re-import with a new tag (updates),
 * and the baseline, and the ratio of the first import to the baseline.
 */
import knex from 'knex';
import { upsertContact } from '../data/contacts';
import type { TeamMembership } from '../api/http/locals';
import { createContactImportService } from '../api/services/contact-import';
import { parseContactCsv } from '../lib/contacts/csv';
import { createDb, migrateLatest } from '../db/connection';

const rowCount = Number(process.argv[2] ?? 50_000);
const pieceRows = Number(process.argv[3] ?? 1_000);
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

function csvPieces(rows: number, piece: number, tag: string): string[] {
  const header = 'Email,First Name,Last Name,Tags';
  const pieces: string[] = [];
  for (let start = 0; start < rows; start += piece) {
    const lines = [header];
    for (let i = start; i < Math.min(rows, start + piece); i++) {
      lines.push(`reader${i}@example.com,First${i},"Last, ${i}",${i % 3 === 0 ? 'vip;' : ''}${tag}`);
    }
    pieces.push(lines.join('\r\n'));
  }
  return pieces;
}

async function main(): Promise<void> {
  const dbName = `hopflow_bench_contacts_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: adminUrl });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = createDb({ database: { url: url.toString(), poolMax: 4, pgliteDir: '' } });
  try {
    await migrateLatest(db);
    const team = async (name: string): Promise<TeamMembership> => {
      const [row] = await db('teams').insert({ name }).returning<{ id: string }[]>('id');
      return { teamId: row!.id, teamName: name, personal: false, role: 'owner' };
    };
    const imports = createContactImportService({
      db,
      config: { contacts: { importMaxRows: 10_000, importJobMaxBytes: 0 } },
    });
    const rows: [string, number, number][] = [];

    const first = csvPieces(rowCount, pieceRows, 'spring');
    const bulkTeam = await team('bulk');
    let started = performance.now();
    let created = 0;
    for (const piece of first) created += (await imports.importCsv(bulkTeam, piece)).created;
    rows.push([`import (new contacts, pieces of ${pieceRows})`, created, performance.now() - started]);

    const second = csvPieces(rowCount, pieceRows, 'summer');
    started = performance.now();
    let updated = 0;
    for (const piece of second) updated += (await imports.importCsv(bulkTeam, piece)).updated;
    rows.push(['re-import (new tag on every contact)', updated, performance.now() - started]);

    // Baseline: same parsing, then one upsertContact per row.
    const baselineTeam = await team('baseline');
    started = performance.now();
    let upserted = 0;
    for (const piece of first) {
      for (const c of parseContactCsv(piece).contacts) {
        await upsertContact(db, { teamId: baselineTeam.teamId, ...c, source: 'import' });
        upserted++;
      }
    }
    rows.push(['baseline: row-by-row upsertContact', upserted, performance.now() - started]);

    console.log('');
    console.log('what                                          rows      seconds      rows/s');
    for (const [label, count, ms] of rows) {
      console.log(
        `${label.padEnd(42)} ${String(count).padStart(7)} ${(ms / 1000).toFixed(2).padStart(12)} ${perSecond(count, ms).toLocaleString('en-US').padStart(11)}`,
      );
    }
    const [bulk, , baseline] = rows;
    if (bulk && baseline) {
      const ratio = perSecond(bulk[1], bulk[2]) / perSecond(baseline[1], baseline[2]);
      console.log('');
      console.log(`bulk import vs row-by-row baseline: ${ratio.toFixed(1)}x`);
    }
  } finally {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
