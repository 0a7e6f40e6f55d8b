/** The governance queue and its jobs: freeze the electorate when a decision opens, tally it when it closes. */
export const GOVERNANCE_QUEUE = 'governance';
export const OPEN_JOB = 'open-decision';
export const CLOSE_JOB = 'close-decision';

export interface DecisionJob {
  caisseId: string;
  decisionId: string;
}
