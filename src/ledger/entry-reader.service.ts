import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { EntryNotFound } from './ledger.errors.js';
import type { EntryView, JournalCode, KeyedEntry } from './ledger.types.js';

interface EntryRow {
  id: string;
  entry_no: string;
  fiscal_year: string;
  year_entry_no: string;
  journal: JournalCode;
  entry_date: string;
  label: string;
  piece_ref: string;
  idempotency_key: string;
  reverses_entry_id: string | null;
  reversed_by: string | null;
  content_hash: string;
  validated_at: Date;
  lines: { lineNo: number; account: string; accountLabel: string; debit: string; credit: string; fund: string | null; grant: string | null }[];
}

const ENTRY_SELECT = `
  SELECT e.id, e.entry_no, e.fiscal_year::text AS fiscal_year, e.year_entry_no, e.journal, e.entry_date::text AS entry_date, e.label, e.piece_ref, e.idempotency_key,
         e.reverses_entry_id, r.id AS reversed_by, e.content_hash, e.validated_at,
         (SELECT json_agg(json_build_object('lineNo', l.line_no, 'account', a.code, 'accountLabel', a.label,
                  'debit', to_char(l.debit, 'FM999999999999990.00'), 'credit', to_char(l.credit, 'FM999999999999990.00'),
                  'fund', l.fund, 'grant', l.grant_ref) ORDER BY l.line_no)
            FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.entry_id = e.id) AS lines
    FROM journal_entries e LEFT JOIN journal_entries r ON r.reverses_entry_id = e.id`;

function toView(r: EntryRow): EntryView {
  return {
    id: r.id,
    entryNo: Number(r.entry_no),
    fiscalYear: r.fiscal_year,
    yearEntryNo: Number(r.year_entry_no),
    journal: r.journal,
    date: r.entry_date,
    label: r.label,
    pieceRef: r.piece_ref,
    idempotencyKey: r.idempotency_key,
    reverses: r.reverses_entry_id,
    reversedBy: r.reversed_by,
    contentHash: r.content_hash,
    validatedAt: r.validated_at.toISOString(),
    lines: r.lines ?? [],
  };
}

@Injectable()
export class EntryReader {
  constructor(readonly txHost: TransactionHost) {}

  /** Entries of a caisse by idempotency key: id and total debited (an entry's amount), for callers that key their work. */
  async byKeys(caisseId: string, keys: string[]): Promise<Map<string, KeyedEntry>> {
    if (!keys.length) return new Map();
    const rows: { k: string; id: string; total: string }[] = await this.txHost.tx.query(
      `SELECT e.idempotency_key AS k, e.id, (SELECT sum(l.debit) FROM journal_lines l WHERE l.entry_id = e.id)::text AS total
         FROM journal_entries e WHERE e.caisse_id = $1 AND e.idempotency_key = ANY($2::text[])`,
      [caisseId, keys],
    );
    return new Map(rows.map((r) => [r.k, { id: r.id, total: r.total }]));
  }

  async find(caisseId: string, id: string): Promise<EntryView | undefined> {
    const rows: EntryRow[] = await this.txHost.tx.query(`${ENTRY_SELECT} WHERE e.caisse_id = $1 AND e.id = $2`, [caisseId, id]);
    return rows[0] && toView(rows[0]);
  }

  async get(caisseId: string, id: string): Promise<EntryView> {
    const entry = await this.find(caisseId, id);
    if (!entry) throw new EntryNotFound(id);
    return entry;
  }

  async getById(id: string): Promise<EntryView> {
    const rows: EntryRow[] = await this.txHost.tx.query(`${ENTRY_SELECT} WHERE e.id = $1`, [id]);
    if (!rows[0]) throw new EntryNotFound(id);
    return toView(rows[0]);
  }

  async getMany(ids: string[]): Promise<EntryView[]> {
    if (!ids.length) return [];
    const rows: EntryRow[] = await this.txHost.tx.query(`${ENTRY_SELECT} WHERE e.id = ANY($1::uuid[])`, [ids]);
    return rows.map(toView);
  }
}
