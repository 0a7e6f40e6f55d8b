import type { FieldErrors } from '../common/errors/domain-error.js';

export interface Slot {
  weekday: number;
  opens: string;
  closes: string;
}

const DAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Minutes since midnight of "HH:MM" ("24:00" is 1440, the end of the day). */
export function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function describeSlot(s: Slot): string {
  return `${DAYS[s.weekday] ?? `day ${s.weekday}`} ${s.opens}–${s.closes}`;
}

/** Half-open intervals: a slot ending at 12:00 and one starting at 12:00 do not overlap. */
function overlaps(a: Slot, b: Slot): boolean {
  return a.weekday === b.weekday && minutes(a.opens) < minutes(b.closes) && minutes(b.opens) < minutes(a.closes);
}

function add(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

/**
 * Field errors of one place's weekly hours: a slot must end after it starts (no overnight slot: split it at
 * midnight) and two slots of the same day must not overlap. Paths are "hours.<i>.closes" / "hours.<i>.opens".
 */
export function hoursErrors(slots: Slot[], prefix = 'hours'): FieldErrors {
  const errors: FieldErrors = {};
  slots.forEach((s, i) => {
    if (minutes(s.closes) <= minutes(s.opens)) add(errors, `${prefix}.${i}.closes`, `closes (${s.closes}) must be after opens (${s.opens}) on the same day`);
  });
  slots.forEach((s, i) => {
    if (errors[`${prefix}.${i}.closes`]) return;
    const j = slots.findIndex((o, k) => k < i && !errors[`${prefix}.${k}.closes`] && overlaps(o, s));
    if (j >= 0) add(errors, `${prefix}.${i}.opens`, `${describeSlot(s)} overlaps ${prefix}.${j} (${describeSlot(slots[j])})`);
  });
  return errors;
}

/**
 * A mobile grocery is one van: a new stop must not overlap the stops it already serves elsewhere. Returns the
 * errors keyed on the new slots, naming the other stop.
 */
export function roundConflicts(slots: Slot[], others: { label: string; hours: Slot[] }[], prefix = 'hours'): FieldErrors {
  const errors: FieldErrors = {};
  slots.forEach((s, i) => {
    for (const other of others) {
      const clash = other.hours.find((o) => overlaps(o, s));
      if (clash) {
        add(errors, `${prefix}.${i}.opens`, `${describeSlot(s)} overlaps the stop "${other.label}" (${describeSlot(clash)}): the van cannot be at two stops at once`);
        return;
      }
    }
  });
  return errors;
}

/** ISO weekday (1 = Monday) of a calendar date "YYYY-MM-DD". */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
