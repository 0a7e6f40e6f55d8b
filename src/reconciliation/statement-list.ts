import type { EntityManager } from 'typeorm';
import { formatMoney } from '../common/money/money.js';
import type { StatementSummaryDto } from './dto/statement.dto.js';

interface StatementRow {
  id: string;
  bank_account: string;
  format: string;
  statement_ref: string;
  sequence: string;
  from_date: string;
  to_date: string;
  opening: string;
  closing: string;
  line_count: number;
  imported_at: Date;
}

/** The statements imported for a caisse, newest period first (at most `limit`: the list is for reading, not export). */
export async function listStatements(tx: EntityManager, caisseId: string, limit = 200): Promise<StatementSummaryDto[]> {
  const rows: StatementRow[] = await tx.query(
    `SELECT id, bank_account, format, statement_ref, sequence, to_char(from_date, 'YYYY-MM-DD') AS from_date, to_char(to_date, 'YYYY-MM-DD') AS to_date,
       opening::text, closing::text, line_count, imported_at
     FROM bank_statements WHERE caisse_id = $1 ORDER BY to_date DESC, imported_at DESC LIMIT $2`,
    [caisseId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    bankAccount: r.bank_account,
    format: r.format,
    statementRef: r.statement_ref,
    sequence: r.sequence,
    fromDate: r.from_date,
    toDate: r.to_date,
    opening: formatMoney(r.opening),
    closing: formatMoney(r.closing),
    lines: r.line_count,
    importedAt: r.imported_at.toISOString(),
  }));
}
