import { Injectable } from '@nestjs/common';
import { CaissesService } from '../caisses/caisses.service.js';
import { formatMoney } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { quoteContribution, QuoteInputMissing } from './contribution-quote.js';
import type { MemberContributionStatus } from './contributions.types.js';
import { statusOf } from './member-dues.service.js';

/**
 * The month's status of every active member in a fixed number of statements, whatever their count: the rule, the
 * roster and the declared incomes are read once, payments and waivers together in one query, and each due amount is
 * the pure quote. MemberDuesService.statusFor quotes member by member (a few queries each); this must give the same
 * answer (the contributions e2e suite compares both).
 */
@Injectable()
export class PeriodStatusesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
  ) {}

  async statusesFor(caisseId: string, period: string): Promise<MemberContributionStatus[]> {
    const rules = await this.caisses.rulesInForce(caisseId, `${period}-01`);
    const active = await this.members.activeInPeriod(caisseId, period);
    const byIncome = rules.contribution.rule === 'percent-of-income' || rules.contribution.rule === 'grid';
    const incomes = byIncome ? await this.members.declaredIncomes(caisseId) : new Map<string, string>();
    const rows: { member_id: string; paid: string | null; waived: boolean }[] = await this.txHost.tx.query(
      `SELECT member_id, sum(amount)::text AS paid, false AS waived FROM contributions
        WHERE caisse_id = $1 AND period = $2 AND member_id IS NOT NULL AND reversed_at IS NULL GROUP BY member_id
       UNION ALL
       SELECT member_id, NULL, true FROM contribution_waivers WHERE caisse_id = $1 AND period = $2`,
      [caisseId, period],
    );
    const paid = new Map(rows.filter((r) => !r.waived).map((r) => [r.member_id, formatMoney(r.paid!)]));
    const waived = new Set(rows.filter((r) => r.waived).map((r) => r.member_id));
    return active.map((h) => {
      let due: string;
      try {
        // As MemberDuesService.quote with the household of the period's first day and no chosen level.
        const inputs = { monthlyIncome: incomes.get(h.memberId) ?? null, adults: h.adults + h.children14AndOver, childrenUnder14: h.childrenUnder14 };
        due = quoteContribution(rules.contribution, inputs).amount;
      } catch (e) {
        // A grid without a declared income has no due amount: 0, as statusFor counts it.
        if (!(e instanceof QuoteInputMissing)) throw e;
        due = '0.00';
      }
      return statusOf(h.memberId, period, due, paid.get(h.memberId) ?? '0.00', waived.has(h.memberId));
    });
  }
}
