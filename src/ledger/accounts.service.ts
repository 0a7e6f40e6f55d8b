import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { todayInFrance } from '../common/dates.js';
import { accountCode, type AccountKind, AUX_PATTERN, type ChartAccount, chartAccount, DEFAULT_CHART, type Side } from './chart.js';
import { fiscalYearOf } from './chart-rules.js';
import { UnknownAccount } from './ledger.errors.js';
import type { AccountView, AuxAccountInput } from './ledger.types.js';

interface AccountRow {
  code: string;
  number: string;
  aux: string;
  label: string;
  kind: string;
  normal_side: 'D' | 'C';
  no_overdraft: boolean;
  custom: boolean;
  auxiliary_kind: string | null;
  closed_at: Date | null;
  debits_posted: string;
  credits_posted: string;
}

function toView(r: AccountRow): AccountView {
  return {
    code: r.code,
    number: r.number,
    aux: r.aux || null,
    label: r.label,
    kind: r.kind,
    normalSide: r.normal_side,
    noOverdraft: r.no_overdraft,
    custom: r.custom,
    auxiliaryKind: r.auxiliary_kind,
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    debit: formatMoney(r.debits_posted),
    credit: formatMoney(r.credits_posted),
    balance: formatMoney(money(r.debits_posted).minus(r.credits_posted)),
  };
}

export interface AccountLineView {
  entryId: string;
  entryNo: number;
  journal: string;
  date: string;
  label: string;
  pieceRef: string;
  debit: string;
  credit: string;
  /** Running balance (debits − credits) after this line, in entry order. */
  balance: string;
  /** The other accounts of the entry (code and label), e.g. the outlet a wallet paid. */
  counterparts: { account: string; label: string }[];
}

@Injectable()
export class AccountsService {
  constructor(readonly txHost: TransactionHost) {}

