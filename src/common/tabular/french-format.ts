import { Money } from '../money/money.js';

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const NNBSP = '\u202f';

/** `1234.5` → `1 234,50` (narrow no-break space between thousands, as fr-FR writes them); exact, from the decimal string. */
export function frenchNumber(value: string | number, decimals = 2): string {
  const fixed = new Money(value).toFixed(decimals);
  const negative = fixed.startsWith('-');
  const [int, frac] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  return `${negative ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** `1234.5` → `1 234,50 €`. */
export function frenchEuros(value: string | number): string {
  return `${frenchNumber(value)}\u00a0€`;
}

/** `2026-12-05` → `5 déc. 2026`. */
export function frenchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** Decimal comma, no grouping: what a French spreadsheet reads back as a number (`1234,50`). */
export function csvDecimal(value: string | number, decimals = 2): string {
  return new Money(value).toFixed(decimals).replace('.', ',');
}
