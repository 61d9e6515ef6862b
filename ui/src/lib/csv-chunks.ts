/**
 * Splits a CSV file into pieces of whole records for the contacts import, each piece starting with the
 * header record. Records end at a line break outside quotes; a quote opens a quoted value only at the start
 * of a field (as the API's parser reads it), so a quoted value may hold line breaks, delimiters and "".
 * Every piece's text is an exact slice of the file (blank lines included), so the API's line numbers map back
 * to the file's with one offset per piece.
 */
export interface CsvChunk {
  /** Header record, a line break, then the slice of the file holding this piece's records. */
  text: string;
  /** Data records in the piece (blank lines not counted). */
  rows: number;
  /** The file's lines (1-based) the piece covers. */
  firstLine: number;
  lastLine: number;
  /** Add to the API's line numbers for this piece to get the file's (the API's `lineOffset`). */
  lineOffset: number;
}

export interface SplitCsv {
  chunks: CsvChunk[];
  /** Data records in the whole file. */
  totalRows: number;
}

interface CsvRecord {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
}

/** Same rule as the API: comma unless the first line only has semicolons or tabs. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}

/** The file's records (blank lines left out), with their character ranges and lines. */
function csvRecords(text: string): CsvRecord[] {
  const delimiter = delimiterOf(text);
  const records: CsvRecord[] = [];
  let start = 0;
  let line = 1;
  let firstLine = 1;
  let inQuotes = false;
  let fieldStart = true;

  const close = (end: number) => {
    const content = text.slice(start, end).replace(/\r$/, '');
    if (content !== '') records.push({ start, end, firstLine, lastLine: line });
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (c === '\n') line++;
      continue;
    }
    if (c === '\n') {
      close(i);
      line++;
      start = i + 1;
      firstLine = line;
      fieldStart = true;
    } else if (c === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === delimiter) {
      fieldStart = true;
    } else if (c !== '\r') {
      fieldStart = false;
    }
  }
  close(text.length);
  return records;
}

/** Pieces of at most `rowsPerChunk` records and (unless one record is bigger) about `maxChars` characters. */
export function splitCsv(input: string, opts: { rowsPerChunk?: number; maxChars?: number } = {}): SplitCsv {
  const rowsPerChunk = opts.rowsPerChunk ?? 1000;
  const maxChars = opts.maxChars ?? 400_000;
  const text = input.replace(/^\uFEFF/, '');
  const [header, ...rows] = csvRecords(text);
  if (!header) return { chunks: [], totalRows: 0 };
  // Keeps the file's own line break (a trailing \r of CRLF files): the API's parser takes the first one it
  // sees for every record.
  const headerText = text.slice(header.start, header.end);
  const headerLines = header.lastLine - header.firstLine + 1;

  const chunks: CsvChunk[] = [];
  let piece: CsvRecord[] = [];
  const flush = () => {
    const first = piece[0];
    const last = piece[piece.length - 1];
    if (!first || !last) return;
    chunks.push({
      text: `${headerText}\n${text.slice(first.start, last.end)}\n`,
      rows: piece.length,
      firstLine: first.firstLine,
      lastLine: last.lastLine,
      lineOffset: first.firstLine - headerLines - 1,
    });
    piece = [];
  };
  for (const row of rows) {
    const start = piece[0]?.start ?? row.start;
    if (piece.length >= rowsPerChunk || (piece.length > 0 && row.end - start + headerText.length > maxChars))
      flush();
    piece.push(row);
  }
  flush();
  return { chunks, totalRows: rows.length };
}
