import { Decimal } from 'decimal.js';

/**
 * French formatting as Intl fr-FR does it: `1 234,50 €` with a narrow no-break space (U+202F) between thousands and
 * a no-break space (U+00A0) before the euro sign; dates `5 déc. 2026`. Amounts are decimal strings, never numbers:
 * the integer part is grouped by hand so no amount passes through a float.
 */
const NNBSP = '\u202f';
const NBSP = '\u00a0';

export function formatAmount(amount: string | Decimal, options: { sign?: boolean } = {}): string {
  const d = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const [int, frac] = d.abs().toFixed(2).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  const sign = d.isNegative() && !d.isZero() ? '-' : options.sign && d.isPositive() && !d.isZero() ? '+' : '';
  return `${sign}${grouped},${frac}${NBSP}€`;
}

const DAY = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' });
const DAY_TIME = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });
const MONTH = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-12-05` (a calendar day) or a Date/ISO instant (shown in Paris time) as `5 déc. 2026`. */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  }
  return DAY.format(typeof value === 'string' ? new Date(value) : value);
}

export function formatDateTime(value: string | Date): string {
  return DAY_TIME.format(typeof value === 'string' ? new Date(value) : value);
}

/** `2026-12` as `décembre 2026`. */
export function formatPeriod(period: string): string {
  return MONTH.format(new Date(`${period}-01T00:00:00Z`));
}

export function formatInteger(n: number): string {
  return new Intl.NumberFormat('fr-FR').format(n);
}

/** A ratio 0..1 (or a decimal string) as `42 %`. */
export function formatPercent(value: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 }).format(value);
}
