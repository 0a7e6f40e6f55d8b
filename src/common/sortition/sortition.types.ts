/** Version tag published with every draw: changing any rule of the procedure means a new version. */
export const SORTITION_ALGORITHM = 'ssa-sortition/1';

/** Attribute name -> value, restricted to the attributes the draw stratifies by. */
export type Stratum = Record<string, string>;

/** One applicant as published: a pseudonymous id (never a name) and the stratum it belongs to. */
export interface PoolEntry {
  id: string;
  stratum: Stratum;
}

/** Seats reserved for a stratum (min) and the most it may get (max, null = no limit). */
export interface Quota {
  stratum: Stratum;
  min: number;
  max: number | null;
}

export interface DrawSpec {
  algorithm: string;
  seats: number;
  /** Attribute names defining the strata, in order; empty for a plain random draw. */
  strata: string[];
  quotas: Quota[];
}

export interface DrawResult {
  /** Selected ids, in draw order. */
  selected: string[];
  /** Every other applicant, in draw order: the waitlist. */
  waitlist: string[];
}

export interface RandomnessSpec {
  /** The future public value, named before it exists (drand round, numbers drawn in a public meeting, …). */
  description: string;
  /** How many values will be revealed and combined. */
  parties: number;
  /** SHA-256 of each party's value, published in advance for commit-then-reveal (empty when not used). */
  commitments: string[];
  /** The value may not be supplied before this instant (ISO 8601), when set. */
  availableAfter: string | null;
}

/** Everything anyone needs to re-run a draw; the exact JSON served by …/enrolment-draws/{id}/published. */
export interface PublishedDraw {
  format: 'ssa-sortition-draw';
  algorithm: string;
  drawId?: string;
  label?: string;
  committedAt?: string;
  spec: DrawSpec;
  pool: PoolEntry[];
  poolHash: string;
  quotasHash: string;
  randomness: RandomnessSpec & { values: string[] | null; combined: string | null };
  seed: string | null;
  result: DrawResult | null;
}

export type Problems = Record<string, string[]>;
