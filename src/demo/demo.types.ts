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
}

export interface DemoOutcome {
  /** false when the demo caisse already existed: nothing was written. */
  seeded: boolean;
  caisseId: string;
  logins?: DemoLogins;
  summary?: DemoSummary;
}
