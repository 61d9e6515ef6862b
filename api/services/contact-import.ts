import { CsvError, parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { badRequest, type ErrorDetail } from '../../lib/errors';
import { BAD_TEXT_MESSAGE, isStorableText } from '../../lib/text';
import { bulkUpsertContacts, tagsByEmail, type BulkContact } from '../../data/contact-list';
import type { TeamMembership } from '../http/locals';
import {
  CONTACT_NAME_MAX_LENGTH,
  MAX_TAGS_PER_CONTACT,
  TAG_MAX_LENGTH,
  contactEmail,
  type ContactImportResult,
} from '../schemas/contacts';
import { inTransaction } from '../../data/transaction';

/** Rows per INSERT statement (one JSON parameter each, so no bind-parameter limit applies). */
const IMPORT_STATEMENT_ROWS = 1000;

type Column = 'email' | 'firstName' | 'lastName' | 'name' | 'tags';

/** Header names after lower-casing and dropping spaces, '_' and '-' ("E-Mail", "First Name", "last_name"). */
const HEADER_ALIASES: Record<string, Column> = {
  email: 'email',
  emailaddress: 'email',
  firstname: 'firstName',
  lastname: 'lastName',
  name: 'name',
  fullname: 'name',
  tags: 'tags',
  tag: 'tags',
};

const normalizeHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

interface ImportSkip {
  line: number;
  field: string;
  message: string;
}

export interface ParsedImport {
  /** Distinct addresses in file order, duplicates merged into their first row. */
  contacts: (BulkContact & { line: number })[];
  skipped: ImportSkip[];
  duplicates: number;
  total: number;
}

/** Comma unless the header line clearly uses semicolons or tabs (spreadsheets in many locales export those). */
function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}

function parserProblem(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quote is opened and never closed: this row and the rest of the file could not be read';
    default:
      return err.message;
  }
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Reads a CSV export into contacts. Pure: bad rows are reported (line, field, message), never thrown; only a
 * file without an email column (400, field `email`, naming the headers it found) or with a NUL or an unpaired
 * surrogate in any cell (400, one detail per cell naming its line and column) is an error.
 */
