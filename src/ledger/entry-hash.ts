import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashableEntry {
  caisseId: string;
  journal: string;
  date: string;
  label: string;
  pieceRef: string;
  idempotencyKey: string;
  reverses: string | null;
  lines: { account: string; debit: string; credit: string; fund: string | null; grant: string | null }[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * SHA-256 of an entry's content in a fixed field order, amounts with two decimals. The entry number is left out on
 * purpose: numbering is covered by the seals, which hash (number, content hash) pairs in order.
 */
export function entryContentHash(e: HashableEntry): string {
  const canonical = JSON.stringify([
    e.caisseId,
    e.journal,
    e.date,
    e.label,
    e.pieceRef,
    e.idempotencyKey,
    e.reverses,
    e.lines.map((l) => [l.account, l.debit, l.credit, l.fund, l.grant]),
  ]);
  return sha256(canonical);
}

export function windowHash(entries: { entryNo: string | number; contentHash: string }[]): string {
  const h = createHash('sha256');
  for (const e of entries) h.update(`${e.entryNo}:${e.contentHash}\n`);
  return h.digest('hex');
}

/** seal_n = H(seal_{n-1} ‖ H(entries of the window in order) ‖ running totals ‖ window bounds). */
export function sealHash(s: { previousHash: string; entriesHash: string; totalDebit: string; totalCredit: string; fromEntryNo: string | number; toEntryNo: string | number }): string {
  return sha256([s.previousHash, s.entriesHash, s.totalDebit, s.totalCredit, s.fromEntryNo, s.toEntryNo].join('|'));
}
