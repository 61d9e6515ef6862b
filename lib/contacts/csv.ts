import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as parseStream, type CsvError, type Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { badRequest, type ErrorDetail } from '../errors';
import { BAD_TEXT_MESSAGE, isStorableText } from '../text';
import { CONTACT_NAME_MAX_LENGTH, MAX_TAGS_PER_CONTACT, TAG_MAX_LENGTH, emailAddress } from './fields';

/**
 * Reading a CSV export into contacts, pure (no database): the synchronous import route and the import job's
 * workflow both read files with it, so a row is judged the same way whichever way it arrives.
 */

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

export interface ImportSkip {
  line: number;
  field: string;
  message: string;
}

/** A contact as read from the file: distinct address, normalized fields, the line it first appeared on. */
export interface CsvContact {
  line: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
}

export interface ParsedImport {
  /** Distinct addresses in file order, duplicates merged into their first row. */
  contacts: CsvContact[];
  skipped: ImportSkip[];
  duplicates: number;
  total: number;
}

interface ReadOptions {
  /** Added to every imported contact. */
  tags?: string[];
  /** Added to the reported line numbers (a piece of a bigger file). */
  lineOffset?: number;
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

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** The parser settings every reading of a contact file uses; problems found while parsing go to onSkip. */
function parserOptions(text: string, onSkip: (err: CsvError) => void): Options {
  return {
    bom: true,
    info: true,
    delimiter: sniffDelimiter(text.replace(/^\uFEFF/, '')),
    relax_column_count: true,
    // Stray quotes inside a value (He said "hi", "5"" screen") are kept as text, as spreadsheets mean them.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err) onSkip(err);
      return undefined;
    },
  };
}

/**
 * Judges the records of one file in order (header first): bad rows are reported (line, field, message), never
 * thrown; finish() throws for a file without an email column (400, field `email`, naming the headers it found)
 * or with a NUL or an unpaired surrogate in any cell (400, one detail per cell naming its line and column).
 */
class ContactCsvReader {
  private readonly lineOffset: number;
  private readonly extraTags: string[];
  private readonly skipped: ImportSkip[] = [];
  private unclosedQuote: ImportSkip | undefined;
  private readonly badCells: ErrorDetail[] = [];
  private header: string[] | undefined;
  private readonly columns = new Map<Column, number>();
  private readonly byEmail = new Map<string, CsvContact>();
  private duplicates = 0;
  private rows = 0;
  private lastLine: number | undefined;

  constructor(opts: ReadOptions) {
    this.lineOffset = opts.lineOffset ?? 0;
    this.extraTags = opts.tags ?? [];
  }

  parserProblem(err: CsvError): void {
    const skip = { line: Number(err.lines) + this.lineOffset, field: 'row', message: parserProblem(err) };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') this.unclosedQuote = skip;
    this.skipped.push(skip);
  }

  push({ record, info }: CsvRecord): void {
    const line = info.lines + this.lineOffset;
    this.lastLine = info.lines;
    // A NUL (or a broken emoji) anywhere refuses the whole file, naming each such cell: a row skipped for it
    // would hide the problem, and the text cannot be stored as it is.
    const isHeader = this.header === undefined;
    record.forEach((value, index) => {
      if (isStorableText(value)) return;
      const name = this.header?.[index]?.trim();
      const column = name && isStorableText(name) && !isHeader ? `"${clip(name, 40)}"` : index + 1;
      this.badCells.push({ path: `line ${line}, column ${column}`, message: BAD_TEXT_MESSAGE });
    });
    if (isHeader) {
      this.header = record;
      record.forEach((name, index) => {
        const column = HEADER_ALIASES[normalizeHeader(name)];
        if (column && !this.columns.has(column)) this.columns.set(column, index);
      });
      return;
    }
    this.rows++;
    if (this.badCells.length > 0 || !this.columns.has('email')) return;
    this.row(record, line);
  }

  private cell(record: string[], column: Column): string {
    const index = this.columns.get(column);
    return index === undefined ? '' : (record[index] ?? '').trim();
  }

