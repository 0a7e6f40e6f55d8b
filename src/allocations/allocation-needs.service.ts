import { Injectable } from '@nestjs/common';
import { CaissesService } from '../caisses/caisses.service.js';
import { formatMoney, money } from '../common/money/money.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MembersService } from '../members/members.service.js';
import { allocationKey } from './allocation-poster.service.js';
import { childrenIn, grossAmount, meanOfContributions } from './allocation-formulas.js';
import type { AllocationNeed, MemberAllocation } from './allocations.types.js';

/** Read-only views for the reports: the cost of coming months, and what each member was credited. */
@Injectable()
export class AllocationNeedsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
    private readonly contributions: ContributionsService,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * A whole month for every member active in `membersOf` (YYYY-MM), by the formula in force on the first day of
   * `period`. Mean-of-contributions uses the mean of `membersOf`'s contributions: the current pace.
   */
  async need(caisseId: string, period: string, membersOf: string): Promise<AllocationNeed> {
    const rules = await this.caisses.rulesInForce(caisseId, `${period}-01`);
    const households = await this.members.activeInPeriod(caisseId, membersOf);
    const paid = await this.contributions.memberContributions(caisseId, membersOf);
    const mean = meanOfContributions(paid.reduce((s, c) => s.plus(c.amount), money(0)), households.length);
    const amount = households.reduce((s, h) => {
      const children = childrenIn(h.childrenBirthYears, period);
      const facts = { adults: h.adults, childrenUnder14: children.under14, children14AndOver: children.aged14AndOver, contribution: money(0) };
      return s.plus(grossAmount(rules.allocation, facts, mean));
    }, money(0));
    return { period, members: households.length, amount: formatMoney(amount) };
  }

  /**
   * A pending line is credited once the ledger holds the entry under its allocation key (allocation-line-status.ts):
   * read the lines that may have been credited, then ask the ledger which were.
   */
  async creditedBetween(caisseId: string, fromPeriod: string, toPeriod: string): Promise<MemberAllocation[]> {
    const rows: { member_id: string; period: string; amount: string; status: string }[] = await this.txHost.tx.query(
      `SELECT l.member_id, r.period, l.amount::text AS amount, l.status
         FROM allocation_run_lines l JOIN allocation_runs r ON r.id = l.run_id
        WHERE r.caisse_id = $1 AND r.kind = 'regular' AND l.status IN ('credited', 'pending') AND r.period BETWEEN $2 AND $3
        ORDER BY r.period, l.member_id`,
      [caisseId, fromPeriod, toPeriod],
    );
    const found = await this.ledger.entriesByKey(caisseId, rows.filter((r) => r.status === 'pending').map((r) => allocationKey(r.period, r.member_id)));
    return rows
      .filter((r) => r.status === 'credited' || found.has(allocationKey(r.period, r.member_id)))
      .map((r) => ({ memberId: r.member_id, period: r.period, amount: r.amount }));
  }
}
