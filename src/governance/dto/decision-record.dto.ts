/**
 * Where a closed decision sits in the public governance log: the event that recorded its tally, with its hash, so a
 * reader can check it against a copy of the log and re-run the chain check.
 */
export interface DecisionRecordDto {
  seq: number;
  recordedAt: string;
  prevHash: string;
  hash: string;
  /** Majority judgment: the nonce committed at creation and revealed at close (it feeds the tie-break seed). */
  tieBreak: { commitment: string; nonce: string } | null;
  /** As published at close: open ballots by member number, secret ones by receipt (content null when withheld). */
  ballots: { member?: string; receipt?: string; content: Record<string, unknown> | null }[];
}
