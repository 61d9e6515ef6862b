import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { AppError, badRequest, conflict, serviceUnavailable } from '../../lib/errors';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/logger';
import { hasMoreRowsThan, parseContactCsv } from '../../lib/contacts/csv';
import { upsertImportedContacts, type ImportedContactChange } from '../../data/contact-list';
import {
  contactImportSkips,
  findContactImport,
  finishContactImport,
  insertContactImport,
  listContactImports,
  ONE_RUNNING_IMPORT_INDEX,
  runningContactImport,
} from '../../data/contact-imports';
import { isUniqueViolation } from '../../data/pg-errors';
import { inTransaction } from '../../data/transaction';
import { startContactImport } from '../../temporal/starts';
import { importedContactEvents } from '../../temporal/automation-events';
import type { TeamMembership } from '../http/locals';
import type { ContactImportResult } from '../schemas/contacts';

/** Rows per INSERT statement (one JSON parameter each, so no bind-parameter limit applies). */
const IMPORT_STATEMENT_ROWS = 1000;
const JOB_LIST_LIMIT = 50;

/** One import at a time per team: the running one is named, so the user can follow it. */
const importRunning = (running?: { id: string; status: string; createdAt: Date }) =>
  conflict(
    running
      ? `This team already has an import running (import ${running.id}, ${running.status}, started ${running.createdAt.toISOString()}): wait until it ends, then send the next file`
      : 'This team already has an import running: wait until it ends, then send the next file',
    'import_running',
  );

const importNotFound = () => new AppError(404, 'contact_import_not_found', 'Import not found');
const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

const tooManyRows = (maxRows: number) =>
  new AppError(
    413,
    'too_many_rows',
    `The file has more than ${maxRows.toLocaleString('en-US')} rows: send it in pieces of at most ${maxRows.toLocaleString('en-US')} rows, or to POST /teams/{teamId}/contacts/imports, which imports big files in the background`,
    [{ path: 'file', message: `At most ${maxRows} data rows per request` }],
  );

export type ContactImportService = ReturnType<typeof createContactImportService>;

export function createContactImportService(deps: {
  db: Knex;
  config: Pick<Config, 'contacts'>;
  logger?: Logger;
  temporal?: { client: Client } | null;
}) {
  const { db } = deps;
  const maxRows = deps.config.contacts.importMaxRows;

  return {
    /**
     * Upserts a CSV file's contacts into the team (source 'import') in one transaction, a statement per
     * IMPORT_STATEMENT_ROWS rows. Existing contacts get new tags and empty names filled; status never changes.
     * More than CONTACT_IMPORT_MAX_ROWS data rows is refused (413) before any parsing work: such a file goes to
     * the import job, which does not hold the API for the whole import.
     */
    async importCsv(
      m: TeamMembership,
      text: string,
      opts: { tags?: string[]; lineOffset?: number } = {},
    ): Promise<ContactImportResult> {
      if (hasMoreRowsThan(text, maxRows)) throw tooManyRows(maxRows);
      const parsed = parseContactCsv(text, opts);
      // The backstop, whatever the line ends: the parsed rows are counted before any database work.
      if (parsed.total > maxRows) throw tooManyRows(maxRows);
      const skipped = [...parsed.skipped];
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      const changes: ImportedContactChange[] = [];
      // Rows locked in address order across the whole file: two overlapping imports wait instead of deadlocking.
      const contacts = [...parsed.contacts].sort((x, y) =>
        x.email < y.email ? -1 : x.email > y.email ? 1 : 0,
      );
      await inTransaction(db, async (trx) => {
        for (let i = 0; i < contacts.length; i += IMPORT_STATEMENT_ROWS) {
          const result = await upsertImportedContacts(
            trx,
            m.teamId,
            contacts.slice(i, i + IMPORT_STATEMENT_ROWS),
          );
          created += result.created;
          updated += result.updated;
          unchanged += result.unchanged;
          skipped.push(...result.skipped);
          changes.push(...result.changes);
        }
      });
      // After the commit, only when an automation or a run listens (see the helper); the answer does not wait
      // for the events themselves.
      const events = await importedContactEvents(
        deps.temporal?.client,
        db,
        { teamId: m.teamId, importKey: `import:${randomUUID()}`, changes },
        (message, details) => deps.logger?.warn(details, message),
      );
      void events.raise();
      skipped.sort((a, b) => a.line - b.line);
      return { created, updated, unchanged, duplicates: parsed.duplicates, skipped, total: parsed.total };
    },

    /**
     * Stores the file and starts `contact-import-<id>`, which reads it into pieces and imports them one by one.
     * Answers at once with the queued import; its progress is read with get().
     */
    async startJob(m: TeamMembership, userId: string, text: string, tags: string[]) {
      // Nothing to store: said at once (every other problem of the file is found and reported by the job).
      if (text.trim() === '') {
        throw badRequest('The file is empty', [
          { path: 'file', message: 'Send a CSV file whose first row names the columns, one of them "email"' },
        ]);
      }
      if (!deps.temporal) throw temporalUnavailable();
      // One import at a time per team: jobs (and their stored files) do not pile up.
      const running = await runningContactImport(db, m.teamId);
      if (running) throw importRunning(running);
      const csv = Buffer.from(text, 'utf8');
      const client = deps.temporal.client;
      const id = randomUUID();
      let job: Awaited<ReturnType<typeof insertContactImport>>;
      try {
        job = await insertContactImport(db, { id, teamId: m.teamId, createdBy: userId, csv, tags });
      } catch (err) {
        // Another request of the team started one between the check and the insert.
        if (!isUniqueViolation(err, ONE_RUNNING_IMPORT_INDEX)) throw err;
        throw importRunning(await runningContactImport(db, m.teamId));
      }
      try {
        await startContactImport(client, {
          input: { teamId: m.teamId, importId: id },
          userId,
          fileBytes: csv.length,
        });
      } catch (err) {
        deps.logger?.warn({ err, importId: id }, 'could not start the contact import');
        await finishContactImport(db, m.teamId, id, {
          status: 'failed',
          error: { message: 'The import could not be started', details: [] },
        });
        throw temporalUnavailable();
      }
      return { import: { ...job, skipped: [] } };
    },

    /** The import's status and counts, from the table (no Temporal needed), with the first skipped rows so far. */
    async get(m: TeamMembership, importId: string) {
      const job = await findContactImport(db, m.teamId, importId);
      if (!job) throw importNotFound();
      return { import: { ...job, skipped: await contactImportSkips(db, importId) } };
    },

    list: async (m: TeamMembership) => ({
      imports: await listContactImports(db, m.teamId, JOB_LIST_LIMIT),
    }),
  };
}
