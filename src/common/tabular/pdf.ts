import PDFDocument from 'pdfkit';
import type { Cell, Column, Table, TabularDoc } from './tabular.types.js';
import { frenchDate, frenchEuros, frenchNumber } from './french-format.js';

const MARGIN = 36;
const ROW = 14;

/** The standard PDF fonts speak WinAnsi: narrow no-break spaces become plain ones, other unknown characters "?". */
function winAnsiSafe(s: string): string {
  return s.replace(/[\u202f\u00a0\t\n]/g, ' ').replace(/[^\u0020-\u00ff€’‘“”–—œŒ…]/g, '?');
}

function shown(v: Cell | undefined, col: Column): string {
  if (v === null || v === undefined || v === '') return '';
  switch (col.kind) {
    case 'money':
      return frenchEuros(v);
    case 'percent':
      return `${frenchNumber(v, 1)} %`;
    case 'int':
      return frenchNumber(v, 0);
    case 'date':
      return frenchDate(String(v));
    default:
      return String(v);
  }
}

const numeric = (c: Column) => c.kind === 'money' || c.kind === 'int' || c.kind === 'percent';

function drawTable(pdf: PDFKit.PDFDocument, table: Table): void {
  const width = pdf.page.width - 2 * MARGIN;
  const weights = table.columns.map((c) => c.width ?? (numeric(c) ? 1 : 1.5));
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / sum) * width);
  const bottom = () => pdf.page.height - MARGIN - ROW;

  const drawRow = (cells: string[], bold: boolean) => {
    if (pdf.y > bottom()) {
      pdf.addPage();
      drawRow(table.columns.map((c) => c.label), true);
    }
    const y = pdf.y;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    let x = MARGIN;
    cells.forEach((text, i) => {
      pdf.text(winAnsiSafe(text), x + 2, y + 3, { width: widths[i] - 4, height: ROW - 2, lineBreak: false, ellipsis: true, align: numeric(table.columns[i]) ? 'right' : 'left' });
      x += widths[i];
    });
    pdf.moveTo(MARGIN, y + ROW).lineTo(MARGIN + width, y + ROW).lineWidth(0.3).strokeColor('#999').stroke();
    pdf.x = MARGIN;
    pdf.y = y + ROW;
  };

  if (table.title) {
    if (pdf.y > bottom() - 3 * ROW) pdf.addPage();
    pdf.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text(winAnsiSafe(table.title), MARGIN, pdf.y);
    pdf.moveDown(0.3);
  }
  drawRow(table.columns.map((c) => c.label), true);
  for (const row of table.rows) drawRow(table.columns.map((c) => shown(row[c.key], c)), false);
  if (table.totals) drawRow(table.columns.map((c) => shown(table.totals![c.key], c)), true);
}

/** A4 (landscape past 6 columns), title, tables with the header repeated on each page, page numbers, notes. */
export function toPdf(doc: TabularDoc): Promise<Buffer> {
  const wide = doc.tables.some((t) => t.columns.length > 6);
  const pdf = new PDFDocument({ size: 'A4', layout: wide ? 'landscape' : 'portrait', margin: MARGIN, bufferPages: true, info: { Title: winAnsiSafe(doc.title), Creator: 'caisse-commune-ledger' } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font('Helvetica-Bold').fontSize(14).text(winAnsiSafe(doc.title));
  if (doc.subtitle) pdf.font('Helvetica').fontSize(10).text(winAnsiSafe(doc.subtitle));
  for (const table of doc.tables) drawTable(pdf, table);
  if (doc.notes?.length) {
    pdf.moveDown();
    for (const note of doc.notes) pdf.font('Helvetica').fontSize(8).text(winAnsiSafe(note), MARGIN, pdf.y, { width: pdf.page.width - 2 * MARGIN });
  }
  const range = pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    pdf.switchToPage(range.start + i);
    const y = pdf.page.height - MARGIN + 10;
    pdf.font('Helvetica').fontSize(7).text(`${i + 1} / ${range.count}`, MARGIN, y, { width: pdf.page.width - 2 * MARGIN, align: 'right', lineBreak: false });
  }
  pdf.end();
  return done;
}
