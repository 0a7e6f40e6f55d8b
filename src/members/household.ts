/**
 * Only birth years are kept (data minimisation), so a child counts as under 14 through the year of its 13th birthday
 * and as a further adult from 1 January of the year it turns 14 — the same day for every child born that year.
 */
export function childrenOn(birthYears: readonly number[], date: string): { under14: number; aged14AndOver: number } {
  const year = Number(date.slice(0, 4));
  const under14 = birthYears.filter((y) => year - y <= 13).length;
  return { under14, aged14AndOver: birthYears.length - under14 };
}

export function pseudonymOf(number: number): string {
  return `M${String(number).padStart(8, '0')}`;
}
