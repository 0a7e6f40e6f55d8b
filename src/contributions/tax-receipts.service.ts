import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { ContributorsService } from './contributors.service.js';
import type { CancelReceiptDto, TaxReceiptDto, TaxReceiptInputDto } from './dto/tax-receipt.dto.js';
import { amountInWords } from './french-amount.js';
import { receiptLines } from './tax-receipt-text.js';
import { renderPdf } from './simple-pdf.js';

interface Donor {
  memberId: string | null;
  contributorId: string | null;
  name: string;
  address: string | null;
  legalBasis: 'CGI-200' | 'CGI-238bis';
}

/** Receipts for gifts, patronage and the gift part of member contributions: gapless, never twice for the same money. */
@Injectable()
export class TaxReceiptsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
    private readonly contributors: ContributorsService,
  ) {}

  @Transactional()
  async issue(caisseId: string, dto: TaxReceiptInputDto): Promise<TaxReceiptDto> {
    const donor = await this.donor(caisseId, dto);
    // Locks the money being receipted; the partial unique index on live items is the last word under concurrency.
    const items: { id: string; amount: string; method: string }[] = await this.txHost.tx.query(
      `SELECT c.id, (CASE WHEN c.member_id IS NULL THEN c.amount ELSE c.gift_part END)::text AS amount, c.method
         FROM contributions c
        WHERE c.caisse_id = $1 AND (c.member_id = $2 OR c.contributor_id = $3) AND c.reversed_at IS NULL
          AND extract(year FROM c.received_on) = $4 AND (c.member_id IS NULL OR c.gift_part > 0)
          AND NOT EXISTS (SELECT 1 FROM tax_receipt_items i WHERE i.contribution_id = c.id AND i.active)
        ORDER BY c.received_on, c.id FOR UPDATE OF c`,
      [caisseId, donor.memberId, donor.contributorId, dto.year],
    );
    if (items.length === 0) throw new Conflict('NOTHING_TO_RECEIPT', `No gift of ${dto.year} from this donor is left without a receipt.`);
    const seq = await this.next(caisseId, dto.year, 'receipt');
    const total = items.reduce((s, i) => s.plus(i.amount), money(0));
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO tax_receipts (caisse_id, year, seq, number, member_id, contributor_id, donor_name, donor_address, amount, legal_basis, methods, issued_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [caisseId, dto.year, seq, `${dto.year}-${String(seq).padStart(6, '0')}`, donor.memberId, donor.contributorId, donor.name, donor.address, formatMoney(total), donor.legalBasis, [...new Set(items.map((i) => i.method))], todayInFrance()],
    );
    for (const i of items) await this.txHost.tx.query(`INSERT INTO tax_receipt_items (receipt_id, contribution_id, amount) VALUES ($1, $2, $3)`, [id, i.id, i.amount]);
    const receipt = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.tax-receipt-issued', targetType: 'tax-receipt', targetId: id, after: { number: receipt.number, amount: receipt.amount } });
    return receipt;
  }

  /** Explicit cancellation with its own gapless number; the money becomes receiptable again (for a corrected receipt). */
  @Transactional()
  async cancel(caisseId: string, id: string, dto: CancelReceiptDto): Promise<TaxReceiptDto> {
    const [row] = await this.txHost.tx.query(`SELECT year, cancelled_at FROM tax_receipts WHERE caisse_id = $1 AND id = $2 FOR UPDATE`, [caisseId, id]);
    if (!row) throw new NotFound('Tax receipt', id);
    if (row.cancelled_at) throw new Conflict('ALREADY_CANCELLED', 'This receipt was already cancelled.');
    const seq = await this.next(caisseId, row.year, 'cancellation');
    await this.txHost.tx.query(
      `UPDATE tax_receipts SET cancelled_at = now(), cancellation_seq = $2, cancellation_number = $3, cancellation_reason = $4 WHERE id = $1`,
      [id, seq, `A${row.year}-${String(seq).padStart(6, '0')}`, dto.reason],
    );
    await this.txHost.tx.query(`UPDATE tax_receipt_items SET active = false WHERE receipt_id = $1`, [id]);
    const receipt = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.tax-receipt-cancelled', targetType: 'tax-receipt', targetId: id, after: { number: receipt.number, cancellationNumber: receipt.cancellationNumber, reason: dto.reason } });
    return receipt;
  }

  async list(caisseId: string, year?: number): Promise<TaxReceiptDto[]> {
    const rows: { id: string }[] = await this.txHost.tx.query(`SELECT id FROM tax_receipts WHERE caisse_id = $1 AND ($2::int IS NULL OR year = $2) ORDER BY year, seq`, [caisseId, year ?? null]);
    return Promise.all(rows.map((r) => this.get(caisseId, r.id)));
  }

  async get(caisseId: string, id: string): Promise<TaxReceiptDto> {
    const [r] = await this.txHost.tx.query(
      `SELECT id, number, year, member_id, contributor_id, donor_name, donor_address, amount::text, legal_basis, methods, to_char(issued_on, 'YYYY-MM-DD') AS issued_on,
              cancelled_at, cancellation_number, cancellation_reason FROM tax_receipts WHERE caisse_id = $1 AND id = $2`,
      [caisseId, id],
    );
    if (!r) throw new NotFound('Tax receipt', id);
    const items = await this.txHost.tx.query(
      `SELECT i.contribution_id, i.amount::text, to_char(c.received_on, 'YYYY-MM-DD') AS received_on, c.method
         FROM tax_receipt_items i JOIN contributions c ON c.id = i.contribution_id WHERE i.receipt_id = $1 ORDER BY c.received_on, c.id`,
      [id],
    );
    return {
      id: r.id,
      number: r.number,
      year: r.year,
      memberId: r.member_id,
      contributorId: r.contributor_id,
      donorName: r.donor_name,
      donorAddress: r.donor_address,
      amount: r.amount,
      amountInWords: amountInWords(r.amount),
      legalBasis: r.legal_basis,
      methods: r.methods,
      issuedOn: r.issued_on,
      items: items.map((i: Record<string, string>) => ({ contributionId: i.contribution_id, amount: i.amount, receivedOn: i.received_on, method: i.method })),
      cancelledAt: r.cancelled_at ? (r.cancelled_at as Date).toISOString() : null,
      cancellationNumber: r.cancellation_number,
      cancellationReason: r.cancellation_reason,
    };
  }

  async pdf(caisseId: string, id: string): Promise<{ filename: string; pdf: Buffer }> {
    const receipt = await this.get(caisseId, id);
    const caisse = await this.caisses.get(caisseId);
    return { filename: `recu-fiscal-${receipt.number}.pdf`, pdf: renderPdf(receiptLines(caisse, receipt)) };
  }

  private async donor(caisseId: string, dto: TaxReceiptInputDto): Promise<Donor> {
    if ((dto.memberId === undefined) === (dto.contributorId === undefined)) throw new ValidationFailed({ memberId: ['give exactly one of memberId or contributorId'] });
    const notFound = (field: string) => (e: unknown) => {
      if (e instanceof NotFound) throw new ValidationFailed({ [field]: ['not found in this caisse'] });
      throw e;
    };
    if (dto.memberId) {
      const m = await this.members.get(caisseId, dto.memberId).catch(notFound('memberId'));
      return { memberId: m.id, contributorId: null, name: `${m.firstName} ${m.lastName}`, address: m.contact.address, legalBasis: 'CGI-200' };
    }
    const c = await this.contributors.get(caisseId, dto.contributorId!).catch(notFound('contributorId'));
    if (c.kind !== 'individual' && c.kind !== 'company') {
      throw new ValidationFailed({ contributorId: ['only individual donors and companies (mécénat) receive tax receipts'] });
    }
    return { memberId: null, contributorId: c.id, name: c.name, address: c.address, legalBasis: c.kind === 'company' ? 'CGI-238bis' : 'CGI-200' };
  }

  /** Next number of a series; the counter row's lock makes concurrent issues wait, so numbers have no gap. */
  private async next(caisseId: string, year: number, series: 'receipt' | 'cancellation'): Promise<number> {
    const [{ last_no }] = await this.txHost.tx.query(
      `INSERT INTO tax_receipt_counters (caisse_id, year, series, last_no) VALUES ($1, $2, $3, 1)
       ON CONFLICT (caisse_id, year, series) DO UPDATE SET last_no = tax_receipt_counters.last_no + 1 RETURNING last_no`,
      [caisseId, year, series],
    );
    return last_no;
  }
}
