import { setImmediate as nextTurn } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
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
import { upsertImportedContacts } from '../data/contact-list';
import { inTransaction } from '../data/transaction';
import { readContactCsv, type ParsedImport } from '../lib/contacts/csv';
import { AppError } from '../lib/errors';
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

export function createContactImportActivities({ db }: { db: Knex }) {
  /** The stored file, fetched in parts, read into contacts and stored as pieces; then on to importing. */
  async function readIntoPieces(ref: ImportRef, file: { fileBytes: number; tags: string[] }): Promise<void> {
    let parsed: ParsedImport;
    try {
      const parts: Buffer[] = [];
      for (let at = 0; at < file.fileBytes; at += FILE_PART_BYTES) {
        parts.push(await contactImportFileBytes(db, ref.importId, at, FILE_PART_BYTES));
        await nextTurn();
      }
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
      const contacts = parsed.contacts.slice(at, at + CONTACT_IMPORT_PIECE_ROWS);
      await insertContactImportPiece(db, ref.importId, pieces++, contacts);
      // The embedded database answers without I/O: give other work (the API, in the embedded setup) a turn.
      await nextTurn();
    }
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
      const file = await contactImportFile(db, ref.teamId, ref.importId);
      if (!file) throw ApplicationFailure.nonRetryable('The import was deleted', 'ContactImportNotFound');
      if (file.piecesTotal === null) {
        await markContactImportReading(db, ref.teamId, ref.importId);
        // Reading and storing a big file takes seconds: heartbeats let a dead worker's attempt be retried
        // within the heartbeat timeout instead of the whole start-to-close timeout (the loops below yield).
        const beating = heartbeatEvery(5_000);
        try {
          await readIntoPieces(ref, file);
        } finally {
          clearInterval(beating);
        }
      }
      return contactImportProgress(db, ref.teamId, ref.importId);
    },

    /**
     * One piece in one short transaction: the piece is locked, its contacts upserted, and the piece marked done
     * with its counts (added to the import's) before the commit. A piece already done (an earlier attempt
     * committed, then its answer was lost) is not applied again. Returns the import's counts.
     */
    async importContactPiece(p: ImportRef & { piece: number }): Promise<ContactImportProgress> {
      await inTransaction(db, async (trx) => {
        const contacts = await lockContactImportPiece(trx, p.importId, p.piece);
        if (contacts === null) return;
        const result = await upsertImportedContacts(trx, p.teamId, contacts);
        await recordContactImportPiece(trx, p.importId, p.piece, contacts.length, result);
      });
      return contactImportProgress(db, p.teamId, p.importId);
    },

    /** Ends the import once (an import already ended, e.g. failed while reading, keeps its end and error). */
    async finishContactImport(
      f: ImportRef & { status: 'finished' | 'failed'; error?: string },
    ): Promise<ContactImportProgress> {
      await finishContactImport(db, f.teamId, f.importId, {
        status: f.status,
        error: f.error === undefined ? undefined : { message: f.error, details: [] },
      });
      return contactImportProgress(db, f.teamId, f.importId);
    },
  };
}

export type ContactImportActivities = ReturnType<typeof createContactImportActivities>;
