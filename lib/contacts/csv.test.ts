import { hasMoreRowsThan, parseContactCsv, readContactCsv } from './csv';

const rows = (n: number, sep = '\n') =>
  ['email,first_name', ...Array.from({ length: n }, (_, i) => `r${i}@example.com,Name ${i}`)].join(sep);

describe('hasMoreRowsThan', () => {
  it('tells a file over the limit from one at it, by data rows (not lines)', () => {
    expect(hasMoreRowsThan(rows(10), 10)).toBe(false);
    expect(hasMoreRowsThan(rows(11), 10)).toBe(true);
    expect(hasMoreRowsThan(rows(10) + '\n', 10)).toBe(false);
    expect(hasMoreRowsThan(rows(11, '\r\n') + '\r\n', 10)).toBe(true);
    // A bare CR ends a record too (old Mac line ends): counted like LF, CRLF once.
    expect(hasMoreRowsThan(rows(11, '\r') + '\r', 10)).toBe(true);
    expect(hasMoreRowsThan(rows(10, '\r') + '\r', 10)).toBe(false);
    expect(hasMoreRowsThan(rows(10, '\r\n') + '\r\n', 10)).toBe(false);
    // Blank lines and line breaks inside quoted values are not rows.
    expect(hasMoreRowsThan(rows(10, '\n\n'), 10)).toBe(false);
    const quoted = ['email,note', ...Array.from({ length: 10 }, (_, i) => `q${i}@example.com,"two\nlines"`)];
    expect(hasMoreRowsThan(quoted.join('\n'), 10)).toBe(false);
    expect(hasMoreRowsThan(quoted.join('\n') + '\nlast@example.com,x', 10)).toBe(true);
  });
});

describe('readContactCsv', () => {
  it('reads a big file in slices exactly as parseContactCsv reads it at once', async () => {
    // Emoji and multi-line values land on slice boundaries somewhere in 300 KB; duplicates and bad rows too.
    const lines = ['\uFEFFE-Mail;Name;Tags'];
    for (let i = 0; i < 6000; i++) {
      if (i % 97 === 0) lines.push(`not-an-email-${i};x;`);
      else if (i % 101 === 0) lines.push(`r${i - 1}@example.com;;dup`);
      else lines.push(`r${i}@example.com;"Zoë 🙂 ${i}\nline two";a|b`);
    }
    const text = lines.join('\r\n');
    const tags = ['spring'];
    const atOnce = parseContactCsv(text, { tags });
    expect(atOnce.contacts.length).toBeGreaterThan(5000);
    expect(atOnce.duplicates).toBeGreaterThan(0);
    expect(atOnce.skipped.length).toBeGreaterThan(0);
    expect(await readContactCsv(text, { tags })).toEqual(atOnce);
  });

  it('throws the same file-level errors: no email column, a NUL in a cell', async () => {
    await expect(readContactCsv('name,tags\nAda,x\n')).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'email', message: expect.stringContaining('"name", "tags"') as unknown }],
    });
    await expect(readContactCsv('email,name\nada@example.com,A\u0000da\n')).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'line 2, column "name"', message: expect.stringContaining('NUL') as unknown }],
    });
  });
});
