/**
 * Approval voting: each voter approves any subset of the options (possibly none, which still counts as taking part).
 * An option passes iff 100·approvals ≥ θ·P, θ a whole percentage, P the number of participants.
 */
export interface ApprovalResult {
  option: string;
  approvals: number;
  passes: boolean;
}

export function tallyApproval(options: readonly string[], ballots: readonly (readonly string[])[], theta: number): ApprovalResult[] {
  const participants = ballots.length;
  return options.map((option) => {
    const approvals = ballots.filter((b) => b.includes(option)).length;
    return { option, approvals, passes: participants > 0 && 100 * approvals >= theta * participants };
  });
}
