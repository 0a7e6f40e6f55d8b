/** What a seeded demo prints: one login per role, all fictitious and valid only in this demo's data directory. */
export interface DemoLogins {
  caisseId: string;
  caisseName: string;
  platformAdmin: { email: string; password: string };
  users: { role: 'admin' | 'treasurer' | 'committee' | 'cashier' | 'member'; email: string; password: string }[];
  member: { name: string; cardNumber: string; pin: string; memberId: string };
  terminal: { outlet: string; apiKey: string };
}

/** Passwords of the demo's user accounts, chosen by the caller (random per data directory). */
export type DemoPasswords = Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;

export interface DemoSummary {
  members: number;
  activeMembers: number;
  outlets: number;
  conventionnes: number;
  decisions: number;
  contributions: number;
  grants: number;
  allocationRuns: number;
  purchases: number;
  /** Contributions of the current month called by the direct-debit batch (sent to the bank, not yet collected; counted in `contributions` too). */
  directDebits: number;
  settlementRuns: number;
  /** Transfers of the exported payout run, one per outlet owed. */
  payouts: number;
  statementLines: number;
  matchedLines: number;
  /** The last closed month (YYYY-MM). */
  closedThrough: string;
}

export interface DemoOutcome {
  /** false when the demo caisse already existed: nothing was written. */
  seeded: boolean;
  caisseId: string;
  logins?: DemoLogins;
  summary?: DemoSummary;
}
