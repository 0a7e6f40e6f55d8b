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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * The hash input is what the database gives back, whoever posts: a uuid column returns lower case, and text sent
 * with a lone surrogate comes back as U+FFFD. Both are no-ops on anything stored, so hashes of stored entries do not
 * change; they only keep an id written in capitals, or a broken string that reached the ledger, from becoming an
 * "altered entry" in verify. NFC is not applied here: an entry stored in NFD before the edge normalised text hashed
 * its stored text and must keep verifying; the posting path normalises new text to NFC before hash and insert.
 */
const asStoredId = (v: string | null): string | null => (v !== null && UUID.test(v) ? v.toLowerCase() : v);
const asStoredText = <T extends string | null>(v: T): T => (typeof v === 'string' ? (v.replace(LONE_SURROGATE, '\uFFFD') as T) : v);

/**
 * SHA-256 of an entry's content in a fixed field order, amounts with two decimals. The entry number is left out on
 * purpose: numbering is covered by the seals, which hash (number, content hash) pairs in order.
 */
export function entryContentHash(e: HashableEntry): string {
  const canonical = JSON.stringify([
    asStoredId(e.caisseId),
    e.journal,
    e.date,
    asStoredText(e.label),
    asStoredText(e.pieceRef),
    asStoredText(e.idempotencyKey),
    asStoredId(e.reverses),
    e.lines.map((l) => [asStoredText(l.account), l.debit, l.credit, asStoredText(l.fund), asStoredId(l.grant)]),
  ]);
  return sha256(canonical);
}

/** Text and ids of a posting in the form they are hashed and stored: NFC text, lower-case caisse and reversed ids. */
export function canonicalPosting<T extends { caisseId: string; label: string; pieceRef: string; reverses?: string }>(input: T): T {
  const nfc = (v: string) => (typeof v === 'string' ? asStoredText(v).normalize('NFC') : v);
  return {
    ...input,
    caisseId: asStoredId(input.caisseId) as string,
    label: nfc(input.label),
    pieceRef: nfc(input.pieceRef),
    ...(input.reverses !== undefined ? { reverses: asStoredId(input.reverses) as string } : {}),
  };
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