export function parseContactCsv(
  text: string,
  opts: { tags?: string[]; lineOffset?: number } = {},
): ParsedImport {
  const lineOffset = opts.lineOffset ?? 0;
  const extraTags = opts.tags ?? [];
  const skipped: ImportSkip[] = [];
  let unclosedQuote: ImportSkip | undefined;
  const records = parse(text, {
    bom: true,
    info: true,
    delimiter: sniffDelimiter(text.replace(/^\uFEFF/, '')),
    relax_column_count: true,
    // Stray quotes inside a value (He said "hi", "5"" screen") are kept as text, as spreadsheets mean them.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (!err) return undefined;
      const skip = { line: Number(err.lines) + lineOffset, field: 'row', message: parserProblem(err) };
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') unclosedQuote = skip;
      skipped.push(skip);
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];

  // The parser names the file's last line for an unclosed quote; the row with the quote follows the last record.
  const lastRecord = records[records.length - 1];
  if (unclosedQuote && lastRecord) unclosedQuote.line = lastRecord.info.lines + 1 + lineOffset;

  // A NUL (or a broken emoji) anywhere refuses the whole file, naming each such cell: a row skipped for it would
  // hide the problem, and the text cannot be stored as it is.
  const badCells: ErrorDetail[] = [];
  for (const { record, info } of records) {
    record.forEach((value, index) => {
      if (isStorableText(value)) return;
      const name = records[0]?.record[index]?.trim();
      const column =
        name && isStorableText(name) && records[0]?.record !== record ? `"${clip(name, 40)}"` : index + 1;
      badCells.push({ path: `line ${info.lines + lineOffset}, column ${column}`, message: BAD_TEXT_MESSAGE });
    });
  }
  if (badCells.length > 0) throw badRequest('The file contains text that cannot be stored', badCells);

  const [header, ...rows] = records;
  const columns = new Map<Column, number>();
  header?.record.forEach((name, index) => {
    const column = HEADER_ALIASES[normalizeHeader(name)];
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const emailIndex = columns.get('email');
  if (emailIndex === undefined) {
    const found = (header?.record ?? []).map((h) => h.trim()).filter((h) => h !== '');
    throw badRequest('The file has no email column', [
      {
        path: 'email',
        message:
          found.length === 0
            ? 'The file is empty: its first row must name the columns, one of them "email"'
            : `No email column: the first row has ${found.map((h) => `"${clip(h, 40)}"`).join(', ')}; name one "email"`,
      },
    ]);
  }

  const byEmail = new Map<string, BulkContact & { line: number }>();
  let duplicates = 0;
  const cell = (record: string[], column: Column) => {
    const index = columns.get(column);
    return index === undefined ? '' : (record[index] ?? '').trim();
  };

  for (const { record, info } of rows) {
    const line = info.lines + lineOffset;
    const skip = (field: string, message: string) => skipped.push({ line, field, message });

    const rawEmail = cell(record, 'email');
    const email = contactEmail.safeParse(rawEmail);
    if (!email.success) {
      skip('email', rawEmail === '' ? 'No email address' : `Not a valid email address: ${clip(rawEmail)}`);
      continue;
    }

    let firstName = cell(record, 'firstName');
    let lastName = cell(record, 'lastName');
    const fullName = cell(record, 'name');
    if (fullName && !firstName && !lastName) {
      const [first = '', ...rest] = fullName.split(/\s+/);
      firstName = first;
      lastName = rest.join(' ');
    }
    if (firstName.length > CONTACT_NAME_MAX_LENGTH) {
      skip('first_name', `At most ${CONTACT_NAME_MAX_LENGTH} characters`);
      continue;
    }
    if (lastName.length > CONTACT_NAME_MAX_LENGTH) {
      skip('last_name', `At most ${CONTACT_NAME_MAX_LENGTH} characters`);
      continue;
    }

    const ownTags = cell(record, 'tags')
      .split(/[;|]/)
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    const tooLong = ownTags.find((t) => t.length > TAG_MAX_LENGTH);
    if (tooLong) {
      skip('tags', `A tag has at most ${TAG_MAX_LENGTH} characters: ${clip(tooLong)}`);
      continue;
    }
    let tags = [...new Set([...ownTags, ...extraTags])];

    const earlier = byEmail.get(email.data);
    if (earlier) tags = [...new Set([...earlier.tags, ...tags])];
    if (tags.length > MAX_TAGS_PER_CONTACT) {
      skip('tags', `At most ${MAX_TAGS_PER_CONTACT} tags per contact (this row makes ${tags.length})`);
      continue;
    }
    tags.sort();
    if (earlier) {
      duplicates++;
      earlier.tags = tags;
      earlier.firstName ??= firstName || null;
      earlier.lastName ??= lastName || null;
    } else {
      byEmail.set(email.data, {
        line,
        email: email.data,
        firstName: firstName || null,
        lastName: lastName || null,
        tags,
      });
    }
  }

  return {
    contacts: [...byEmail.values()],
    skipped,
    duplicates,
    total: rows.length + skipped.filter((s) => s.field === 'row').length,
  };
}

export type ContactImportService = ReturnType<typeof createContactImportService>;

export function createContactImportService(deps: { db: Knex }) {
  const { db } = deps;

  return {
    /**
     * Upserts a CSV file's contacts into the team (source 'import') in one transaction, a statement per
     * IMPORT_STATEMENT_ROWS rows. Existing contacts get new tags and empty names filled; status never changes.
     */
    async importCsv(
      m: TeamMembership,
      text: string,
      opts: { tags?: string[]; lineOffset?: number } = {},
    ): Promise<ContactImportResult> {
      const parsed = parseContactCsv(text, opts);
      const skipped = [...parsed.skipped];
      let created = 0;
      let updated = 0;
      let written = 0;
      // Rows locked in address order: two imports of overlapping files wait for each other instead of deadlocking.
      const contacts = [...parsed.contacts].sort((x, y) =>
        x.email < y.email ? -1 : x.email > y.email ? 1 : 0,
      );
      await inTransaction(db, async (trx) => {
        for (let i = 0; i < contacts.length; i += IMPORT_STATEMENT_ROWS) {
          const chunk = contacts.slice(i, i + IMPORT_STATEMENT_ROWS);
          // Tag limit against what the contacts already have: such a row is reported, not silently cut.
          const existing = await tagsByEmail(
            trx,
            m.teamId,
            chunk.filter((c) => c.tags.length > 0).map((c) => c.email),
          );
          const fitting = chunk.filter((c) => {
            const current = existing.get(c.email);
            if (!current) return true;
            const merged = new Set([...current, ...c.tags]).size;
            if (merged <= MAX_TAGS_PER_CONTACT) return true;
            skipped.push({
              line: c.line,
              field: 'tags',
              message: `At most ${MAX_TAGS_PER_CONTACT} tags per contact: ${c.email} has ${current.length} and this row would make ${merged}`,
            });
            return false;
          });
          const result = await bulkUpsertContacts(trx, m.teamId, 'import', fitting, MAX_TAGS_PER_CONTACT);
          created += result.created;
          updated += result.updated;
          written += fitting.length;
        }
      });
      skipped.sort((a, b) => a.line - b.line);
      return {
        created,
        updated,
        unchanged: written - created - updated,
        duplicates: parsed.duplicates,
        skipped,
        total: parsed.total,
      };
    },
  };
}
