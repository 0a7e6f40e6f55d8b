/** The public types of the outlets module, for purchases and settlements (with OutletsService, its facade). */
export type { CoverageInForce } from './coverage.js';
export { rateFor } from './coverage.js';
export type { OutletStanding } from './outlet-gate.service.js';
export type { OutletStatus } from './outlet-lifecycle.js';
export { ACCEPTING_STATUSES } from './outlet-lifecycle.js';
// The port governance implements to vouch for a decisionId (bound from governance's global module).
export { OUTLET_DECISIONS, type OutletDecision, type OutletDecisions } from './outlet-decisions.port.js';
export type { TransitionDto } from './dto/transition.dto.js';

export interface OutletPayee {
  outletId: string;
  code: string;
  name: string;
  legalName: string;
  iban: string;
  bic: string | null;
  accountCode: string;
  /** Structured postal address for pain.001 (town = communeName); null where unknown. */
  address: { street: string | null; building: string | null; postcode: string | null; town: string | null; country: string | null; line: string | null };
  /** When the IBAN last changed (null: not since registration). */
  ibanChangedAt: Date | null;
}

/** An outlet as the management reports group it (outlets are businesses: their names may be published). */
export interface OutletProfile {
  outletId: string;
  code: string;
  name: string;
  kind: string;
  labels: string[];
  commune: string;
  communeName: string | null;
  /** Status at the report's instant (null: not registered yet then). */
  status: string | null;
}
