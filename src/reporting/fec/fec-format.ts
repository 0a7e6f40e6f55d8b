import { JOURNAL_LABELS, type JournalCode } from '../../ledger/ledger.types.js';
import type { FecRow } from '../../ledger/ledger.service.js';
import { encodeLatin9, type FecBatchEncoder } from './fec-encoder.js';

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

const journalPrefix = (journal: string): string => PREFIX.get(journal) ?? `${journal}\t${JOURNAL_LABELS[journal as JournalCode] ?? journal}\t`;

export function fecLine(row: FecRow, no: number): string {
  return `${journalPrefix(row[1])}${no}\t${row[2]}${FEC_EOL}`;
}

export function fecHeader(): string {
  return FEC_FIELDS.join('\t') + FEC_EOL;
}

/** ISO-8859-15: é is 0xE9, € is 0xA4; a character it lacks becomes "?" (as iconv-lite writes it). */
export function encodeFec(text: string): Buffer {
  return encodeLatin9(text);
}

/** The lines of a batch of rows, numbered on from `numbering`, as ISO-8859-15 bytes: byte for byte `fecLine` of each. */
export function fecBatch(rows: FecRow[], numbering: FecNumbering, encoder: FecBatchEncoder): Buffer {
  const prefixes = new Array<string>(rows.length);
  const numbers = new Array<string>(rows.length);
  let length = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    prefixes[i] = journalPrefix(row[1]);
    numbers[i] = String(numbering.next(row));
    length += prefixes[i]!.length + numbers[i]!.length + 1 + row[2].length + FEC_EOL.length;
  }
  encoder.start(length);
  for (let i = 0; i < rows.length; i++) {
    encoder.write(prefixes[i]!);
    encoder.write(numbers[i]!);
    encoder.write('\t');
    encoder.write(rows[i]![2]);
    encoder.write(FEC_EOL);
  }
  return encoder.finish();
}

/** One line as named fields, for the JSON preview. */
export function fecRecord(row: FecRow, no: number): Record<(typeof FEC_FIELDS)[number], string> {
  const values = fecLine(row, no).slice(0, -FEC_EOL.length).split('\t');
  return Object.fromEntries(FEC_FIELDS.map((f, i) => [f, values[i] ?? ''])) as Record<(typeof FEC_FIELDS)[number], string>;
}
