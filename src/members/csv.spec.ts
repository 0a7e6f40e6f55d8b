import { CsvSyntaxError, detectDelimiter, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it.each<[string, string, string[][], number[]]>([
    ['commas and LF', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']], [1, 2]],
    ['semicolons (French spreadsheets) and CRLF', 'a;b\r\n1;2\r\n3;4', [['a', 'b'], ['1', '2'], ['3', '4']], [1, 2, 3]],
    ['tabs', 'a\tb\n1\t2', [['a', 'b'], ['1', '2']], [1, 2]],
    ['quoted delimiter and doubled quotes', 'a,b\n"x, y","say ""hi"""', [['a', 'b'], ['x, y', 'say "hi"']], [1, 2]],
    ['a line break inside quotes keeps the next record on its real line', 'a,b\n"12 rue X\nBât. B",2\n3,4', [['a', 'b'], ['12 rue X\nBât. B', '2'], ['3', '4']], [1, 2, 4]],
    ['blank lines are skipped but counted', 'a,b\n\n1,2\n\n', [['a', 'b'], ['1', '2']], [1, 3]],
    ['empty fields', 'a,b,c\n,,\n', [['a', 'b', 'c'], ['', '', '']], [1, 2]],
    ['a byte-order mark', '\ufeffa;b\n1;2', [['a', 'b'], ['1', '2']], [1, 2]],
    ['accents', 'nom\nÉloïse', [['nom'], ['Éloïse']], [1, 2]],
  ])('reads %s', (_name, text, rows, lines) => {
    const { records } = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual(rows);
    expect(records.map((r) => r.line)).toEqual(lines);
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,"oops\n2,3', 2],
    ['text after a closing quote', 'a,b\n"x"y,2', 2],
  ])('refuses %s, naming the line', (_name, text, line) => {
    expect(() => parseCsv(text)).toThrow(CsvSyntaxError);
    try {
      parseCsv(text);
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(line);
    }
  });

  it('picks the delimiter the header uses most', () => {
    expect(detectDelimiter('firstName;lastName;commune')).toBe(';');
    expect(detectDelimiter('firstName,lastName')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
  });
});
