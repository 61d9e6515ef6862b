import { setImmediate as nextTurn } from 'node:timers/promises';
import { Context, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  contactImportFile,
  contactImportFileBytes,
  contactImportProgress,
  finishContactImport,
  insertContactImportPiece,
  lockContactImportPiece,
  markContactImportRead,
  markContactImportReading,
  recordContactImportPiece,
  type ContactImportError,
} from '../data/contact-imports';
import { upsertImportedContacts, type ImportedContactChange } from '../data/contact-list';
import { databaseErrorSummary } from '../data/pg-errors';
import { inTransaction } from '../data/transaction';
import { readContactCsv, type ParsedImport } from '../lib/contacts/csv';
import { AppError } from '../lib/errors';
import { importedContactEvents } from '../temporal/automation-events';
import {
  CONTACT_IMPORT_FILE_INVALID,
  type ContactImportProgress,
} from '../workflows/contracts/contact-import';

/** The stored file is fetched in parts of this many bytes. */
const FILE_PART_BYTES = 256 * 1024;
/** Contacts per piece: one upsert statement, a few tens of milliseconds. */
const CONTACT_IMPORT_PIECE_ROWS = 1000;

interface ImportRef {
  teamId: string;
  importId: string;
}

/** The failure type of a statement the database refused (its code and constraint only, never its data). */
const CONTACT_IMPORT_DATABASE_ERROR = 'ContactImportDatabaseError';

/**
 * A database error as a failure in plain words that carries no data: a PostgreSQL error's message and detail
 * can quote the statement's values (`Key (email)=(...)`), and the failure's message is stored on the import,
 * written to Temporal history and logged. Only the SQLSTATE code and the constraint (or table) are kept. Data
 * and constraint errors (classes 22 and 23) fail the same way on every attempt: not retried. Other errors
 * (locks, timeouts, lost connections) are retried. Anything that is not a database error is returned as it is.
 */
function withoutData(err: unknown, what: string): unknown {
  const db = databaseErrorSummary(err);
  if (!db) return err;
  const hit = db.constraint ? `, constraint ${db.constraint}` : db.table ? `, table ${db.table}` : '';
  return ApplicationFailure.create({
    type: CONTACT_IMPORT_DATABASE_ERROR,
    message: `The database refused ${what} (PostgreSQL error ${db.code}${hit})`,
    details: [{ code: db.code, constraint: db.constraint ?? null, table: db.table ?? null }],
    nonRetryable: db.code.startsWith('22') || db.code.startsWith('23'),
  });
}

/** The running activity's cancellation signal (none when called directly, as benches and tests do). */
function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Stops a loop of the activity once it is cancelled (delivered with a heartbeat's answer). */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof CancelledFailure ? reason : new CancelledFailure('The import was cancelled');
}

/** Heartbeats on a timer while inside an activity (called directly, as benches and tests do, it does nothing). */
function heartbeatEvery(ms: number): NodeJS.Timeout | undefined {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return undefined;
  }
  ctx.heartbeat();
  return setInterval(() => ctx.heartbeat(), ms);
}

