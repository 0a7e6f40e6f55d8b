import { LedgerService } from '../../src/ledger/ledger.service.js';
import { letterCode } from '../../src/ledger/lettering.service.js';
import { bareCaisse, key } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('ledger lettering (lettrage)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(async () => t?.close());

  it('numbers letters like spreadsheet columns', () => {
    expect([1, 2, 26, 27, 52, 53, 702, 703].map(letterCode)).toEqual(['A', 'B', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('letters lines once, lists open items, and unletters', async () => {
    const caisseId = await bareCaisse(t);
    const post = (amount: string, date: string) =>
      ledger.post({ caisseId, journal: 'BQ', date, label: 'Frais', pieceRef: 'P', idempotencyKey: key(), lines: [{ account: '627', debit: amount }, { account: '512', credit: amount }] });
    const a = await post('1.50', '2026-11-03');
    const b = await post('2.00', '2026-11-04');
    const open = await ledger.bookLines(caisseId, '512', { lettered: false });
    expect(open.map((l) => [l.entryId, l.lineNo, l.credit])).toEqual([
      [a.entry.id, 2, '1.50'],
      [b.entry.id, 2, '2.00'],
    ]);

    const first = await ledger.letter(caisseId, [{ entryId: a.entry.id, lineNo: 2 }], '2026-11-05');
    expect(first).toBe('A');
    await expect(ledger.letter(caisseId, [{ entryId: a.entry.id, lineNo: 2 }, { entryId: b.entry.id, lineNo: 2 }], '2026-11-05')).rejects.toMatchObject({ code: 'ALREADY_LETTERED' });
    // The refused call lettered nothing: b is still open, and the next code follows A.
    expect((await ledger.bookLines(caisseId, '512', { lettered: false })).map((l) => l.entryId)).toEqual([b.entry.id]);
    expect(await ledger.letter(caisseId, [{ entryId: b.entry.id, lineNo: 2 }, { entryId: b.entry.id, lineNo: 1 }], '2026-11-06')).toBe('B');
    const lettered = await ledger.bookLines(caisseId, '512', { lettered: true });
    expect(lettered.map((l) => [l.letter, l.letteredOn])).toEqual([
      ['A', '2026-11-05'],
      ['B', '2026-11-06'],
    ]);

    expect(await ledger.unletter(caisseId, 'B')).toHaveLength(2);
    expect((await ledger.bookLines(caisseId, '512', { lettered: false })).map((l) => l.entryId)).toEqual([b.entry.id]);
  });

  it('refuses a line of another caisse and an empty list', async () => {
    const one = await bareCaisse(t);
    const other = await bareCaisse(t);
    const posted = await ledger.post({ caisseId: one, journal: 'BQ', date: '2026-11-03', label: 'Frais', pieceRef: 'P', idempotencyKey: key(), lines: [{ account: '627', debit: '1.00' }, { account: '512', credit: '1.00' }] });
    await expect(ledger.letter(other, [{ entryId: posted.entry.id, lineNo: 1 }], '2026-11-05')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(ledger.letter(one, [], '2026-11-05')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