  private row(record: string[], line: number): void {
    const skip = (field: string, message: string) => this.skipped.push({ line, field, message });

    const rawEmail = this.cell(record, 'email');
    const email = emailAddress.safeParse(rawEmail);
    if (!email.success) {
      skip('email', rawEmail === '' ? 'No email address' : `Not a valid email address: ${clip(rawEmail)}`);
      return;
    }

    let firstName = this.cell(record, 'firstName');
    let lastName = this.cell(record, 'lastName');
    const fullName = this.cell(record, 'name');
    if (fullName && !firstName && !lastName) {
      const [first = '', ...rest] = fullName.split(/\s+/);
      firstName = first;
      lastName = rest.join(' ');
    }
    if (firstName.length > CONTACT_NAME_MAX_LENGTH) {
      skip('first_name', `At most ${CONTACT_NAME_MAX_LENGTH} characters`);
      return;
    }
    if (lastName.length > CONTACT_NAME_MAX_LENGTH) {
      skip('last_name', `At most ${CONTACT_NAME_MAX_LENGTH} characters`);
      return;
    }

    const ownTags = this.cell(record, 'tags')
      .split(/[;|]/)
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    const tooLong = ownTags.find((t) => t.length > TAG_MAX_LENGTH);
    if (tooLong) {
      skip('tags', `A tag has at most ${TAG_MAX_LENGTH} characters: ${clip(tooLong)}`);
      return;
    }
    let tags = [...new Set([...ownTags, ...this.extraTags])];

    const earlier = this.byEmail.get(email.data);
    if (earlier) tags = [...new Set([...earlier.tags, ...tags])];
    if (tags.length > MAX_TAGS_PER_CONTACT) {
      skip('tags', `At most ${MAX_TAGS_PER_CONTACT} tags per contact (this row makes ${tags.length})`);
      return;
    }
    tags.sort();
    if (earlier) {
      this.duplicates++;
      earlier.tags = tags;
      earlier.firstName ??= firstName || null;
      earlier.lastName ??= lastName || null;
    } else {
      this.byEmail.set(email.data, {
        line,
        email: email.data,
        firstName: firstName || null,
        lastName: lastName || null,
        tags,
      });
    }
  }

  finish(): ParsedImport {
    // The parser names the file's last line for an unclosed quote; the row with the quote follows the last record.
    if (this.unclosedQuote && this.lastLine !== undefined)
      this.unclosedQuote.line = this.lastLine + 1 + this.lineOffset;
    if (this.badCells.length > 0)
      throw badRequest('The file contains text that cannot be stored', this.badCells);
    if (!this.columns.has('email')) {
      const found = (this.header ?? []).map((h) => h.trim()).filter((h) => h !== '');
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
    const rowProblems = this.skipped.filter((s) => s.field === 'row').length;
    // Rows are judged in file order, but parser problems may be reported out of it.
    const skipped = [...this.skipped].sort((a, b) => a.line - b.line);
    return {
      contacts: [...this.byEmail.values()],
      skipped,
      duplicates: this.duplicates,
      total: this.rows + rowProblems,
    };
  }
}

/**
 * Reads a CSV export into contacts at once (the synchronous import route: at most CONTACT_IMPORT_MAX_ROWS rows).
 * Bad rows are reported, never thrown; a file-level problem throws a 400 AppError (see ContactCsvReader).
 */
export function parseContactCsv(text: string, opts: ReadOptions = {}): ParsedImport {
  const reader = new ContactCsvReader(opts);
  const records = parse(
    text,
    parserOptions(text, (err) => reader.parserProblem(err)),
  ) as unknown as CsvRecord[];
  for (const record of records) reader.push(record);
  return reader.finish();
}

/** Characters handed to the streaming parser at a time; the event loop gets a turn between slices. */
const SLICE_CHARS = 64 * 1024;

/**
 * The same reading for a big file without holding the event loop: the text goes to the streaming parser a
 * slice at a time, with a turn of the event loop between slices (a worker shares its thread with other
 * activities, and with the API in the embedded setup).
 */
export async function readContactCsv(text: string, opts: ReadOptions = {}): Promise<ParsedImport> {
  const reader = new ContactCsvReader(opts);
  const parser = parseStream(parserOptions(text, (err) => reader.parserProblem(err)));
  let failure: Error | undefined;
  parser.on('readable', () => {
    let record: unknown;
    while ((record = parser.read()) !== null) reader.push(record as CsvRecord);
  });
  parser.on('error', (err) => {
    failure = err;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  for (let at = 0; at < text.length && !failure;) {
    let end = Math.min(text.length, at + SLICE_CHARS);
    // Never split a surrogate pair: each slice is encoded to UTF-8 on its own.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    parser.write(text.slice(at, end));
    at = end;
    await nextTurn();
  }
  parser.end();
  await ended;
  if (failure) throw failure;
  return reader.finish();
}

/**
 * Whether the file has more than `limit` data rows, found cheaply before any import work: a line count settles
 * it for most files; otherwise the parser reads no further than just past the limit.
 */
export function hasMoreRowsThan(text: string, limit: number): boolean {
  // The parser ends a record at LF, CRLF or a bare CR: count each line end once (CRLF as one, at its LF).
  let newlines = 0;
  for (let at = 0; at < text.length && newlines <= limit; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) newlines++;
  }
  // Each data row comes after a line end (the header's or its own predecessor's).
  if (newlines <= limit) return false;
  let problems = 0;
  const records = parse(text, {
    ...parserOptions(text, () => problems++),
    to: limit + 2,
  }) as unknown as CsvRecord[];
  return records.length - 1 + problems > limit;
}
