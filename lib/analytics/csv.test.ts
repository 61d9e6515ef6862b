import { csvCell, toCsv } from './csv';

describe('analytics CSV', () => {
  it('guards text cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
  });

  it('keeps numbers (negative ones too), quotes separators and doubles quotes', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('youtube')).toBe('youtube');
  });

  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['day', 'clicks'],
        [
          ['2026-12-01', 3],
          ['2026-12-02', 0],
        ],
      ),
    ).toBe('day,clicks\r\n2026-12-01,3\r\n2026-12-02,0\r\n');
  });
});
