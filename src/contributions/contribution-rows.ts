import type { ContributionDto } from './dto/contribution.dto.js';

export interface ContributionRow {
  id: string;
  member_id: string | null;
  contributor_id: string | null;
  period: string | null;
  amount: string;
  gift_part: string;
  method: string;
  received_on: string;
  fund: string | null;
  income_account: string;
  entry_id: string;
  reversed_at: Date | null;
  reversal_reason: string | null;
}

/** Dates come back as text (to_char) so no time zone shifts a received-on day. */
export const CONTRIBUTION_SELECT = `SELECT id, member_id, contributor_id, period, amount::text, gift_part::text, method,
  to_char(received_on, 'YYYY-MM-DD') AS received_on, fund, income_account, entry_id, reversed_at, reversal_reason FROM contributions`;

export const toContributionDto = (r: ContributionRow): ContributionDto => ({
  id: r.id,
  memberId: r.member_id,
  contributorId: r.contributor_id,
  period: r.period,
  amount: r.amount,
  giftPart: r.gift_part,
  method: r.method,
  receivedOn: r.received_on,
  fund: r.fund,
  incomeAccount: r.income_account,
  entryId: r.entry_id,
  reversedAt: r.reversed_at ? r.reversed_at.toISOString() : null,
  reversalReason: r.reversal_reason,
});
