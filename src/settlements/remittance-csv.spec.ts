import { RemittanceService, type Statement } from './remittance.service.js';

const statement: Statement = {
  caisse: 'Caisse commune',
  statementNo: '3-O00000042',
  outlet: 'Ferme "des Garrigues"',
  outletCode: 'O00000042',
  periodFrom: '2026-11-02',
  until: '2026-11-30',
  reference: 'REG-00003-O00000042',
  status: 'pending',
  executionDate: '2026-12-01',
  total: '30.00',
  items: [
    { date: '2026-11-02', kind: 'achat', pieceRef: 'T-1', label: '=HYPERLINK("http://x")', amount: '31.40' },
    { date: '2026-11-03', kind: 'remboursement', pieceRef: 'T-2', label: 'Cagette; abîmée', amount: '-1.40' },
  ],
};

describe('remittance statement CSV', () => {
  const csv = new RemittanceService(null as never, null as never, null as never, null as never).csv(statement);
  const rows = csv.replace(/^\uFEFF/, '').split('\r\n');

  it('starts with a BOM (spreadsheets read UTF-8) and ends its records with CR LF', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('lists the items with a header, the total and the transfer reference', () => {
    expect(rows).toContain('Référence du virement;REG-00003-O00000042');
    expect(rows).toContain('Date;Type;Pièce;Libellé;Montant');
    expect(rows).toContain('2026-11-02;achat;T-1;"\'=HYPERLINK(""http://x"")";31.40');
    expect(rows).toContain('2026-11-03;remboursement;T-2;"Cagette; abîmée";-1.40');
    expect(rows).toContain('Total;;;;30.00');
  });

  it('never lets a spreadsheet run a cell as a formula, but keeps negative amounts as numbers', () => {
    expect(rows.some((r) => r.split(';').some((c) => /^[=+@]/.test(c)))).toBe(false);
    expect(rows).toContain('Point de vente;"Ferme ""des Garrigues"" (O00000042)"');
  });
});