  /**
   * Creates the books of a new caisse: numbering counters, the default chart and 512 as its default bank account.
   * The books start with the fiscal year before the current one (last year's books are often still being
   * finished when a caisse adopts the software); a treasurer can move that start in the ledger settings. Idempotent.
   */
  @Transactional()
  async openBooks(caisseId: string, opts: { fiscalYearStartMonth?: number } = {}): Promise<void> {
    const tx = this.txHost.tx;
    const month = opts.fiscalYearStartMonth ?? 1;
    const start = fiscalYearOf(todayInFrance(), month);
    const booksStart = `${String(Number(start.slice(0, 4)) - 1).padStart(4, '0')}${start.slice(4)}`;
    await tx.query(
      `INSERT INTO ledger_books (caisse_id, fiscal_year_start_month, books_start) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [caisseId, month, booksStart],
    );
    await tx.query(
      `INSERT INTO ledger_accounts (caisse_id, number, label, normal_side, kind, no_overdraft)
       SELECT $1, x.number, x.label, x.side, x.kind, x.no_overdraft
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bool[]) AS x(number, label, side, kind, no_overdraft)
       ON CONFLICT (caisse_id, code) DO NOTHING`,
      [
        caisseId,
        DEFAULT_CHART.map((a) => a.number),
        DEFAULT_CHART.map((a) => a.label),
        DEFAULT_CHART.map((a) => a.side),
        DEFAULT_CHART.map((a) => a.kind),
        DEFAULT_CHART.map((a) => Boolean(a.noOverdraft)),
      ],
    );
    await tx.query(
      `INSERT INTO ledger_bank_accounts (caisse_id, account, label, is_default) VALUES ($1, '512', 'Banque', true) ON CONFLICT DO NOTHING`,
      [caisseId],
    );
  }

  /**
   * The auxiliary account (member wallet 4671-x, outlet payable 401-x, funder 441-x/741-x …), created on first use so
   * that it exists — and can be locked — before any posting touches it.
   */
  @Transactional()
  async ensureAux(input: AuxAccountInput): Promise<string> {
    const base: (ChartAccount & { custom?: boolean; auxiliaryKind?: string }) | undefined = chartAccount(input.number) ?? (await this.customGeneral(input.caisseId, input.number));
    if (!base?.auxiliary) throw new ValidationFailed({ number: [`${input.number} has no auxiliary accounts`] });
    if (!AUX_PATTERN.test(input.aux)) throw new ValidationFailed({ aux: ['aux must be 1-17 upper-case letters or digits'] });
    await this.txHost.tx.query(
      `INSERT INTO ledger_accounts (caisse_id, number, aux, label, normal_side, kind, no_overdraft, fund, grant_ref, custom, auxiliary_kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (caisse_id, code) DO NOTHING`,
      [input.caisseId, input.number, input.aux, input.label, base.side, base.kind, Boolean(base.noOverdraft), input.fund ?? null, input.grant ?? null, base.custom ?? false, base.auxiliaryKind ?? null],
    );
    return accountCode(input.number, input.aux);
  }

  /** A caisse's own general account kept per third party (auxiliaryKind set), as the base of its auxiliaries. */
  private async customGeneral(caisseId: string, number: string): Promise<(ChartAccount & { custom: boolean; auxiliaryKind: string }) | undefined> {
    const [row]: { label: string; normal_side: Side; kind: AccountKind; auxiliary_kind: string | null }[] = await this.txHost.tx.query(
      `SELECT label, normal_side, kind, auxiliary_kind FROM ledger_accounts WHERE caisse_id = $1 AND code = $2 AND custom AND closed_at IS NULL`,
      [caisseId, number],
    );
    if (!row?.auxiliary_kind) return undefined;
    return { number, label: row.label, side: row.normal_side, kind: row.kind, auxiliary: true, custom: true, auxiliaryKind: row.auxiliary_kind };
  }

  /** Labels are display only (hashes and seals use account codes), so renaming never touches the books. */
  @Transactional()
  async rename(caisseId: string, code: string, label: string): Promise<void> {
    if (!label.trim() || label.length > 200) throw new ValidationFailed({ label: ['label must be 1 to 200 characters'] });
    const rows: unknown[] = await this.txHost.tx.query(
      // In a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count] rather than rows.
      `WITH u AS (UPDATE ledger_accounts SET label = $3 WHERE caisse_id = $1 AND code = $2 RETURNING id) SELECT id FROM u`,
      [caisseId, code, label.trim()],
    );
    if (rows.length === 0) throw new UnknownAccount(code, 'account');
  }

  async list(caisseId: string): Promise<AccountView[]> {
    const rows: AccountRow[] = await this.txHost.tx.query(
      `SELECT code, number, aux, label, kind, normal_side, no_overdraft, custom, auxiliary_kind, closed_at, debits_posted, credits_posted
         FROM ledger_accounts WHERE caisse_id = $1 ORDER BY number, aux`,
      [caisseId],
    );
    return rows.map(toView);
  }

  async get(caisseId: string, code: string): Promise<AccountView> {
    const rows: AccountRow[] = await this.txHost.tx.query(
      `SELECT code, number, aux, label, kind, normal_side, no_overdraft, custom, auxiliary_kind, closed_at, debits_posted, credits_posted
         FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`,
      [caisseId, code],
    );
    if (!rows[0]) throw new UnknownAccount(code, 'account');
    return toView(rows[0]);
  }

  /** General ledger of one account, in entry order, with the running balance. */
  async lines(caisseId: string, code: string, query: { cursor?: string; limit?: number }): Promise<Page<AccountLineView>> {
    await this.get(caisseId, code);
    const limit = query.limit ?? 50;
    const after = decodeCursor<{ n: number; l: number }>(query.cursor, ['n', 'l']);
    const rows: (AccountLineView & { line_no: number; entry_no: string })[] = await this.txHost.tx.query(
      `SELECT * FROM (
         SELECT e.id AS "entryId", e.entry_no, l.line_no, e.journal, e.entry_date::text AS date, e.label, e.piece_ref AS "pieceRef",
                l.debit, l.credit,
                sum(l.debit - l.credit) OVER (ORDER BY e.entry_no, l.line_no) AS balance,
                l.account_id
           FROM journal_lines l
           JOIN journal_entries e ON e.id = l.entry_id
           JOIN ledger_accounts a ON a.id = l.account_id
          WHERE a.caisse_id = $1 AND a.code = $2) x
        WHERE ($3::bigint IS NULL OR (x.entry_no, x.line_no) > ($3::bigint, $4::int))
        ORDER BY x.entry_no, x.line_no LIMIT $5`,
      [caisseId, code, after?.n ?? null, after?.l ?? 0, limit + 1],
    );
    const counterparts = await this.counterparts(rows.map((r) => r.entryId), code);
    return toPage(rows, limit, (r) => ({ n: Number(r.entry_no), l: r.line_no }), (r) => ({
      entryId: r.entryId,
      entryNo: Number(r.entry_no),
      journal: r.journal,
      date: r.date,
      label: r.label,
      pieceRef: r.pieceRef,
      debit: formatMoney(r.debit),
      credit: formatMoney(r.credit),
      balance: formatMoney(r.balance),
      counterparts: counterparts.get(r.entryId) ?? [],
    }));
  }

  private async counterparts(entryIds: string[], code: string): Promise<Map<string, { account: string; label: string }[]>> {
    const map = new Map<string, { account: string; label: string }[]>();
    if (entryIds.length === 0) return map;
    const rows: { entry_id: string; code: string; label: string }[] = await this.txHost.tx.query(
      `SELECT DISTINCT l.entry_id, a.code, a.label FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE l.entry_id = ANY($1::uuid[]) AND a.code <> $2 ORDER BY a.code`,
      [entryIds, code],
    );
    for (const r of rows) (map.get(r.entry_id) ?? map.set(r.entry_id, []).get(r.entry_id)!).push({ account: r.code, label: r.label });
    return map;
  }
}
