/** Plain shapes of a rule version, as stored and as the other modules read them. Amounts are decimal strings. */
export type AllocationRule = (
  | { formula: 'flat'; amount: string }
  | { formula: 'household'; base: string; perExtraAdult: string; perChild: string }
  | { formula: 'mean-of-contributions' }
  /**
   * Savoie model: the wallet gets the whole target; the part the household did not pay that month (target − paid)
   * is charged to `fund` (e.g. the CAF grant earmarked for allocations); absent: the run's own fund pays it.
   */
  | { formula: 'top-up'; target: string; fund?: string }
) & {
  /** When the money available does not cover a run: 'reduce' pays everyone the same percentage; absent = the run fails. */
  whenShort?: 'reduce';
  /** Day of the month (1-28) the run for the month starts by itself; absent = runs are started by hand only. */
  autoRunDay?: number;
};

export const SHORTFALL_POLICIES = ['fail', 'reduce'] as const;

export type ContributionRule = (
  | { rule: 'free'; floor: string; ceiling?: string }
  | { rule: 'percent-of-income'; rate: string; floor: string; ceiling?: string }
  | { rule: 'grid'; bands: { upTo?: string; amount: string }[] }
  | { rule: 'brackets'; levels: { label: string; amount: string }[] }
) & {
  /** The part of a member's contribution above the member's allocation is a gift (7541, tax receipt), not a dues (756). */
  excessAsGift?: true;
};

export type RolloverRule = { mode: 'rollover' } | { mode: 'cap'; capMonths: number } | { mode: 'expire' };

export interface GateRule {
  requireContribution: boolean;
}

export interface RulesInForce {
  id: string;
  caisseId: string;
  effectiveFrom: string;
  allocation: AllocationRule;
  contribution: ContributionRule;
  rollover: RolloverRule;
  gate: GateRule;
}
