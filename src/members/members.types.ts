/** Public types of the members facade, for the modules that build on it (allocations, purchases, governance). */
export const MEMBER_STATUSES = ['applicant', 'waitlisted', 'active', 'suspended', 'left'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const CARD_STATES = ['active', 'blocked', 'replaced'] as const;
export type CardState = (typeof CARD_STATES)[number];

/** Wrong PINs in a row before the card locks (as on bank cards); only an admin unlocks it. */
export const MAX_PIN_ATTEMPTS = 3;

/** What a card number or a QR payload resolves to. Never carries personal data. */
export interface ResolvedCard {
  caisseId: string;
  memberId: string;
  /** Pseudonymous member number, e.g. M00000042. */
  pseudonym: string;
  /** Wallet account code (4671-M00000042), null until the member is first active. */
  walletAccount: string | null;
  status: MemberStatus;
  cardId: string;
  /** "locked" when too many wrong PINs were typed (the card is otherwise active). */
  cardState: CardState | 'locked';
  pinSet: boolean;
}

/** A member as an allocation run needs it for one period (YYYY-MM). */
export interface PeriodHousehold {
  memberId: string;
  pseudonym: string;
  walletAccount: string;
  /** Days of the period the member was active, and the first/last of them. */
  activeDays: number;
  activeFrom: string;
  activeThrough: string;
  adults: number;
  /** Children counted on the first day of the period: under 14 while the year minus the birth year is 13 or less. */
  childrenUnder14: number;
  /** Declared children aged 14 or more that day: they count as further adults. */
  children14AndOver: number;
  childrenBirthYears: number[];
}

/**
 * A member as the management reports need it: status at the report's date, where and how many, and the declared
 * income (personal data: reports aggregate it into bands and never show it per member). No name, no contact.
 */
export interface MemberProfile {
  memberId: string;
  pseudonym: string;
  status: string | null;
  commune: string;
  adults: number;
  children: number;
  monthlyIncome: string | null;
  joinedOn: string;
}

/** Status moves of a period: first activations (enrolments) and departures (exits). */
export interface MemberMoves {
  enrolments: number;
  exits: number;
}
