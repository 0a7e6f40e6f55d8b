/** Public read shapes of the purchases module for the reports (amounts are decimal strings). */

/** Purchases of one outlet in one month (Paris time): count, till amount, covered part, and refunds dated that month. */
export interface OutletMonthSpending {
  outletId: string;
  month: string;
  purchases: number;
  amount: string;
  covered: string;
  refunded: string;
}

/** A member's last purchase on or before the report's end (date in Paris). */
export interface MemberLastPurchase {
  memberId: string;
  lastOn: string;
}
