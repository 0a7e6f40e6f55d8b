/**
 * Public reports show counts of people by commune or income band. In a caisse of a few hundred members, "2 members
 * of band 1 in commune X spent nothing" points at someone: a count under the caisse's minimum (min_cell) is
 * suppressed (null, printed "< n"), and so are the averages computed from it.
 */
export function smallCount(count: number, minimum: number): number | null {
  return count > 0 && count < minimum ? null : count;
}

export function isSmall(count: number, minimum: number): boolean {
  return count > 0 && count < minimum;
}

export const suppressionNote = (minimum: number) =>
  `Secret statistique : les effectifs de moins de ${minimum} personnes et les montants calculés sur eux ne sont pas publiés (cellules vides).`;
