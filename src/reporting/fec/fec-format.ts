import iconv from 'iconv-lite';
import { JOURNAL_LABELS, type JournalCode } from '../../ledger/ledger.types.js';
import type { FecRow } from '../../ledger/ledger.service.js';

/** Art. A47 A-1 LPF: the 18 fields, in this order. */
export const FEC_FIELDS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export const FEC_CHARSET = 'iso-8859-15';
export const FEC_EOL = '\r\n';

/** `<SIREN>FEC<AAAAMMJJ>.txt`, AAAAMMJJ being the closing date of the fiscal year. */
export function fecFilename(siren: string, lastDay: string): string {
  return `${siren}FEC${lastDay.replace(/-/g, '')}.txt`;
}

/** Journal code, tab, journal label, tab — the start of every line of a journal. */
const PREFIX = new Map(Object.entries(JOURNAL_LABELS).map(([code, label]) => [code, `${code}\t${label}\t`]));

/**
 * Numbers the entries in output order: EcritureNum runs 1, 2, 3… over the file, à-nouveaux first (they come first
 * from the ledger), then every other entry in validation order. The ledger's own number of the entry in its year
 * stays in the books (and in PieceRef when the entry had none); the FEC's number is its position in the file, so the
 * à-nouveaux posted late (when the previous year closes) still open the file with no gap.
 */
export class FecNumbering {
  private last: string | undefined;
  private n = 0;

  next(row: FecRow): number {
    if (row[0] !== this.last) {
      this.last = row[0];
      this.n++;
    }
    return this.n;
  }
}

export function fecLine(row: FecRow, no: number): string {
  return `${PREFIX.get(row[1]) ?? `${row[1]}\t${JOURNAL_LABELS[row[1] as JournalCode] ?? row[1]}\t`}${no}\t${row[2]}${FEC_EOL}`;
}

export function fecHeader(): string {
  return FEC_FIELDS.join('\t') + FEC_EOL;
}

/** Characters outside the part ISO-8859-15 shares with Latin-1 (U+0000–U+00FF less the 8 code points it redefines). */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const NOT_SHARED = /[^\x00-\xa3\xa5\xa7\xa9-\xb3\xb5-\xb7\xb9-\xbb\xbf-\xff]/;

/**
 * ISO-8859-15: é is 0xE9, € is 0xA4; a character it lacks becomes "?". Text that only holds characters both charsets
 * write alike (nearly every batch: accents, no €, Œ…) takes Node's native Latin-1 encoder, many times faster.
 */
export function encodeFec(text: string): Buffer {
  return NOT_SHARED.test(text) ? iconv.encode(text, FEC_CHARSET) : Buffer.from(text, 'latin1');
}

/** One line as named fields, for the JSON preview. */
export function fecRecord(row: FecRow, no: number): Record<(typeof FEC_FIELDS)[number], string> {
  const values = fecLine(row, no).slice(0, -FEC_EOL.length).split('\t');
  return Object.fromEntries(FEC_FIELDS.map((f, i) => [f, values[i] ?? ''])) as Record<(typeof FEC_FIELDS)[number], string>;
}
