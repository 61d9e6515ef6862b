/**
 * CSV for spreadsheets (RFC 4180: comma, CRLF, quotes doubled). A text cell a spreadsheet would read as a formula
 * (starting with = + - @, a tab or a carriage return: a sub-id or referrer is whatever a visitor sent) gets a
 * leading apostrophe, so it shows as text and never runs (OWASP "CSV injection").
 */
export type CsvCell = string | number | null;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  // Numbers are ours, not a visitor's: a negative net revenue stays a number.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header row and the rows, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
