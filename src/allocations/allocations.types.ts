/** Public read shapes of the allocations module for the reports (amounts are decimal strings). */

/** What one month of allocations would cost under the rules in force for it, for today's members. */
export interface AllocationNeed {
  period: string;
  members: number;
  amount: string;
}

/** What a member's wallet was credited by the regular run of one month. */
export interface MemberAllocation {
  memberId: string;
  period: string;
  amount: string;
}
