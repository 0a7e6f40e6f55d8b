import type { DemoHttp } from './demo-http.js';
import type { PlannedMember } from './demo-plan.js';
import type { DemoRandom } from './demo-random.js';

/** Requests in flight at once: enough to keep 2 cores busy without queueing behind the connection pool. */
export const CONCURRENCY = 8;

/** What the seeding steps share: the client, the randomness, the caisse and the tokens of its users. */
export interface DemoContext {
  http: DemoHttp;
  rng: DemoRandom;
  log: (message: string) => void;
  scale: number;
  today: string;
  periods: string[];
  caisseId: string;
  base: string;
  tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
}

export interface SeededMember extends PlannedMember {
  id: string;
  cardNumber: string | null;
  active: boolean;
  /** Allocations of full months credited since the member last shopped (at most three: the cap keeps no more). */
  unspentCents: number;
}

export interface SeededOutlet {
  id: string;
  name: string;
  kind: string;
  commune: string;
  apiKey: string;
  conventionne: boolean;
  /** Coverage by category (fruits-legumes fully, the rest partly) rather than one rate for everything. */
  byCategory: boolean;
}
