import { Injectable } from '@nestjs/common';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import type { BookLineView, LineRef } from './ledger.types.js';

/** Letter number n (1-based) as A…Z, AA…ZZ, AAA… — the spreadsheet column scheme accountants know. */
export function letterCode(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/**
 * Lettering of journal lines (lettrage): a code shared by lines that explain each other. Amounts never change, so
 * the lines stay append-only; the letter is a separate row, one per line at most (a second letter is a conflict).
 */
@Injectable()
export class LetteringService {
  constructor(private readonly txHost: TransactionHost) {}

  /** Letters the lines together under a new code, dated `on` (DateLet). All or nothing; joins the caller's transaction. */
  async letter(caisseId: string, lines: LineRef[], on: string): Promise<string> {
    if (lines.length === 0) throw new ValidationFailed({ lines: ['at least one line to letter'] });
    return this.txHost.run(async () => {
      const tx = this.txHost.tx;
      const entryIds = lines.map((l) => l.entryId);
      const lineNos = lines.map((l) => l.lineNo);
      const found: { entry_id: string; line_no: number; letter: string | null }[] = await tx.query(
        `SELECT l.entry_id, l.line_no, x.letter
           FROM unnest($2::uuid[], $3::smallint[]) AS r(entry_id, line_no)
           JOIN journal_lines l ON l.entry_id = r.entry_id AND l.line_no = r.line_no AND l.caisse_id = $1
           LEFT JOIN journal_line_letters x ON x.entry_id = l.entry_id AND x.line_no = l.line_no
            FOR UPDATE OF l`,
        [caisseId, entryIds, lineNos],
      );
      if (found.length !== new Set(lines.map((l) => `${l.entryId}:${l.lineNo}`)).size) {
        throw new ValidationFailed({ lines: ['a line to letter is not a journal line of this caisse (or is listed twice)'] });
      }
      const taken = found.find((f) => f.letter);
      if (taken) throw new Conflict('ALREADY_LETTERED', `Line ${taken.line_no} of entry ${taken.entry_id} is already lettered ${taken.letter}.`, { letter: taken.letter });
      const [{ last_no }]: { last_no: string }[] = await tx.query(
        `INSERT INTO ledger_letter_counters (caisse_id, last_no) VALUES ($1, 1)
           ON CONFLICT (caisse_id) DO UPDATE SET last_no = ledger_letter_counters.last_no + 1 RETURNING last_no`,
        [caisseId],
      );
      const code = letterCode(Number(last_no));
      await tx.query(
        `INSERT INTO journal_line_letters (entry_id, line_no, caisse_id, letter, lettered_on)
           SELECT r.entry_id, r.line_no, $1, $4, $5::date FROM unnest($2::uuid[], $3::smallint[]) AS r(entry_id, line_no)`,
        [caisseId, entryIds, lineNos, code, on],
      );
      return code;
    });
  }

  /**
   * Many letterings at once (bank matching of a whole statement): one code per group, in group order, in a fixed
   * number of statements whatever the number of groups. All or nothing, like `letter`.
   */
  async letterMany(caisseId: string, groups: { lines: LineRef[]; on: string }[]): Promise<string[]> {
    if (groups.length === 0) return [];
    if (groups.some((g) => g.lines.length === 0)) throw new ValidationFailed({ lines: ['at least one line to letter'] });
    return this.txHost.run(async () => {
      const tx = this.txHost.tx;
      const flat = groups.flatMap((g, i) => g.lines.map((l) => ({ ...l, group: i })));
      const entryIds = flat.map((l) => l.entryId);
      const lineNos = flat.map((l) => l.lineNo);
      const found: { entry_id: string; line_no: number; letter: string | null }[] = await tx.query(
        `SELECT l.entry_id, l.line_no, x.letter
           FROM unnest($2::uuid[], $3::smallint[]) AS r(entry_id, line_no)
           JOIN journal_lines l ON l.entry_id = r.entry_id AND l.line_no = r.line_no AND l.caisse_id = $1
           LEFT JOIN journal_line_letters x ON x.entry_id = l.entry_id AND x.line_no = l.line_no
          ORDER BY l.entry_id, l.line_no
            FOR UPDATE OF l`,
        [caisseId, entryIds, lineNos],
      );
      if (found.length !== new Set(flat.map((l) => `${l.entryId}:${l.lineNo}`)).size || found.length !== flat.length) {
        throw new ValidationFailed({ lines: ['a line to letter is not a journal line of this caisse (or is listed twice)'] });
      }
      const taken = found.find((f) => f.letter);
      if (taken) throw new Conflict('ALREADY_LETTERED', `Line ${taken.line_no} of entry ${taken.entry_id} is already lettered ${taken.letter}.`, { letter: taken.letter });
      const [{ last_no }]: { last_no: string }[] = await tx.query(
        `INSERT INTO ledger_letter_counters (caisse_id, last_no) VALUES ($1, $2)
           ON CONFLICT (caisse_id) DO UPDATE SET last_no = ledger_letter_counters.last_no + $2 RETURNING last_no`,
        [caisseId, groups.length],
      );
      const first = Number(last_no) - groups.length + 1;
      const codes = groups.map((_, i) => letterCode(first + i));
      await tx.query(
        `INSERT INTO journal_line_letters (entry_id, line_no, caisse_id, letter, lettered_on)
           SELECT r.entry_id, r.line_no, $1, r.letter, r.lettered_on FROM unnest($2::uuid[], $3::smallint[], $4::text[], $5::date[]) AS r(entry_id, line_no, letter, lettered_on)`,
        [caisseId, entryIds, lineNos, flat.map((l) => codes[l.group]), flat.map((l) => groups[l.group].on)],
      );
      return codes;
    });
  }

  /** Removes a letter from every line carrying it; returns those lines (empty when the letter is unknown). */
  async unletter(caisseId: string, letter: string): Promise<LineRef[]> {
    const rows: { entry_id: string; line_no: number }[] = await this.txHost.tx.query(
      // A CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count] rather than the rows.
      `WITH d AS (DELETE FROM journal_line_letters WHERE caisse_id = $1 AND letter = $2 RETURNING entry_id, line_no) SELECT entry_id, line_no FROM d ORDER BY entry_id, line_no`,
      [caisseId, letter],
    );
    return rows.map((r) => ({ entryId: r.entry_id, lineNo: Number(r.line_no) }));
  }

  /** Which of these entries have a lettered line on `account` (e.g. the payouts the bank statement has proved). */
  async letteredEntries(caisseId: string, account: string, entryIds: string[]): Promise<Set<string>> {
    if (entryIds.length === 0) return new Set();
    const rows: { entry_id: string }[] = await this.txHost.tx.query(
      `SELECT DISTINCT x.entry_id
         FROM journal_line_letters x
         JOIN journal_lines l ON l.entry_id = x.entry_id AND l.line_no = x.line_no
         JOIN ledger_accounts a ON a.id = l.account_id
        WHERE x.caisse_id = $1 AND x.entry_id = ANY($2::uuid[]) AND a.code = $3`,
      [caisseId, entryIds, account],
    );
    return new Set(rows.map((r) => r.entry_id));
  }

  /**
   * Lines of one account (e.g. a 512x) up to a date, with their letter if any — the book side of a bank
   * reconciliation. `lettered: false` keeps the open items only.
   */
  async bookLines(caisseId: string, account: string, opts: { until?: string; from?: string; lettered?: boolean } = {}): Promise<BookLineView[]> {
    const rows: Record<string, string | number | null>[] = await this.txHost.tx.query(
      `SELECT l.entry_id, l.line_no, to_char(e.entry_date, 'YYYY-MM-DD') AS date, e.journal, e.label, e.piece_ref,
              e.idempotency_key, l.debit::text AS debit, l.credit::text AS credit, x.letter,
              to_char(x.lettered_on, 'YYYY-MM-DD') AS lettered_on
         FROM ledger_accounts a
         JOIN journal_lines l ON l.account_id = a.id AND l.caisse_id = a.caisse_id
         JOIN journal_entries e ON e.id = l.entry_id
         LEFT JOIN journal_line_letters x ON x.entry_id = l.entry_id AND x.line_no = l.line_no
        WHERE a.caisse_id = $1 AND a.code = $2
          AND ($3::date IS NULL OR e.entry_date <= $3::date)
          AND ($4::date IS NULL OR e.entry_date >= $4::date)
          AND ($5::boolean IS NULL OR (x.letter IS NOT NULL) = $5::boolean)
        ORDER BY e.entry_date, e.entry_no, l.line_no`,
      [caisseId, account, opts.until ?? null, opts.from ?? null, opts.lettered ?? null],
    );
    return rows.map((r) => ({
      entryId: String(r.entry_id),
      lineNo: Number(r.line_no),
      date: String(r.date),
      journal: String(r.journal),
      label: String(r.label),
      pieceRef: String(r.piece_ref),
      idempotencyKey: String(r.idempotency_key),
      debit: String(r.debit),
      credit: String(r.credit),
      letter: r.letter === null ? null : String(r.letter),
      letteredOn: r.lettered_on === null ? null : String(r.lettered_on),
    }));
  }
}
