import type { Decimal } from 'decimal.js';
import { addDays } from '../common/dates.js';
import { formatMoney, money } from '../common/money/money.js';
import type { BookLineView, LineRef } from '../ledger/ledger.types.js';

/** A match at or above this confidence is applied; below, it stays a proposal for the treasurer. */
export const APPLY_CONFIDENCE = 0.9;
/** ± business days between the bank's booking date and the book date (bank-formats.md). */
export const DATE_WINDOW = 3;

export type MatchRule = 'end-to-end' | 'batch' | 'direct-debit' | 'reference' | 'amount-date' | 'manual' | 'suggestion';

export interface BankLineForMatch {
  id: string;
  bookedOn: string;
  amount: string;
  reference: string;
  endToEndIds: string[];
  batchRefs: string[];
  counterpartyName: string;
  remittance: string;
  label: string;
}

export interface PendingBatch {
  id: string;
  messageId: string;
  builtOn: string;
  total: string;
  endToEndIds: string[];
}

export interface PlannedMatch {
  bankLineId: string;
  rule: MatchRule;
  confidence: number;
  bookLines: (LineRef & { date: string; amount: string })[];
  /** A direct-debit batch to settle first (its settlement entry's 512x line joins the match). */
  settleBatch?: PendingBatch;
}

const signed = (l: BookLineView): string => formatMoney(money(l.debit).minus(l.credit));
const key = (l: LineRef) => `${l.entryId}:${l.lineNo}`;

function businessDaysApart(a: string, b: string): number {
  const [from, to] = a <= b ? [a, b] : [b, a];
  let n = 0;
  for (let d = from; d < to && n <= DATE_WINDOW; d = addDays(d, 1)) {
    const day = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (day !== 0 && day !== 6) n++;
  }
  return n;
}

const STOP = new Set(['SEPA', 'VIR', 'VIREMENT', 'PRLV', 'RECU', 'EMIS', 'SAS', 'SARL', 'SCI', 'ASSOCIATION', 'CAISSE', 'THE', 'DES', 'LES', 'POUR', 'AVEC']);
function words(s: string): Set<string> {
  const clean = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  return new Set(clean.split(/[^A-Z0-9]+/).filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w)));
}

/**
 * Plans the automatic matches of open bank lines against open 512x lines and pending direct-debit batches, with
 * in-memory indexes (one pass, no query per line). Rules in order: our EndToEndId; a whole batch by MsgId/PmtInfId
 * (payout run, direct-debit batch); a piece reference in the remittance text; amount + date window (+ name).
 */
