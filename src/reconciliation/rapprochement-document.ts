import PDFDocument from 'pdfkit';
import type { ReconciliationDto } from './dto/reconciliation.dto.js';

const csvField = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const fr = (amount: string) => amount.replace('.', ',');

/** The état de rapprochement as CSV (semicolons, decimal commas: what a French spreadsheet opens). */
export function rapprochementCsv(r: ReconciliationDto): string {
  const rows: string[][] = [
    ['Etat de rapprochement bancaire', r.bankAccount, r.asOf],
    ['Solde relevé bancaire', fr(r.bankBalance)],
    ['Solde comptable 512', fr(r.bookBalance)],
    ['Écart', fr(r.difference)],
    ['Écart expliqué', fr(r.explained)],
    ['Écart non expliqué', fr(r.unexplained)],
    ['Rapproché au', r.reconciledTo ?? ''],
    [],
    ['Côté', 'Date', 'Libellé', 'Montant'],
    ...r.unmatchedBank.map((l) => ['Banque non comptabilisé', l.date, l.label, fr(l.amount)]),
    ...r.unmatchedBook.map((l) => ['Comptabilisé non passé en banque', l.date, `${l.pieceRef} ${l.label}`, fr(l.amount)]),
  ];
  return `${rows.map((row) => row.map(csvField).join(';')).join('\r\n')}\r\n`;
}

/** The same statement as a one-page PDF for the auditor's file. */
export function rapprochementPdf(r: ReconciliationDto): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Rapprochement ${r.bankAccount} au ${r.asOf}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(`État de rapprochement bancaire — compte ${r.bankAccount}`);
    doc.fontSize(10).text(`au ${r.asOf}`).moveDown();
    for (const [k, v] of [
      ['Solde du relevé bancaire', r.bankBalance],
      ['Solde comptable (512)', r.bookBalance],
      ['Écart', r.difference],
      ['Écart expliqué par les suspens', r.explained],
      ['Écart non expliqué', r.unexplained],
    ]) doc.text(`${k} : ${fr(v)} €`);
    doc.moveDown().text(r.reconciled ? `Rapproché au ${r.asOf}.` : 'Non rapproché : un écart reste à expliquer.');
    doc.moveDown().fontSize(12).text('Opérations en banque non comptabilisées').fontSize(9);
    for (const l of r.unmatchedBank) doc.text(`${l.date}  ${fr(l.amount).padStart(14)}  ${l.label}`);
    doc.moveDown().fontSize(12).text('Opérations comptabilisées non passées en banque').fontSize(9);
    for (const l of r.unmatchedBook) doc.text(`${l.date}  ${fr(l.amount).padStart(14)}  ${l.pieceRef} ${l.label}`);
    doc.end();
  });
}
