/** Formats the import understands; detected from the file's first bytes. */
export type StatementFormat = 'camt053' | 'cfonb120' | 'csv';

/** One movement as the bank printed it. Amounts are signed decimal strings: positive = money in (credit on the bank side). */
export interface ParsedLine {
  /** Line of the file where the movement starts (for refusals and the treasurer's eyes). */
  sourceLine: number;
  bookedOn: string;
  valueOn: string | null;
  amount: string;
  /** The bank's own reference of the entry (AcctSvcrRef, CFONB reference field). */
  reference: string;
  endToEndIds: string[];
  /** Message / payment-information ids naming a whole batch (batch booking of a payout run or direct-debit batch). */
  batchRefs: string[];
  counterpartyName: string;
  counterpartyIban: string;
  remittance: string;
  /** Bank transaction code: ISO domain/family/sub-family, proprietary code, or CFONB interbank code. */
  bankCode: string;
  label: string;
}

/** How the file names its account: an IBAN (camt.053) or a French RIB without its key (CFONB 120). */
export interface StatementAccountRef {
  iban?: string;
  rib?: { bank: string; branch: string; account: string };
}

export interface ParsedStatement {
  format: StatementFormat;
  sourceLine: number;
  /** The bank's statement id (camt Stmt/Id) or a reference built from the RIB and the dates. */
  statementRef: string;
  /** Electronic / legal sequence number when the bank gives one ('' otherwise). */
  sequence: string;
  account: StatementAccountRef;
  fromDate: string;
  toDate: string;
  opening: string;
  closing: string;
  lines: ParsedLine[];
}

export function accountLabel(ref: StatementAccountRef): string {
  if (ref.iban) return `IBAN ${ref.iban}`;
  const r = ref.rib!;
  return `RIB ${r.bank} ${r.branch} ${r.account}`;
}
