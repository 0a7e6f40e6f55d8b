import ExcelJS from 'exceljs';
import type { Cell, Column, TabularDoc } from './tabular.types.js';

const FORMATS: Partial<Record<NonNullable<Column['kind']>, string>> = {
  money: '#,##0.00\\ "€"',
  percent: '0.0\\ "%"',
  int: '0',
  date: 'dd/mm/yyyy',
};

/** Spreadsheet cells are doubles: a cent amount below 2^53 cents converts exactly, and the cell format shows 2 decimals. */
function value(v: Cell | undefined, col: Column): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  if (col.kind === 'money' || col.kind === 'percent' || col.kind === 'int') return Number(v);
  if (col.kind === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  return String(v);
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(title: string | undefined, i: number, used: Set<string>): string {
  let base = (title ?? `Tableau ${i + 1}`).replace(/[:\\/?*[\]]/g, ' ').slice(0, 28).trim() || `Tableau ${i + 1}`;
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 26)} ${n}`;
  used.add(name.toLowerCase());
  base = name;
  return base;
}

/** One sheet per table, header row bold and frozen, totals in bold, numbers as numbers with French-style formats. */
export async function toXlsx(doc: TabularDoc): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = doc.title;
  wb.creator = 'caisse-commune-ledger';
  const used = new Set<string>();
  doc.tables.forEach((table, i) => {
    const ws = wb.addWorksheet(sheetName(table.title ?? (doc.tables.length === 1 ? doc.title : undefined), i, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = table.columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(10, Math.min(60, c.label.length + 4, (c.width ?? 1) * 14)), style: FORMATS[c.kind ?? 'text'] ? { numFmt: FORMATS[c.kind ?? 'text'] } : {} }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) ws.addRow(Object.fromEntries(table.columns.map((c) => [c.key, value(row[c.key], c)])));
    if (table.totals) ws.addRow(Object.fromEntries(table.columns.map((c) => [c.key, value(table.totals![c.key], c)]))).font = { bold: true };
  });
  if (doc.notes?.length) {
    const ws = wb.addWorksheet(sheetName('Notes', doc.tables.length, used));
    ws.addRow([doc.title]).font = { bold: true };
    if (doc.subtitle) ws.addRow([doc.subtitle]);
    for (const note of doc.notes) ws.addRow([note]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
