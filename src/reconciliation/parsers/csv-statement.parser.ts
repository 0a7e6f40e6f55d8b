import { createHash } from 'node:crypto';
import type { Decimal } from 'decimal.js';
import iconv from 'iconv-lite';
import { formatMoney, money } from '../../common/money/money.js';
import { MalformedStatement } from '../statement.errors.js';
import { checkedAmount, isoDate } from './statement-checks.js';
import type { ParsedLine, ParsedStatement } from './statement.types.js';

/** How a bank's CSV export reads: saved per bank account, columns named by their header. */
export interface CsvMapping {
  delimiter: ';' | ',' | '\t';
  decimalSeparator: ',' | '.';
  dateFormat: 'DD/MM/YYYY' | 'YYYY-MM-DD';
  columns: { date: string; label: string; amount?: string; debit?: string; credit?: string; reference?: string; valueDate?: string; counterparty?: string };
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what French banking portals export). */
function decode(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return iconv.decode(data, 'win1252');
  }
}

/** One line of delimited text; quoted fields may hold the delimiter and doubled quotes (not line breaks). */
function split(line: string, delimiter: string, n: number): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (!quoted && c === '"' && field === '') quoted = true;
    else if (!quoted && c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) throw new MalformedStatement(n, 'a quoted field is not closed');
  out.push(field);
  return out.map((f) => f.trim());
}

function parseDate(raw: string, format: CsvMapping['dateFormat'], n: number, column: string): string {
  const m = format === 'DD/MM/YYYY' ? /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(raw) : /^(\d{4})-(\d\d)-(\d\d)$/.exec(raw);
  const d = m ? (format === 'DD/MM/YYYY' ? isoDate(+m[3], +m[2], +m[1]) : isoDate(+m[1], +m[2], +m[3])) : null;
  if (!d) throw new MalformedStatement(n, `column "${column}": "${raw}" is not a date ${format}`);
  return d;
}

function parseAmount(raw: string, mapping: CsvMapping, n: number, column: string): Decimal {
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
  const normalised = mapping.decimalSeparator === ',' ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  if (!/^[+-]?\d{1,13}(\.\d+)?$/.test(normalised)) throw new MalformedStatement(n, `column "${column}": "${raw}" is not an amount`);
  return checkedAmount(money(normalised), n, `column "${column}" amount`);
}

/**
 * A CSV export (no balances): the lines of the file, opening balance = the account's last closing balance (given by
 * the caller), closing = opening + movements. The file's hash is the statement's sequence, so the same file twice is a duplicate.
 */
export function parseCsvStatement(data: Buffer, mapping: CsvMapping, opening: string): ParsedStatement {
  const text = decode(data).replace(/^\ufeff/, '');
  const rows = text.split(/\r?\n/);
  const header = split(rows[0] ?? '', mapping.delimiter, 1);
  const c = mapping.columns;
  const wanted = Object.entries(c).filter(([, v]) => v !== undefined) as [string, string][];
  const missing = wanted.filter(([, name]) => !header.includes(name)).map(([, name]) => name);
  if (missing.length) throw new MalformedStatement(1, `missing column(s) ${missing.map((m) => `"${m}"`).join(', ')} in the header (the saved mapping expects them)`);
  if (!c.amount && !(c.debit && c.credit)) throw new MalformedStatement(0, 'the mapping needs an amount column or debit and credit columns');
  const idx = (name?: string) => (name === undefined ? -1 : header.indexOf(name));
  const lines: ParsedLine[] = [];
  rows.slice(1).forEach((row, i) => {
    const n = i + 2;
    if (row.trim() === '') return;
    const f = split(row, mapping.delimiter, n);
    if (f.length < header.length) throw new MalformedStatement(n, `${f.length} fields, the header has ${header.length} (missing columns)`);
    const get = (name?: string) => (name === undefined ? '' : f[idx(name)]);
    let amount: Decimal;
    if (c.amount) amount = parseAmount(get(c.amount), mapping, n, c.amount);
    else {
      const debit = get(c.debit) ? parseAmount(get(c.debit), mapping, n, c.debit!).abs() : money(0);
      const credit = get(c.credit) ? parseAmount(get(c.credit), mapping, n, c.credit!).abs() : money(0);
      amount = credit.minus(debit);
    }
    if (amount.isZero()) return;
    lines.push({
      sourceLine: n,
      bookedOn: parseDate(get(c.date), mapping.dateFormat, n, c.date),
      valueOn: c.valueDate && get(c.valueDate) ? parseDate(get(c.valueDate), mapping.dateFormat, n, c.valueDate) : null,
      amount: formatMoney(amount),
      reference: get(c.reference),
      endToEndIds: [],
      batchRefs: [],
      counterpartyName: get(c.counterparty),
      counterpartyIban: '',
      remittance: get(c.reference),
      bankCode: '',
      label: get(c.label),
    });
  });
  if (lines.length === 0) throw new MalformedStatement(0, 'the CSV file holds no movement');
  const dates = lines.map((l) => l.bookedOn).sort();
  const total = lines.reduce((s, l) => s.plus(l.amount), money(0));
  const sha = createHash('sha256').update(data).digest('hex').slice(0, 32);
  return {
    format: 'csv',
    sourceLine: 1,
    statementRef: `CSV-${dates[0]}-${dates.at(-1)}`,
    sequence: sha,
    account: {},
    fromDate: dates[0],
    toDate: dates.at(-1)!,
    opening,
    closing: formatMoney(money(opening).plus(total)),
    lines,
  };
}
