import type { Decimal } from 'decimal.js';
import { formatMoney, MAX_AMOUNT, money } from '../../common/money/money.js';
import { MalformedStatement } from '../statement.errors.js';
import type { ParsedStatement } from './statement.types.js';

/** A real calendar date YYYY-MM-DD, or null. */
export function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** YYYY-MM-DD (or the date part of a date-time) that is a real date, or a refusal naming the line. */
export function checkedDate(value: string, line: number, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const d = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (!d) throw new MalformedStatement(line, `${what} "${value}" is not a date YYYY-MM-DD`);
  return d;
}

/** An amount with at most two decimals and within numeric(15,2), or a refusal naming the line. */
export function checkedAmount(value: Decimal, line: number, what: string): Decimal {
  if (!value.times(100).isInteger()) throw new MalformedStatement(line, `${what} ${value.toString()} has more than 2 decimals (bad precision)`);
  if (value.abs().gt(MAX_AMOUNT)) throw new MalformedStatement(line, `${what} ${value.toString()} is too large`);
  return value;
}

/** Opening + movements must give the closing balance the bank printed: otherwise lines are missing or garbled. */
export function assertBalances(s: ParsedStatement, closingLine: number): void {
  const sum = s.lines.reduce((acc, l) => acc.plus(l.amount), money(0));
  const expected = money(s.opening).plus(sum);
  if (!expected.eq(s.closing)) {
    throw new MalformedStatement(
      closingLine,
      `statement ${s.statementRef}: opening balance ${formatMoney(s.opening)} + movements ${formatMoney(sum)} = ${formatMoney(expected)}, but the closing balance is ${formatMoney(s.closing)}`,
    );
  }
  if (s.toDate < s.fromDate) throw new MalformedStatement(closingLine, `statement ${s.statementRef}: closing date ${s.toDate} is before its opening date ${s.fromDate}`);
}
