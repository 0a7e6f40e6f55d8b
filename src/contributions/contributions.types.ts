/** Public types of the contributions facade, for allocations (issue 8) and reporting. */
export const CONTRIBUTOR_KINDS = ['employer', 'public-funder', 'foundation', 'company', 'individual'] as const;
export type ContributorKind = (typeof CONTRIBUTOR_KINDS)[number];

/** Public funders the caisses deal with (ssa-practice.md "Who pays for it"). */
export const FUNDER_TYPES = ['state', 'region', 'department', 'epci', 'commune', 'ccas', 'caf', 'msa', 'cpam', 'eu-fse-plus', 'other-public'] as const;

export const PAYMENT_METHODS = ['transfer', 'direct-debit', 'cash', 'card', 'cheque'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const CONTRIBUTION_STATUSES = ['due', 'paid', 'partial', 'waived'] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

/** One member's position for a month, as the allocation gate reads it. */
export interface MemberContributionStatus {
  memberId: string;
  period: string;
  status: ContributionStatus;
  due: string;
  paid: string;
}

/** One recorded (not reversed) member contribution, for mean-of-contributions and top-up allocations. */
export interface MemberContribution {
  memberId: string;
  period: string;
  amount: string;
}

/** The top-up part of one member's allocation (Savoie model), charged to the fund the rule names. */
export interface TopUpCharge {
  memberId: string;
  fund: string | null;
  amount: string;
  entryId: string;
}

export interface AvailableForAllocations {
  at: string;
  /** Bank balance of unrestricted money and of funds usable for allocations. */
  cash: string;
  /** Receivables (grants, pledges, called dues) of those same funds. */
  receivables: string;
  /** Wallet balances plus what is owed to outlets. */
  commitments: string;
  available: string;
  funds: (string | null)[];
}

/** A grant agreement with its funder, as the funder report lists it. */
export interface GrantWithFunder {
  reference: string;
  funderNumber: string;
  funderName: string;
  funderKind: string;
  funderType: string | null;
  fund: string | null;
  notified: string;
  received: string;
  notifiedOn: string;
  from: string;
  to: string;
}

/** Money received in [from, to]: from members, and from funders (grant tranches and other organisations' payments). */
export interface ReceiptsBetween {
  members: string;
  funders: string;
}

/** What the top-up rule charged to a fund in one month (Savoie model). */
export interface TopUpMonth {
  fund: string | null;
  period: string;
  amount: string;
  members: number;
}

/** A direct-debit batch the bank has not yet credited: what a bank statement line may settle (reconciliation). */
export interface PendingDirectDebitBatch {
  id: string;
  messageId: string;
  bankAccount: string;
  /** The day the calls were made: the bank cannot have credited the batch before. */
  builtOn: string;
  /** Sum of the lines not returned: what the bank credits. */
  total: string;
  endToEndIds: string[];
}

/** A direct-debit batch as its list shows it (the lines are read with the batch itself). */
export interface DirectDebitBatchSummary {
  id: string;
  messageId: string;
  period: string;
  collectionDate: string;
  transactions: number;
  controlSum: string;
  status: string;
  builtOn: string | null;
}

/** A debit to come on a member's account: final when its batch is built, else an estimate (`estimated`). */
export interface PreNotification {
  period: string;
  collectionDate: string;
  amount: string;
  mandateReference: string;
  sequenceType: string;
  estimated: boolean;
}

/** A member's active SEPA mandate (IBAN masked) and the debits to come. */
export interface MemberDirectDebits {
  mandate: { reference: string; signedOn: string; iban: string; nextSequenceType: string } | null;
  upcoming: PreNotification[];
}