export function createContactImportActivities({ db, temporal }: { db: Knex; temporal?: Client }) {
  /** The stored file, fetched in parts, read into contacts and stored as pieces; then on to importing. */
  async function readIntoPieces(ref: ImportRef, file: { fileBytes: number; tags: string[] }): Promise<void> {
    const signal = cancellationSignal();
    let parsed: ParsedImport;
    try {
      const parts: Buffer[] = [];
      for (let at = 0; at < file.fileBytes; at += FILE_PART_BYTES) {
        stopIfCancelled(signal);
        parts.push(await contactImportFileBytes(db, ref.importId, at, FILE_PART_BYTES));
        await nextTurn();
      }
      stopIfCancelled(signal);
      parsed = await readContactCsv(Buffer.concat(parts).toString('utf8'), { tags: file.tags });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const error: ContactImportError = { message: err.message, details: err.details };
      await finishContactImport(db, ref.teamId, ref.importId, { status: 'failed', error });
      throw ApplicationFailure.create({
        type: CONTACT_IMPORT_FILE_INVALID,
        message: err.message,
        nonRetryable: true,
      });
    }
    let pieces = 0;
    for (let at = 0; at < parsed.contacts.length; at += CONTACT_IMPORT_PIECE_ROWS) {
      stopIfCancelled(signal);
      const contacts = parsed.contacts.slice(at, at + CONTACT_IMPORT_PIECE_ROWS);
      await insertContactImportPiece(db, ref.importId, pieces++, contacts);
      // The embedded database answers without I/O: give other work (the API, in the embedded setup) a turn.
      await nextTurn();
    }
    stopIfCancelled(signal);
    await markContactImportRead(db, ref.teamId, ref.importId, {
      total: parsed.total,
      duplicates: parsed.duplicates,
      skipped: parsed.skipped,
      pieces,
    });
  }

  return {
    /**
     * Reads the stored file once (without holding the event loop) into pieces of CONTACT_IMPORT_PIECE_ROWS
     * contacts stored beside it; a retried attempt stores the same pieces again, which writes nothing. A file
     * that cannot be imported at all (no email column, text that cannot be stored) fails the import with the
     * reader's error and details, as a non-retryable failure.
     */
    async readContactImport(ref: ImportRef): Promise<ContactImportProgress> {
      try {
        return await readContactImport(ref);
      } catch (err) {
        throw withoutData(err, 'the file of the import');
      }
    },

    /**
     * One piece in one short transaction: the piece is locked, its contacts upserted, and the piece marked done
     * with its counts (added to the import's) before the commit. A piece already done (an earlier attempt
     * committed, then its answer was lost) is not applied again. Returns the import's counts. A statement the
     * database refuses fails the piece with its code and constraint only (see withoutData).
     */
    async importContactPiece(p: ImportRef & { piece: number }): Promise<ContactImportProgress> {
      let changes: ImportedContactChange[] = [];
      try {
        await inTransaction(db, async (trx) => {
          const contacts = await lockContactImportPiece(trx, p.importId, p.piece);
          if (contacts === null) return;
          const result = await upsertImportedContacts(trx, p.teamId, contacts);
          await recordContactImportPiece(trx, p.importId, p.piece, contacts.length, result);
          changes = result.changes;
        });
      } catch (err) {
        throw withoutData(err, `piece ${p.piece + 1} of the import`);
      }
      // After the commit, only when someone listens (temporal/automation-events.ts). A worker that dies between
      // the commit and here loses this piece's events: the retry finds the piece done and raises none.
      const events = await importedContactEvents(
        temporal,
        db,
        { teamId: p.teamId, importKey: `import:${p.importId}`, changes },
        (message, details) => {
          log.warn(message, details);
        },
      );
      await events.raise();
      try {
        return await contactImportProgress(db, p.teamId, p.importId);
      } catch (err) {
        throw withoutData(err, `piece ${p.piece + 1} of the import`);
      }
    },

    /** Ends the import once (an import already ended, e.g. failed while reading, keeps its end and error). */
    async finishContactImport(
      f: ImportRef & { status: 'finished' | 'failed'; error?: string },
    ): Promise<ContactImportProgress> {
      try {
        await finishContactImport(db, f.teamId, f.importId, {
          status: f.status,
          error: f.error === undefined ? undefined : { message: f.error, details: [] },
        });
        return await contactImportProgress(db, f.teamId, f.importId);
      } catch (err) {
        throw withoutData(err, 'the end of the import');
      }
    },
  };

  async function readContactImport(ref: ImportRef): Promise<ContactImportProgress> {
    const file = await contactImportFile(db, ref.teamId, ref.importId);
    if (!file) throw ApplicationFailure.nonRetryable('The import was deleted', 'ContactImportNotFound');
    // An import that already ended (failed, or cancelled while queued) is not read into life again.
    if (file.piecesTotal === null && (file.status === 'queued' || file.status === 'reading')) {
      await markContactImportReading(db, ref.teamId, ref.importId);
      // Reading and storing a big file takes seconds: heartbeats let a dead worker's attempt be retried
      // within the heartbeat timeout instead of the whole start-to-close timeout (the loops below yield), and
      // bring the cancellation of the activity, which stops those loops.
      const beating = heartbeatEvery(5_000);
      try {
        await readIntoPieces(ref, file);
      } finally {
        clearInterval(beating);
      }
    }
    return contactImportProgress(db, ref.teamId, ref.importId);
  }
}

export type ContactImportActivities = ReturnType<typeof createContactImportActivities>;
