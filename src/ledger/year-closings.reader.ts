import { Injectable } from '@nestjs/common';
import { formatMoney } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';

export interface YearClosingView {
  fiscalYear: string;
  closedAt: string;
  forced: boolean;
  reason: string | null;
  /** Produits − charges of the year (after fonds dédiés): positive is an excédent (120), negative a déficit (129). */
  result: string;
  /** Fonds dédiés entries, dated the last day of the year. */
  entryIds: string[];
  /** À-nouveaux of the next year (journal AN). */
  openingEntryIds: string[];
  /** Technical counterpart of the à-nouveaux, left out of the FEC. */
  offsetEntryIds: string[];
  sealSeq: number | null;
}

interface Row {
  fiscal_year: string;
  closed_at: Date;
  forced: boolean;
  reason: string | null;
  result: string;
  entry_ids: string[];
  opening_entry_ids: string[];
  offset_entry_ids: string[];
  seal_seq: number | null;
}

const SELECT = `SELECT fiscal_year::text, closed_at, forced, reason, result::text, entry_ids::text[], opening_entry_ids::text[], offset_entry_ids::text[], seal_seq
  FROM ledger_year_closings`;

function toView(r: Row): YearClosingView {
  return {
    fiscalYear: r.fiscal_year,
    closedAt: r.closed_at.toISOString(),
    forced: r.forced,
    reason: r.reason,
    result: formatMoney(r.result),
    entryIds: r.entry_ids,
    openingEntryIds: r.opening_entry_ids,
    offsetEntryIds: r.offset_entry_ids,
    sealSeq: r.seal_seq,
  };
}

/** Reads the annual closings (ledger_year_closings). */
@Injectable()
export class YearClosingsReader {
  constructor(readonly txHost: TransactionHost) {}

  async get(caisseId: string, fiscalYear: string): Promise<YearClosingView | undefined> {
    const [row]: Row[] = await this.txHost.tx.query(`${SELECT} WHERE caisse_id = $1 AND fiscal_year = $2`, [caisseId, fiscalYear]);
    return row && toView(row);
  }

  async list(caisseId: string): Promise<YearClosingView[]> {
    const rows: Row[] = await this.txHost.tx.query(`${SELECT} WHERE caisse_id = $1 ORDER BY fiscal_year`, [caisseId]);
    return rows.map(toView);
  }
}
