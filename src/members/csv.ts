export interface CsvRecord {
  /** Line of the file where the record starts (1 = header), as a spreadsheet shows it. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** French spreadsheets export with semicolons, others with commas (or tabs): the header line decides. */
export function detectDelimiter(firstLine: string): ',' | ';' | '\t' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: (',' | ';' | '\t')[] = [';', ',', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',' as ',' | ';' | '\t');
}

/**
 * RFC 4180 parsing: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF ends a record;
 * blank lines are skipped; a leading byte-order mark is dropped.
 */
export function parseCsv(input: string): { delimiter: string; records: CsvRecord[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '') {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(start, `line ${start}: a quoted field is never closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        field += text[i++];
      }
      if (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvSyntaxError(line, `line ${line}: unexpected text after a closing quote`);
      }
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length) endRecord();
  return { delimiter, records };
}
