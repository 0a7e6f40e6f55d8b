/** What the treasurer is offered for a bank line nothing in the books explains (accounting.md). */
export type SuggestionKind = 'fee' | 'interest' | 'suspense';

export const SUGGESTION_ACCOUNT: Record<SuggestionKind, string> = { fee: '627', interest: '768', suspense: '471' };

const FEE = /\b(FRAIS|COMMISSIONS?|COTISATION CARTE|ABONNEMENT|AGIOS|TENUE DE COMPTE|FEES?|CHARGES?)\b/i;
const INTEREST = /\b(INTERETS?|INTÉRÊTS?|INTEREST)\b/i;

/** Bank fee (ISO family CHRG, CFONB fee wording) → 627; interest (INTR) → 768; anything else → suspense 471. */
export function suggestionFor(line: { amount: string; bankCode: string; label: string; remittance: string }): SuggestionKind {
  const text = `${line.label} ${line.remittance}`;
  const out = line.amount.startsWith('-');
  if (out && (/\bCHRG\b/.test(line.bankCode) || FEE.test(text))) return 'fee';
  if (!out && (/\bINTR\b/.test(line.bankCode) || INTEREST.test(text))) return 'interest';
  return 'suspense';
}