export function planMatches(bank: BankLineForMatch[], book: BookLineView[], batches: PendingBatch[]): PlannedMatch[] {
  const used = new Set<string>();
  const byPiece = new Map<string, BookLineView[]>();
  const byPayoutRun = new Map<string, BookLineView[]>();
  const byAmount = new Map<string, BookLineView[]>();
  const push = <K>(m: Map<K, BookLineView[]>, k: K, l: BookLineView) => (m.get(k) ?? m.set(k, []).get(k)!).push(l);
  for (const l of book) {
    push(byPiece, l.pieceRef, l);
    const run = /^payout:([^:]+):/.exec(l.idempotencyKey);
    if (run) push(byPayoutRun, run[1], l);
    // Returns carry the EndToEndId of what they return: a payout sent back (settlements), a direct debit rejected.
    const back = /^payout-return:[^:]+:(.+)$/.exec(l.idempotencyKey) ?? (l.idempotencyKey.startsWith('dd-return:') ? /(\S+)$/.exec(l.label) : null);
    if (back) push(byPiece, back[1], l);
    push(byAmount, signed(l), l);
  }
  const batchByRef = new Map<string, PendingBatch>();
  const batchByE2e = new Map<string, PendingBatch>();
  for (const b of batches) {
    batchByRef.set(b.messageId, b);
    for (const e of b.endToEndIds) batchByE2e.set(e, b);
  }
  const bankByAmount = new Map<string, BankLineForMatch[]>();
  for (const b of bank) (bankByAmount.get(b.amount) ?? bankByAmount.set(b.amount, []).get(b.amount)!).push(b);
  const settled = new Set<string>();
  const open = (ls: BookLineView[] | undefined) => (ls ?? []).filter((l) => !used.has(key(l)));
  const sum = (ls: BookLineView[]): Decimal => ls.reduce((s, l) => s.plus(signed(l)), money(0));
  const out: PlannedMatch[] = [];
  const take = (line: BankLineForMatch, rule: MatchRule, confidence: number, ls: BookLineView[], settleBatch?: PendingBatch) => {
    if (confidence >= APPLY_CONFIDENCE) for (const l of ls) used.add(key(l));
    if (settleBatch && confidence >= APPLY_CONFIDENCE) settled.add(settleBatch.id);
    out.push({ bankLineId: line.id, rule, confidence, bookLines: ls.map((l) => ({ entryId: l.entryId, lineNo: l.lineNo, date: l.date, amount: signed(l) })), settleBatch });
  };

  for (const line of bank) {
    const amount = money(line.amount);
    // 1. Our EndToEndIds: one payout, or every payout of a batch-booked entry that lists them.
    const byE2e = line.endToEndIds.flatMap((e) => open(byPiece.get(e)).filter((l) => money(signed(l)).isNegative() === amount.isNegative()));
    if (byE2e.length && sum(byE2e).eq(amount)) {
      take(line, byE2e.length > 1 ? 'batch' : 'end-to-end', 1, byE2e);
      continue;
    }
    // 2. A whole run or batch named by its message id (or the message id our EndToEndIds start with).
    const refs = new Set([...line.batchRefs, ...line.endToEndIds.map((e) => batchByE2e.get(e)?.messageId ?? ''), ...line.endToEndIds].filter(Boolean));
    let done = false;
    for (const ref of refs) {
      const run = open(byPayoutRun.get(ref));
      if (run.length && sum(run).eq(amount)) {
        take(line, 'batch', 1, run);
        done = true;
        break;
      }
      const batch = batchByRef.get(ref);
      if (batch && !settled.has(batch.id) && batch.builtOn <= line.bookedOn && money(batch.total).eq(amount)) {
        take(line, 'direct-debit', 1, [], batch);
        done = true;
        break;
      }
      const posted = open(byPiece.get(ref));
      if (posted.length && sum(posted).eq(amount)) {
        take(line, 'batch', 1, posted);
        done = true;
        break;
      }
    }
    if (done) continue;
    // 3. One of our piece references (contribution, deposit slip, mandate) written in the remittance text.
    const text = `${line.remittance} ${line.reference} ${line.label}`;
    // A reference written twice (in the remittance and in the label, as banks often do) is still one candidate.
    const tokens = new Set(text.split(/[\s,;/()]+/).filter((t) => t.length >= 6));
    const byRef = [...new Set([...tokens].flatMap((t) => open(byPiece.get(t))))].filter((l) => signed(l) === formatMoney(amount));
    if (byRef.length >= 1) {
      take(line, 'reference', byRef.length === 1 ? 0.95 : 0.6, byRef.slice(0, 1));
      continue;
    }
    // 4. Amount + date window, helped by the counterparty's name in the entry label.
    const near = open(byAmount.get(formatMoney(amount))).filter((l) => businessDaysApart(l.date, line.bookedOn) <= DATE_WINDOW);
    if (near.length === 0) continue;
    const name = words(line.counterpartyName);
    const named = name.size ? near.filter((l) => [...words(l.label)].some((w) => name.has(w))) : [];
    const rivals = (bankByAmount.get(line.amount) ?? []).filter((b) => b !== line && b.amount === line.amount && businessDaysApart(b.bookedOn, line.bookedOn) <= DATE_WINDOW).length;
    if (named.length === 1) take(line, 'amount-date', rivals ? 0.8 : 0.95, named);
    else if (near.length === 1) take(line, 'amount-date', rivals ? 0.6 : 0.9, near);
    else take(line, 'amount-date', 0.5, near.slice(0, 1));
  }
  return out;
}
