import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { todayInFrance } from '../common/dates.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { AvailableForAllocations, TopUpCharge } from './contributions.types.js';
import type { FundInputDto, FundReportRowDto } from './dto/fund.dto.js';

/** Every caisse starts with the earmarks seen in the field (accounting.md); it adds its own. */
const DEFAULT_FUNDS = [
  { code: 'allocations', label: 'Allocations alimentaires', usable: true },
  { code: 'ingenierie', label: 'Ingénierie et coordination', usable: false },
  { code: 'logistique', label: 'Logistique', usable: false },
];

interface FundRow {
  code: string;
  label: string;
  usable_for_allocations: boolean;
}

/**
 * The fund catalogue (earmarks) and the figures per fund. Figures are read from the ledger's lines (read-only
 * SQL: the ledger stays the only writer), so they include every posting that carries the fund, whoever made it.
 */
@Injectable()
export class FundsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  /**
   * The caisse's funds, the default ones included: they are written on first use (contributions and grants name
   * them by foreign key), except in a read-only snapshot (reports, maybe on the replica), which gets the same list
   * without writing it.
   */
  async catalogue(caisseId: string): Promise<FundRow[]> {
    const tx = this.txHost.tx;
    const defaults = JSON.stringify(DEFAULT_FUNDS);
    const rows: (FundRow & { stored: boolean })[] = await tx.query(
      `SELECT code, label, usable_for_allocations, true AS stored FROM contribution_funds WHERE caisse_id = $1
       UNION ALL
       SELECT d.code, d.label, d.usable, false FROM jsonb_to_recordset($2::jsonb) AS d(code text, label text, usable boolean)
        WHERE NOT EXISTS (SELECT 1 FROM contribution_funds f WHERE f.caisse_id = $1 AND f.code = d.code)
       ORDER BY code`,
      [caisseId, defaults],
    );
    if (rows.some((r) => !r.stored)) {
      const [{ readOnly }]: { readOnly: boolean }[] = await tx.query(`SELECT current_setting('transaction_read_only') = 'on' AS "readOnly"`);
      if (!readOnly) {
        await tx.query(
          `INSERT INTO contribution_funds (caisse_id, code, label, usable_for_allocations)
           SELECT $1, d.code, d.label, d.usable FROM jsonb_to_recordset($2::jsonb) AS d(code text, label text, usable boolean)
           ON CONFLICT DO NOTHING`,
          [caisseId, defaults],
        );
      }
    }
    return rows.map(({ code, label, usable_for_allocations }) => ({ code, label, usable_for_allocations }));
  }

  @Transactional()
  async create(caisseId: string, dto: FundInputDto): Promise<FundRow> {
    const existing = await this.catalogue(caisseId);
    if (existing.some((f) => f.code === dto.code)) throw new Conflict('FUND_EXISTS', `The fund ${dto.code} already exists.`);
    const [row]: FundRow[] = await this.txHost.tx.query(
      `INSERT INTO contribution_funds (caisse_id, code, label, usable_for_allocations) VALUES ($1, $2, $3, $4)
       RETURNING code, label, usable_for_allocations`,
      [caisseId, dto.code, dto.label.trim(), dto.usableForAllocations],
    );
    await this.audit.record({ caisseId, action: 'contributions.fund-created', targetType: 'fund', targetId: null, after: row });
    return row;
  }

  /** A fund named in a request must exist: else a 400 on the field that named it, before anything is written. */
  async assertExists(caisseId: string, fund: string | null | undefined, field: string): Promise<string | null> {
    if (fund === undefined || fund === null) return null;
    const funds = await this.catalogue(caisseId);
    if (!funds.some((f) => f.code === fund)) {
      throw new ValidationFailed({ [field]: [`fund ${fund} does not exist; known funds: ${funds.map((f) => f.code).join(', ')}`] });
    }
    return fund;
  }

  async report(caisseId: string, at = todayInFrance()): Promise<FundReportRowDto[]> {
    const funds = await this.catalogue(caisseId);
    const rows: { fund: string | null; kind: string; net: string }[] = await this.txHost.tx.query(
      `SELECT l.fund, a.kind, sum(l.debit - l.credit)::text AS net
         FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN journal_entries e ON e.id = l.entry_id
        WHERE l.caisse_id = $1 AND e.entry_date <= $2 AND a.kind IN ('bank', 'receivable', 'expense')
        GROUP BY l.fund, a.kind`,
      [caisseId, at],
    );
    const topUps: { fund: string | null; period: string; amount: string; members: number }[] = await this.txHost.tx.query(
      `SELECT fund, period, sum(amount)::text AS amount, count(*)::int AS members FROM top_up_charges
        WHERE caisse_id = $1 AND period <= to_char($2::date, 'YYYY-MM') GROUP BY fund, period ORDER BY period`,
      [caisseId, at],
    );
    const figure = (fund: string | null, kind: string) => money(rows.find((r) => r.fund === fund && r.kind === kind)?.net ?? '0');
    const catalogue = [{ code: null, label: 'Non affecté', usable_for_allocations: true }, ...funds];
    return catalogue.map((f) => {
      const received = figure(f.code, 'bank');
      const receivable = figure(f.code, 'receivable');
      const used = figure(f.code, 'expense');
      return {
        fund: f.code,
        label: f.label,
        usableForAllocations: f.usable_for_allocations,
        received: formatMoney(received),
        receivable: formatMoney(receivable),
        used: formatMoney(used),
        available: formatMoney(received.plus(receivable).minus(used)),
        topUps: topUps.filter((t) => t.fund === f.code).map((t) => ({ period: t.period, amount: formatMoney(t.amount), members: t.members })),
      };
    });
  }

  async recordTopUps(caisseId: string, period: string, charges: TopUpCharge[]): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO top_up_charges (caisse_id, period, member_id, fund, amount, entry_id)
       SELECT $1, $2, x.member_id, x.fund, x.amount, x.entry_id FROM json_to_recordset($3::json) AS x(member_id uuid, fund text, amount numeric, entry_id uuid)
       ON CONFLICT DO NOTHING`,
      [caisseId, period, JSON.stringify(charges.map((c) => ({ member_id: c.memberId, fund: c.fund, amount: c.amount, entry_id: c.entryId })))],
    );
  }

  /**
   * accounting.md: cash + receivables earmarked for allocations − commitments (wallets + owed to outlets). Only
   * unrestricted money and funds usable for allocations count: a restricted fund never pays a wallet.
   */
  async allocationFunds(caisseId: string): Promise<(string | null)[]> {
    return [null, ...(await this.catalogue(caisseId)).filter((f) => f.usable_for_allocations).map((f) => f.code)];
  }

  async availableForAllocations(caisseId: string, at: string): Promise<AvailableForAllocations> {
    const usable = (await this.catalogue(caisseId)).filter((f) => f.usable_for_allocations).map((f) => f.code);
    const [row]: { cash: string; receivables: string; commitments: string }[] = await this.txHost.tx.query(
      `SELECT coalesce(sum(l.debit - l.credit) FILTER (WHERE a.kind = 'bank' AND (l.fund IS NULL OR l.fund = ANY($3))), 0)::text AS cash,
              coalesce(sum(l.debit - l.credit) FILTER (WHERE a.kind = 'receivable' AND (l.fund IS NULL OR l.fund = ANY($3))), 0)::text AS receivables,
              coalesce(sum(l.credit - l.debit) FILTER (WHERE a.kind IN ('wallet', 'payable')), 0)::text AS commitments
         FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN journal_entries e ON e.id = l.entry_id
        WHERE l.caisse_id = $1 AND e.entry_date <= $2`,
      [caisseId, at, usable],
    );
    const available = money(row.cash).plus(row.receivables).minus(row.commitments);
    return {
      at,
      cash: formatMoney(row.cash),
      receivables: formatMoney(row.receivables),
      commitments: formatMoney(row.commitments),
      available: formatMoney(available),
      funds: [null, ...usable],
    };
  }
}
