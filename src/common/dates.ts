const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today's date where the caisses are (YYYY-MM-DD). A UTC date would still say "yesterday" between midnight and
 * 1-2 am in France, and pick the wrong rules, period or closing day.
 */
let lastDay = { second: Number.NaN, day: '' };

export function todayInFrance(now: Date = new Date()): string {
  // Formatting in a time zone costs microseconds and a till asks several times per purchase: the answer is kept for
  // the second it was computed in (a day never changes within a second).
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastDay.second) lastDay = { second, day: PARIS_DAY.format(now) };
  return lastDay.day;
}

/** A calendar date (YYYY-MM-DD) `days` later (or earlier when negative), counted in UTC so no clock change moves it. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The month after the one a YYYY-MM period or YYYY-MM-DD date falls in, as YYYY-MM. */
export function nextPeriod(periodOrDate: string): string {
  const [y, m] = periodOrDate.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
