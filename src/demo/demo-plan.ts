import { COMMUNES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAIN } from './demo-territory.js';
import { type DemoRandom, euros } from './demo-random.js';

/** Household-based allocation (cents): the first person, each further adult, each child under 14. */
export const ALLOCATION = { base: 10_000, perExtraAdult: 5_000, perChild: 3_000 };
/** Contribution grid by declared net monthly household income (cents): [upTo, monthly amount]; the last has no bound. */
export const GRID: [number | null, number][] = [
  [80_000, 1_000],
  [120_000, 2_000],
  [160_000, 3_500],
  [220_000, 5_500],
  [300_000, 8_000],
  [null, 12_000],
];

export interface PlannedMember {
  firstName: string;
  lastName: string;
  birthYear: number;
  commune: string;
  adults: number;
  childrenBirthYears: number[];
  incomeCents: number;
  email: string;
  /** Index of the first period the member is active in (0 = the whole year); null: still on the waitlist. */
  fromPeriod: number | null;
  joinedOn: string;
  pin: string;
}

/** The twelve months ending with the current one, as YYYY-MM. */
export function periodsEndingAt(today: string, count = 12): string[] {
  const [y, m] = today.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

export function dayOf(period: string, day: number): string {
  return `${period}-${String(day).padStart(2, '0')}`;
}

export function previousMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function gridAmount(incomeCents: number): number {
  return GRID.find(([upTo]) => upTo === null || incomeCents <= upTo)![1];
}

export function monthlyAllocation(m: Pick<PlannedMember, 'adults' | 'childrenBirthYears'>, year: number): number {
  const children = m.childrenBirthYears.filter((by) => year - by < 14).length;
  const adults = m.adults + m.childrenBirthYears.length - children;
  return ALLOCATION.base + ALLOCATION.perExtraAdult * (adults - 1) + ALLOCATION.perChild * children;
}

/**
 * The members, in cohorts as real caisses grew (Lyon: 30 → 100 → 140 households): most from the first month, a
 * second cohort joining mid-month in the fourth (so its first allocation is prorated), a third in the ninth, and a
 * few applicants still waitlisted.
 */
export function planMembers(rng: DemoRandom, count: number, periods: string[]): PlannedMember[] {
  const communes = COMMUNES.map((c) => [c.code, c.weight] as const);
  return Array.from({ length: count }, (_, i) => {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const adults = rng.weighted([[1, 50], [2, 42], [3, 8]] as const);
    const year = Number(periods[periods.length - 1].slice(0, 4));
    const childrenBirthYears = Array.from({ length: rng.weighted([[0, 45], [1, 22], [2, 20], [3, 10], [4, 3]] as const) }, () => rng.int(year - 16, year - 1));
    const incomeCents = rng.weighted([[rng.int(45_000, 80_000), 25], [rng.int(80_001, 120_000), 25], [rng.int(120_001, 160_000), 20], [rng.int(160_001, 220_000), 15], [rng.int(220_001, 300_000), 10], [rng.int(300_001, 450_000), 5]] as const);
    // The first two always belong to the first cohort: the demo member and a committee seat need the whole year.
    const cohort = i < 2 ? 0 : rng.weighted([[0, 75], [3, 13], [8, 8], [null, 4]] as const);
    const joinedOn = cohort === null ? dayOf(periods[periods.length - 1], 1) : cohort === 0 ? dayOf(previousMonth(periods[0]), rng.int(10, 28)) : dayOf(periods[cohort], rng.int(8, 20));
    const slug = `${firstName}.${lastName}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
    return {
      firstName,
      lastName,
      birthYear: rng.int(year - 80, year - 19),
      commune: rng.weighted(communes),
      adults,
      childrenBirthYears,
      incomeCents,
      email: `${slug}.${i + 1}@${MAIL_DOMAIN}`,
      fromPeriod: cohort,
      joinedOn,
      pin: rng.digits(4),
    };
  });
}

/** The members as the import route reads them: the creation body, flattened, semicolons as a French spreadsheet. */
export function membersCsv(members: PlannedMember[]): string {
  const head = 'firstName;lastName;birthYear;commune;status;joinedOn;adults;childrenBirthYears;email;monthlyIncome;consentDataProcessing';
  const rows = members.map((m) =>
    [m.firstName, m.lastName, m.birthYear, m.commune, m.fromPeriod === null ? 'waitlisted' : 'active', m.joinedOn, m.adults, m.childrenBirthYears.join(' '), m.email, euros(m.incomeCents), 'oui'].join(';'),
  );
  return [head, ...rows].join('\n') + '\n';
}
