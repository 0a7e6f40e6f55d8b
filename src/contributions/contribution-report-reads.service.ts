import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { GrantWithFunder, MemberContribution, ReceiptsBetween, TopUpMonth } from './contributions.types.js';

/** $4: the named funds to count (null: all); $5: whether unrestricted money (no fund) counts. */
const FUND_FILTER = (col: string) => `(($4::text[] IS NULL AND $5) OR ${col} = ANY($4) OR ($5 AND ${col} IS NULL))`;

/** Set-based reads for the management reports (funders, runway, solidarity); read-only. */
@Injectable()
export class ContributionReportReads {
  constructor(readonly txHost: TransactionHost) {}

  async grantsWithFunders(caisseId: string): Promise<GrantWithFunder[]> {
    const rows: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT g.reference, c.number, c.name, c.kind, c.funder_type, g.fund, g.amount::text AS notified, g.received::text AS received,
              to_char(g.notified_on, 'YYYY-MM-DD') AS notified_on, to_char(g.period_from, 'YYYY-MM-DD') AS period_from, to_char(g.period_to, 'YYYY-MM-DD') AS period_to
         FROM grant_agreements g JOIN contributors c ON c.id = g.contributor_id
        WHERE g.caisse_id = $1 ORDER BY c.name, g.reference`,
      [caisseId],
    );
    return rows.map((r) => ({
      reference: r.reference!,
      funderNumber: r.number!,
      funderName: r.name!,
      funderKind: r.kind!,
      funderType: r.funder_type,
      fund: r.fund,
      notified: r.notified!,
      received: r.received!,
      notifiedOn: r.notified_on!,
      from: r.period_from!,
      to: r.period_to!,
    }));
  }

  /** Recorded, not reversed member contributions for the months fromPeriod..toPeriod, one row per member and month. */
  async memberContributions(caisseId: string, fromPeriod: string, toPeriod: string): Promise<MemberContribution[]> {
    const rows: { member_id: string; period: string; amount: string }[] = await this.txHost.tx.query(
      `SELECT member_id, period, sum(amount)::text AS amount FROM contributions
        WHERE caisse_id = $1 AND member_id IS NOT NULL AND reversed_at IS NULL AND period BETWEEN $2 AND $3
        GROUP BY member_id, period ORDER BY period, member_id`,
      [caisseId, fromPeriod, toPeriod],
    );
    return rows.map((r) => ({ memberId: r.member_id, period: r.period, amount: r.amount }));
  }

  async receiptsBetween(caisseId: string, from: string, to: string, funds?: (string | null)[]): Promise<ReceiptsBetween> {
    const named = funds?.filter((f): f is string => f !== null) ?? null;
    const unrestricted = funds === undefined || funds.includes(null);
    const [row]: { members: string; funders: string }[] = await this.txHost.tx.query(
      `SELECT (SELECT coalesce(sum(amount), 0) FROM contributions WHERE caisse_id = $1 AND member_id IS NOT NULL AND reversed_at IS NULL AND received_on BETWEEN $2 AND $3)::text AS members,
              ((SELECT coalesce(sum(amount), 0) FROM contributions WHERE caisse_id = $1 AND contributor_id IS NOT NULL AND reversed_at IS NULL AND received_on BETWEEN $2 AND $3
                   AND ${FUND_FILTER('fund')})
               + (SELECT coalesce(sum(t.amount), 0) FROM grant_tranches t JOIN grant_agreements g ON g.id = t.grant_id
                   WHERE g.caisse_id = $1 AND t.received_on BETWEEN $2 AND $3 AND ${FUND_FILTER('g.fund')}))::text AS funders`,
      [caisseId, from, to, named, unrestricted],
    );
    return { members: row.members, funders: row.funders };
  }

  async topUps(caisseId: string, fromPeriod: string, toPeriod: string): Promise<TopUpMonth[]> {
    return (
      await this.txHost.tx.query(
        `SELECT fund, period, sum(amount)::text AS amount, count(*)::int AS members FROM top_up_charges
          WHERE caisse_id = $1 AND period BETWEEN $2 AND $3 GROUP BY fund, period ORDER BY period, fund`,
        [caisseId, fromPeriod, toPeriod],
      )
    ).map((r: TopUpMonth) => ({ fund: r.fund, period: r.period, amount: r.amount, members: r.members }));
  }
}
