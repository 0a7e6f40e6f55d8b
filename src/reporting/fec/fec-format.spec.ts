import iconv from 'iconv-lite';
import type { FecRow } from '../../ledger/ledger.service.js';
import { FecBatchEncoder } from './fec-encoder.js';
import { encodeFec, fecBatch, fecFilename, fecHeader, fecLine, FecNumbering, fecRecord } from './fec-format.js';

const row = (no: string, journal: string, rest = '20260110\t512\tBanque\t\t\tP1\t20260110\tCotisation\t30,00\t0,00\t\t\t20260110\t\t'): FecRow => [no, journal, rest];

describe('FEC formatting', () => {
  it.each([
    ['732829320', '2026-12-31', '732829320FEC20261231.txt'],
    ['732829320', '2027-08-31', '732829320FEC20270831.txt'],
  ])('names the file of SIREN %s closing %s', (siren, last, name) => expect(fecFilename(siren, last)).toBe(name));

  it('writes the 18 field names, tab-separated, CR LF', () => {
    expect(fecHeader()).toBe(
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n',
    );
  });

  it.each([
    ['AN', 'À-nouveaux'],
    ['OD', 'Opérations diverses'],
    ['REG', 'Règlements aux points de vente'],
  ])('puts journal %s with its label and the file number', (journal, label) => {
    const line = fecLine(row('812', journal), 3);
    expect(line.split('\t').slice(0, 3)).toEqual([journal, label, '3']);
    expect(line.split('\t')).toHaveLength(18);
    expect(line.endsWith('\r\n')).toBe(true);
  });

  it('numbers entries in output order whatever their stored numbers', () => {
    const n = new FecNumbering();
    // À-nouveaux stored as n°40 (posted late), then entries 1, 1, 2 in validation order.
    expect([row('40', 'AN'), row('40', 'AN'), row('1', 'COT'), row('1', 'COT'), row('2', 'BQ')].map((r) => n.next(r))).toEqual([1, 1, 2, 2, 3]);
  });

  it.each([
    ['é', [0xe9]],
    ['€', [0xa4]],
    ['À', [0xc0]],
    ['Œ', [0xbc]],
    ['✓', [0x3f]],
  ])('encodes %s in ISO-8859-15', (ch, bytes) => expect([...encodeFec(ch)]).toEqual(bytes));

  it('previews a line as named fields', () => {
    const rec = fecRecord(row('7', 'COT'), 1);
    expect(rec).toMatchObject({ JournalCode: 'COT', JournalLib: 'Contributions', EcritureNum: '1', EcritureDate: '20260110', Debit: '30,00', Credit: '0,00', Idevise: '' });
    expect(iconv.decode(encodeFec(fecLine(row('7', 'COT'), 1)), 'iso-8859-15')).toContain('Cotisation');
  });
});

describe('encodeFec fast path', () => {
  it.each(['Épicerie Œuf', 'prix ¤ ¦ ¨ ´ ¸ ¼ ½ ¾', 'Café à 3,50', 'plain ascii\t1\r\n'])('encodes %j exactly as iconv does', (text) => {
    expect(encodeFec(text).equals(iconv.encode(text, 'iso-8859-15'))).toBe(true);
  });
});

describe('fecBatch', () => {
  it('writes a batch byte for byte as the lines one by one, numbering on across batches', () => {
    const rows = [row('40', 'AN'), row('40', 'AN'), row('1', 'COT', '20260110\t4671\tAdhérents\tM1\tAdhérent M1\tP€\t20260110\tŒuvre ✓\t0,00\t1,50\t\t\t20260110\t\t'), row('2', 'XX')];
    const [one, two] = [new FecNumbering(), new FecNumbering()];
    const encoder = new FecBatchEncoder();
    const batches = Buffer.concat([fecBatch(rows.slice(0, 3), one, encoder), fecBatch(rows.slice(3), one, encoder)]);
    const lines = rows.map((r) => fecLine(r, two.next(r))).join('');
    expect(batches.equals(iconv.encode(lines, 'iso-8859-15'))).toBe(true);
    expect(lines).toContain('XX\tXX\t3\t');
  });
});
