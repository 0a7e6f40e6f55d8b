import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { CaissesService } from '../caisses/caisses.service.js';
import type { Principal } from '../common/request-context/principal.js';
import { TransactionHost } from '../database/transaction.js';
import { OutletsService } from '../outlets/outlets.service.js';
import { statementNo } from './settlement-export.service.js';
import { SettlementReader } from './settlement-reader.service.js';
import { SettlementLineNotFound } from './settlements.errors.js';

export interface Statement {
  caisse: string;
  statementNo: string;
  outlet: string;
  outletCode: string;
  periodFrom: string;
  until: string;
  reference: string;
  status: string;
  executionDate: string | null;
  total: string;
  items: { date: string; kind: 'achat' | 'remboursement' | 'autre'; pieceRef: string; label: string; amount: string }[];
}

const KIND = (journal: string, amount: string): Statement['items'][number]['kind'] => (journal !== 'ACH' ? 'autre' : amount.startsWith('-') ? 'remboursement' : 'achat');

/** A cell a spreadsheet must not run as a formula (CSV injection), quoted when it holds the separator. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Remittance statement (relevé de règlement) of one outlet in one run: the purchases and refunds the transfer pays,
 * with dates, receipt numbers and amounts, the total and the transfer reference (EndToEndId). For the treasurer and
 * for the outlet's own staff (anyone else gets a 404, as for the outlet itself).
 */
@Injectable()
export class RemittanceService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly reader: SettlementReader,
    private readonly outlets: OutletsService,
    private readonly caisses: CaissesService,
  ) {}

  async statement(principal: Principal, caisseId: string, runId: string, outletId: string): Promise<Statement> {
    await this.outlets.assertCanSee(principal, caisseId, outletId);
    const run = await this.reader.run(caisseId, runId);
    const lines = await this.reader.lines(runId);
    const line = lines.find((l) => l.outlet_id === outletId);
    if (!line) throw new SettlementLineNotFound(`of outlet ${outletId} in run ${runId}`);
    const paid = await this.reader.paidEntries(caisseId, run, lines);
    const items: { entry_date: string; journal: string; piece_ref: string; label: string; amount: string }[] = await this.txHost.tx.query(
      `SELECT to_char(entry_date, 'YYYY-MM-DD') AS entry_date, journal, piece_ref, label, amount::text AS amount
         FROM settlement_items WHERE line_id = $1 ORDER BY entry_date, piece_ref, entry_id, line_no`,
      [line.id],
    );
    return {
      caisse: (await this.caisses.get(caisseId)).name,
      statementNo: statementNo(run, line),
      outlet: line.payee_name,
      outletCode: line.outlet_code,
      periodFrom: line.period_from,
      until: run.until_date,
      reference: line.end_to_end_id,
      status: this.reader.lineStatus(line, paid),
      executionDate: run.execution_date,
      total: line.amount,
      items: items.map((i) => ({ date: i.entry_date, kind: KIND(i.journal, i.amount), pieceRef: i.piece_ref, label: i.label, amount: i.amount })),
    };
  }

  csv(s: Statement): string {
    const rows = [
      ['Relevé de règlement', s.statementNo],
      ['Caisse', s.caisse],
      ['Point de vente', `${s.outlet} (${s.outletCode})`],
      ['Période', s.periodFrom, s.until],
      ['Référence du virement', s.reference],
      ['Date d’exécution', s.executionDate ?? ''],
      ['Statut', s.status],
      [],
      ['Date', 'Type', 'Pièce', 'Libellé', 'Montant'],
      ...s.items.map((i) => [i.date, i.kind, i.pieceRef, i.label, i.amount]),
      ['Total', '', '', '', s.total],
    ];
    return `\uFEFF${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
  }

  pdf(s: Statement): Promise<Buffer> {
    // Uncompressed: a few kilobytes, and the text stays searchable by simple tools (and tests).
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, info: { Title: `Relevé de règlement ${s.statementNo}`, Author: s.caisse } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    doc.font('Helvetica-Bold').fontSize(14).text(`Relevé de règlement ${s.statementNo}`);
    doc.font('Helvetica').fontSize(10).moveDown(0.5);
    for (const line of [
      `Caisse : ${s.caisse}`,
      `Point de vente : ${s.outlet} (${s.outletCode})`,
      `Période : du ${s.periodFrom} au ${s.until}`,
      `Référence du virement : ${s.reference}`,
      `Date d’exécution : ${s.executionDate ?? 'non exporté'} — statut : ${s.status}`,
    ]) {
      doc.text(line);
    }
    doc.moveDown();
    const cols = [50, 120, 210, 300, 480];
    const row = (values: string[], bold = false) => {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
      values.forEach((v, i) => doc.text(v, cols[i], y, { width: (cols[i + 1] ?? 545) - cols[i] - 5, lineBreak: false, align: i === 4 ? 'right' : 'left' }));
      doc.x = 50;
      doc.moveDown(0.3);
    };
    row(['Date', 'Type', 'Pièce', 'Libellé', 'Montant (€)'], true);
    for (const i of s.items) {
      if (doc.y > 760) doc.addPage();
      row([i.date, i.kind, i.pieceRef, i.label, i.amount]);
    }
    row(['Total', '', '', '', s.total], true);
    doc.end();
    return done;
  }
}
