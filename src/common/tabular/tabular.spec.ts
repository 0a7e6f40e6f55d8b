import ExcelJS from 'exceljs';
import { toCsv } from './csv.js';
import { csvDecimal, frenchDate, frenchEuros } from './french-format.js';
import { renderTabular } from './render.js';
import type { TabularDoc } from './tabular.types.js';

const doc: TabularDoc = {
  title: 'Balance au 30 nov. 2026',
  tables: [
    {
      title: 'Comptes',
      columns: [
        { key: 'account', label: 'Compte' },
        { key: 'label', label: 'Libellé', width: 3 },
        { key: 'debit', label: 'Débit', kind: 'money' },
        { key: 'on', label: 'Date', kind: 'date' },
      ],
      rows: [
        { account: '512', label: 'Banque; "principale"', debit: '1234567.5', on: '2026-12-05' },
        { account: '471', label: '=HYPERLINK("x")', debit: '-0.01', on: null },
      ],
      totals: { account: 'Total', debit: '1234567.49' },
    },
  ],
  notes: ['Données fictives.'],
};

describe('tabular rendering', () => {
  it.each([
    ['0', '0,00\u00a0€'],
    ['1234.5', '1\u202f234,50\u00a0€'],
    ['-1234567.891', '-1\u202f234\u202f567,89\u00a0€'],
  ])('formats %s as %s', (v, out) => expect(frenchEuros(v)).toBe(out));

  it('writes French dates and CSV decimals', () => {
    expect(frenchDate('2026-12-05')).toBe('5 déc. 2026');
    expect(frenchDate('2026-02-01')).toBe('1 févr. 2026');
    expect(csvDecimal('1234.5')).toBe('1234,50');
  });

  it('writes a CSV a French spreadsheet opens: BOM, semicolons, decimal comma, quoting, no formula', () => {
    const text = toCsv(doc).toString('utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      'Compte;Libellé;Débit;Date',
      '512;"Banque; ""principale""";1234567,50;2026-12-05',
      `471;"'=HYPERLINK(""x"")";-0,01;`,
      'Total;;1234567,49;',
      '',
    ]);
  });

  it('writes an XLSX whose cells read back as numbers and text', async () => {
    const file = await renderTabular(doc, 'xlsx', 'balance 2026/11');
    expect(file.filename).toBe('balance_2026_11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Comptes')!;
    expect(ws.getCell('A1').value).toBe('Compte');
    expect(ws.getCell('C2').value).toBe(1234567.5);
    expect(ws.getCell('B3').value).toBe('=HYPERLINK("x")');
    expect(ws.getCell('C4').font?.bold).toBe(true);
    expect(wb.getWorksheet('Notes')).toBeDefined();
  });

  it('writes a PDF with the title and a page count', async () => {
    const big: TabularDoc = { ...doc, tables: [{ ...doc.tables[0], rows: Array.from({ length: 200 }, (_, i) => ({ account: String(600 + i), label: 'Ligne é € œ', debit: '1.00', on: '2026-01-01' })) }] };
    const file = await renderTabular(big, 'pdf', 'balance');
    expect(file.contentType).toBe('application/pdf');
    const text = file.body.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(1);
  });
});
