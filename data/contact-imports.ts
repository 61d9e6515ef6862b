import type { Knex } from 'knex';
import type { CsvContact, ImportSkip } from '../lib/contacts/csv';
import type { ErrorDetail } from '../lib/errors';
import {
  contactImportWorkflowId,
  type ContactImportProgress,
  type ContactImportStatus,
} from '../workflows/contracts/contact-import';
import type { ImportedBatch } from './contact-list';

type Db = Knex | Knex.Transaction;

export interface ContactImportError {
  message: string;
  details: ErrorDetail[];
}

interface ContactImportRow {
  id: string;
  teamId: string;
  createdBy: string | null;
  status: ContactImportStatus;
  tags: string[];
  fileBytes: number;
  workflowId: string;
  total: number | null;
  piecesTotal: number | null;
  piecesDone: number;
  rowsDone: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  /** Rows skipped so far (reading and pieces). */
  skippedCount: number;
  error: ContactImportError | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

// Everything but the file itself; skipped rows are counted here and listed by contactImportSkips.
const columns = [
  'i.id',
  'i.team_id as teamId',
  'i.created_by as createdBy',
  'i.status',
  'i.tags',
  'i.file_bytes as fileBytes',
  'i.workflow_id as workflowId',
  'i.total',
  'i.pieces_total as piecesTotal',
  'i.pieces_done as piecesDone',
  'i.rows_done as rowsDone',
  'i.created',
  'i.updated',
  'i.unchanged',
  'i.duplicates',
  'i.error',
  'i.created_at as createdAt',
  'i.updated_at as updatedAt',
  'i.finished_at as finishedAt',
];

const skippedCount = (db: Db) =>
  db.raw(
    `(i.read_skipped + coalesce((SELECT sum(jsonb_array_length(p.skipped))
        FROM contact_import_pieces p WHERE p.import_id = i.id), 0))::int AS "skippedCount"`,
  );

export async function insertContactImport(
  db: Db,
  c: { id: string; teamId: string; createdBy: string; csv: Buffer; tags: string[] },
): Promise<ContactImportRow> {
  await db('contact_imports').insert({
    id: c.id,
    team_id: c.teamId,
    created_by: c.createdBy,
    tags: c.tags,
    csv: c.csv,
    file_bytes: c.csv.length,
    workflow_id: contactImportWorkflowId(c.id),
  });
  const row = await findContactImport(db, c.teamId, c.id);
  if (!row) throw new Error('contact import insert returned no row');
  return row;
}

/** A team runs one import at a time (the partial unique index contact_imports_one_running_per_team). */
export const ONE_RUNNING_IMPORT_INDEX = 'contact_imports_one_running_per_team';

/** The team's import that is queued, reading or importing, if any. */
export function runningContactImport(
  db: Db,
  teamId: string,
): Promise<{ id: string; status: ContactImportStatus; createdAt: Date } | undefined> {
  return db('contact_imports')
    .where({ team_id: teamId })
    .whereIn('status', ['queued', 'reading', 'importing'])
    .orderBy('created_at')
    .first<{ id: string; status: ContactImportStatus; createdAt: Date } | undefined>([
      'id',
      'status',
      'created_at as createdAt',
    ]);
}

/** Team-scoped: another team's import id is not found. */
export function findContactImport(
  db: Db,
  teamId: string,
  importId: string,
): Promise<ContactImportRow | undefined> {
  return db('contact_imports as i')
    .where({ 'i.team_id': teamId, 'i.id': importId })
    .first<ContactImportRow | undefined>([...columns, skippedCount(db)]);
}

export function listContactImports(db: Db, teamId: string, limit: number): Promise<ContactImportRow[]> {
  return db('contact_imports as i')
    .where({ 'i.team_id': teamId })
    .orderBy([
      { column: 'i.created_at', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
    .limit(limit)
    .select<ContactImportRow[]>([...columns, skippedCount(db)]);
}

/** Skipped rows of the reading step stored on the import (their count is kept whole, in read_skipped). */
const STORED_SKIPS = 1000;

/** The first STORED_SKIPS skipped rows of an import (reading and pieces), in file order. */
export async function contactImportSkips(db: Db, importId: string): Promise<ImportSkip[]> {
  const { rows } = await db.raw<{ rows: ImportSkip[] }>(
    `SELECT (s->>'line')::int AS line, s->>'field' AS field, s->>'message' AS message
       FROM (SELECT jsonb_array_elements(skipped) AS s FROM contact_imports WHERE id = ?
             UNION ALL
             SELECT jsonb_array_elements(skipped) FROM contact_import_pieces WHERE import_id = ?) AS all_skips
      ORDER BY 1
      LIMIT ?`,
    [importId, importId, STORED_SKIPS],
  );
  return rows;
}

interface ContactImportFile {
  status: ContactImportStatus;
  fileBytes: number;
  tags: string[];
  piecesTotal: number | null;
}

/** What the workflow's reading step needs to know about the stored file. */
export function contactImportFile(
  db: Db,
  teamId: string,
  importId: string,
): Promise<ContactImportFile | undefined> {
  return db('contact_imports')
    .where({ team_id: teamId, id: importId })
    .first<ContactImportFile | undefined>([
      'status',
      'file_bytes as fileBytes',
      'tags',
      'pieces_total as piecesTotal',
    ]);
}

/**
 * Part of the stored file (bytes `from` to `from + length`, 0-based): the reading step fetches a big file in
 * parts, so no single answer holds the embedded database (and the thread) for long.
 */
export async function contactImportFileBytes(
  db: Db,
  importId: string,
  from: number,
  length: number,
): Promise<Buffer> {
  const row = await db('contact_imports')
    .where({ id: importId })
    .first<{ part: Uint8Array } | undefined>(
      db.raw('substring(csv from ? for ?) AS part', [from + 1, length]),
    );
  if (!row) throw new Error(`contact import ${importId} not found`);
  // node-postgres answers a bytea as a Buffer, PGlite (the embedded database) as a plain Uint8Array.
  return Buffer.isBuffer(row.part)
    ? row.part
    : Buffer.from(row.part.buffer, row.part.byteOffset, row.part.byteLength);
}

/** queued -> reading (no-op in any other status). */
export async function markContactImportReading(db: Db, teamId: string, importId: string): Promise<void> {
  await db('contact_imports')
    .where({ team_id: teamId, id: importId, status: 'queued' })
    .update({ status: 'reading', updated_at: db.fn.now() });
}

/**
 * One piece of the read file. Pieces are derived from the file alone, so storing one again (a retried reading
 * step) writes nothing new.
 */
export async function insertContactImportPiece(
  db: Db,
  importId: string,
  piece: number,
  contacts: CsvContact[],
): Promise<void> {
  await db('contact_import_pieces')
    .insert({ import_id: importId, piece, contacts: JSON.stringify(contacts), rows: contacts.length })
    .onConflict(['import_id', 'piece'])
    .ignore();
}

/** The file is read and every piece stored: the import's totals so far, and on to importing. */
export async function markContactImportRead(
  db: Db,
  teamId: string,
  importId: string,
  read: { total: number; duplicates: number; skipped: ImportSkip[]; pieces: number },
): Promise<void> {
  // Only from queued or reading: an import that ended meanwhile (failed, cancelled) is never brought back.
  await db('contact_imports')
    .where({ team_id: teamId, id: importId })
    .whereIn('status', ['queued', 'reading'])
    .whereNull('pieces_total')
    .update({
      status: 'importing',
      // Every row is in the pieces now: the file itself is not kept.
      csv: null,
      total: read.total,
      duplicates: read.duplicates,
      skipped: JSON.stringify(read.skipped.slice(0, STORED_SKIPS)),
      read_skipped: read.skipped.length,
      pieces_total: read.pieces,
      rows_done: read.duplicates + read.skipped.length,
      updated_at: db.fn.now(),
    });
}

/**
 * Locks one piece for its import (run inside the transaction that imports it): its contacts, or null when it
 * is already done (an earlier attempt committed it).
 */
export async function lockContactImportPiece(
  trx: Knex.Transaction,
  importId: string,
  piece: number,
): Promise<CsvContact[] | null> {
  const row = await trx('contact_import_pieces')
    .where({ import_id: importId, piece })
    .forUpdate()
    .first<{ contacts: CsvContact[]; doneAt: Date | null } | undefined>(['contacts', 'done_at as doneAt']);
  if (!row) throw new Error(`contact import ${importId} has no piece ${piece}`);
  return row.doneAt === null ? row.contacts : null;
}

/** Marks a piece done with its counts and adds them to the import's: in the piece's own transaction. */
export async function recordContactImportPiece(
  trx: Knex.Transaction,
  importId: string,
  piece: number,
  rows: number,
  result: ImportedBatch,
): Promise<void> {
  await trx('contact_import_pieces')
    .where({ import_id: importId, piece })
    .update({
      done_at: trx.fn.now(),
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      skipped: JSON.stringify(result.skipped),
      // The contacts are in the contacts table now; keep the row small.
      contacts: '[]',
    });
  await trx('contact_imports')
    .where({ id: importId })
    .update({
      pieces_done: trx.raw('pieces_done + 1'),
      rows_done: trx.raw('rows_done + ?', [rows]),
      created: trx.raw('created + ?', [result.created]),
      updated: trx.raw('updated + ?', [result.updated]),
      unchanged: trx.raw('unchanged + ?', [result.unchanged]),
      updated_at: trx.fn.now(),
    });
}

/** The counters the workflow mirrors in its progress query. */
export async function contactImportProgress(
  db: Db,
  teamId: string,
  importId: string,
): Promise<ContactImportProgress> {
  const row = await findContactImport(db, teamId, importId);
  if (!row) throw new Error(`contact import ${importId} not found`);
  return {
    status: row.status,
    total: row.total,
    rowsDone: row.rowsDone,
    piecesTotal: row.piecesTotal,
    piecesDone: row.piecesDone,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    duplicates: row.duplicates,
    skipped: row.skippedCount,
  };
}

/** Ends an import once: finished or failed (with why); false when it had already ended. */
export async function finishContactImport(
  db: Db,
  teamId: string,
  importId: string,
  end: { status: 'finished' | 'failed'; error?: ContactImportError },
): Promise<boolean> {
  const count = await db('contact_imports')
    .where({ team_id: teamId, id: importId })
    .whereNotIn('status', ['finished', 'failed'])
    .update({
      status: end.status,
      error: end.error ? JSON.stringify(end.error) : null,
      finished_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  return count > 0;
}
