/**
 * TARGET2 (T2) calendar: SEPA direct debits settle only on days T2 is open — every weekday except New Year's Day,
 * Good Friday, Easter Monday, 1 May, 25 and 26 December (ECB). Dates are YYYY-MM-DD strings, computed in UTC so no
 * time zone moves a day.
 */
import { addDays } from '../common/dates.js';
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/** Easter Sunday of a year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}


export function isTarget2BusinessDay(date: string): boolean {
  const weekday = utc(date).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const easter = easterSunday(Number(date.slice(0, 4)));
  const closed = [`${date.slice(0, 4)}-01-01`, addDays(easter, -2), addDays(easter, 1), `${date.slice(0, 4)}-05-01`, `${date.slice(0, 4)}-12-25`, `${date.slice(0, 4)}-12-26`];
  return !closed.includes(date);
}

/** The first TARGET2 business day strictly after `date`. */
export function nextBusinessDay(date: string): string {
  let d = addDays(date, 1);
  while (!isTarget2BusinessDay(d)) d = addDays(d, 1);
  return d;
}

/** Why a collection date built on `builtOn` cannot be used, or undefined when it can. */
export function collectionDateError(collectionDate: string, builtOn: string): string | undefined {
  if (collectionDate < builtOn) return `collectionDate must not be in the past (today is ${builtOn})`;
  if (!isTarget2BusinessDay(collectionDate)) return 'collectionDate must be a TARGET2 business day (no weekend, 1 Jan, Good Friday, Easter Monday, 1 May, 25–26 Dec)';
  const earliest = nextBusinessDay(builtOn);
  if (collectionDate < earliest) return `collectionDate must be at least one business day after the batch is built: ${earliest} at the earliest`;
  return undefined;
}
