import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../../common/money/money.js';
import { MalformedStatement } from '../statement.errors.js';
import { assertBalances, checkedAmount, isoDate } from './statement-checks.js';
import type { ParsedLine, ParsedStatement } from './statement.types.js';

const RECORD_LENGTH = 120;
const POSITIVE = '{ABCDEFGHI';
const NEGATIVE = '}JKLMNOPQR';

/**
 * The amount field (positions 90–103): 13 digits and a last character carrying both the sign and the last digit
 * (`{` `A`…`I` = +0…9, `}` `J`…`R` = −0…9), divided by 10^decimals (position 19 of the same record).
 */
export function overpunchAmount(field: string, decimals: number, line: number): Decimal {
  const head = field.slice(0, -1);
  const last = field.slice(-1);
  if (!/^\d+$/.test(head)) throw new MalformedStatement(line, `amount "${field}" (positions 91–104) must be digits followed by a sign character`);
  let digit = POSITIVE.indexOf(last);
  let sign = 1;
  if (digit < 0) {
    digit = NEGATIVE.indexOf(last);
    sign = -1;
  }
  if (digit < 0) throw new MalformedStatement(line, `amount "${field}": last character "${last}" is not a sign character ({, A–I, }, J–R)`);
  const value = money(`${head}${digit}`).dividedBy(money(10).pow(decimals)).times(sign);
  return checkedAmount(value, line, 'amount');
}

function date(raw: string, line: number, what: string): string {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(raw);
  const d = m ? isoDate(2000 + Number(m[3]), Number(m[2]), Number(m[1])) : null;
  if (!d) throw new MalformedStatement(line, `${what} "${raw}" is not a date DDMMYY`);
  return d;
}

function decimals(rec: string, line: number): number {
  const c = rec[19];
  if (!/\d/.test(c)) throw new MalformedStatement(line, `number of decimals (position 20) is "${c}", not a digit`);
  return Number(c);
}

interface Open {
  statement: ParsedStatement;
  account: string;
  last?: ParsedLine;
}

/**
 * CFONB 120 (relevé de compte): fixed 120-character records 01 (opening balance), 04 (movement), 05 (movement
 * complement), 07 (closing balance); several accounts or days may follow each other in one file. Every fault is
 * refused with its line — a statement is imported whole or not at all.
 */
export function parseCfonb120(text: string): ParsedStatement[] {
  const statements: ParsedStatement[] = [];
  let open: Open | undefined;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((rec, i) => {
    const n = i + 1;
    if (rec.trim() === '') return;
    if (rec.length !== RECORD_LENGTH) throw new MalformedStatement(n, `${rec.length} characters; a CFONB 120 record has exactly ${RECORD_LENGTH} (truncated or over-long line)`);
    const code = rec.slice(0, 2);
    const account = rec.slice(21, 32);
    if (code === '01') {
      if (open) throw new MalformedStatement(n, `opening balance (01) while the statement opened at line ${open.statement.sourceLine} has no closing balance (07)`);
      const currency = rec.slice(16, 19);
      if (currency !== 'EUR') throw new MalformedStatement(n, `currency "${currency}" (positions 17–19): only EUR statements are accepted`);
      const dec = decimals(rec, n);
      const fromDate = date(rec.slice(34, 40), n, 'opening date (positions 35–40)');
      const rib = { bank: rec.slice(2, 7), branch: rec.slice(11, 16), account };
      if (!/^\d{5}$/.test(rib.bank) || !/^\d{5}$/.test(rib.branch) || !/^[0-9A-Z]{11}$/.test(account)) throw new MalformedStatement(n, `bank code, branch code or account number is malformed ("${rib.bank}" "${rib.branch}" "${account}")`);
      open = {
        account,
        statement: {
          format: 'cfonb120',
          sourceLine: n,
          statementRef: `${rib.bank}${rib.branch}${account}-${fromDate}`,
          sequence: '',
          account: { rib },
          fromDate,
          toDate: fromDate,
          opening: formatMoney(overpunchAmount(rec.slice(90, 104), dec, n)),
          closing: '0.00',
          lines: [],
        },
      };
      return;
    }
    if (code !== '04' && code !== '05' && code !== '07') throw new MalformedStatement(n, `unknown record code "${code}" (01, 04, 05 and 07 are the records of a CFONB 120 statement)`);
    if (!open) throw new MalformedStatement(n, `record ${code} outside a statement (no opening balance 01 before it)`);
    if (account !== open.account) throw new MalformedStatement(n, `record ${code} is for account ${account}, but the statement opened at line ${open.statement.sourceLine} is for ${open.account}`);
    if (code === '04') {
      const amount = overpunchAmount(rec.slice(90, 104), decimals(rec, n), n);
      const valueRaw = rec.slice(42, 48);
      open.last = {
        sourceLine: n,
        bookedOn: date(rec.slice(34, 40), n, 'operation date (positions 35–40)'),
        valueOn: valueRaw.trim() ? date(valueRaw, n, 'value date (positions 43–48)') : null,
        amount: formatMoney(amount),
        reference: rec.slice(104, 120).trim(),
        endToEndIds: [],
        batchRefs: [],
        counterpartyName: '',
        counterpartyIban: '',
        remittance: '',
        bankCode: rec.slice(32, 34).trim(),
        label: rec.slice(48, 80).trim(),
      };
      // A zero movement moves nothing: kept out of the lines to match.
      if (!amount.isZero()) open.statement.lines.push(open.last);
      return;
    }
    if (code === '05') {
      if (!open.last) throw new MalformedStatement(n, 'complement record (05) without a movement (04) before it');
      complement(open.last, rec.slice(45, 48), rec.slice(48, 118).trim());
      return;
    }
    open.statement.toDate = date(rec.slice(34, 40), n, 'closing date (positions 35–40)');
    open.statement.closing = formatMoney(overpunchAmount(rec.slice(90, 104), decimals(rec, n), n));
    assertBalances(open.statement, n);
    statements.push(open.statement);
    open = undefined;
  });
  if (open) throw new MalformedStatement(open.statement.sourceLine, 'the statement opened here has no closing balance (07 record): the file is truncated');
  if (statements.length === 0) throw new MalformedStatement(0, 'the file holds no statement (no 01 … 07 records)');
  return statements;
}

/** A 05 record's qualifier says what its 70 characters are: names, references, free text. */
function complement(line: ParsedLine, qualifier: string, text: string): void {
  if (!text) return;
  const add = (a: string, b: string) => (a ? `${a} ${b}` : b);
  switch (qualifier) {
    case 'LIB':
      line.label = add(line.label, text);
      break;
    case 'NPY':
    case 'NBE':
      line.counterpartyName ||= text;
      break;
    case 'RCN':
    case 'REF':
      line.endToEndIds.push(text.split(/\s+/)[0]);
      line.remittance = add(line.remittance, text);
      break;
    default:
      line.remittance = add(line.remittance, text);
  }
}
