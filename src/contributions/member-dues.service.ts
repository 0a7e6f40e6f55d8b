import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import type { PeriodHousehold } from '../members/members.types.js';
import { quoteContribution, QuoteInputMissing } from './contribution-quote.js';
import { QuoteNotComputable } from './contributions.errors.js';
import type { ContributionStatus, MemberContribution, MemberContributionStatus } from './contributions.types.js';
import type { QuoteDto, WaiverInputDto } from './dto/contribution.dto.js';

/** What each member owes per month under the rules in force, what was paid, and the waivers granted. */
@Injectable()
export class MemberDuesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
  ) {}

  async quote(caisseId: string, memberId: string, period: string, level?: string, household?: PeriodHousehold): Promise<QuoteDto> {
    const member = await this.members.get(caisseId, memberId);
    const rules = await this.caisses.rulesInForce(caisseId, `${period}-01`);
    const year = Number(period.slice(0, 4));
    // The household on the first day of the period when the member is active; else the declared one.
    const adults = household ? household.adults + household.children14AndOver : member.household.adults + member.household.childrenBirthYears.filter((y) => year - y > 13).length;
    const childrenUnder14 = household ? household.childrenUnder14 : member.household.childrenBirthYears.filter((y) => year - y <= 13).length;
    const inputs = { monthlyIncome: member.monthlyIncome ?? null, adults, childrenUnder14, level };
    try {
      const q = quoteContribution(rules.contribution, inputs);
      return { memberId, period, ruleVersionId: rules.id, ...q, inputs: { ...inputs, ruleEffectiveFrom: rules.effectiveFrom } };
    } catch (e) {
      if (e instanceof QuoteInputMissing) {
        if (e.field === 'level') throw new ValidationFailed({ level: [e.message] });
        throw new QuoteNotComputable(e.field, e.message);
      }
      throw e;
    }
  }

  /** Status of every member active in the period (the allocation gate's input). */
  async statusFor(caisseId: string, period: string): Promise<MemberContributionStatus[]> {
    const active = await this.members.activeInPeriod(caisseId, period);
    const paid = await this.paidByMember(caisseId, period);
    const waived = new Set<string>(
      (await this.txHost.tx.query(`SELECT member_id FROM contribution_waivers WHERE caisse_id = $1 AND period = $2`, [caisseId, period])).map((r: { member_id: string }) => r.member_id),
    );
    const out: MemberContributionStatus[] = [];
    for (const h of active) {
      const due = await this.dueOrNull(caisseId, h.memberId, period, h);
      out.push(statusOf(h.memberId, period, due, paid.get(h.memberId) ?? '0.00', waived.has(h.memberId)));
    }
    return out;
  }

  async statusOfMember(caisseId: string, memberId: string, period: string): Promise<MemberContributionStatus> {
    const household = (await this.members.activeInPeriod(caisseId, period, memberId)).find((h) => h.memberId === memberId);
    // Not active in the period: still a member of this caisse (404 otherwise, as the quote answers)?
    if (!household) await this.members.get(caisseId, memberId);
    const due = household ? await this.dueOrNull(caisseId, memberId, period, household) : '0.00';
    const paid = (await this.paidByMember(caisseId, period, memberId)).get(memberId) ?? '0.00';
    const [w] = await this.txHost.tx.query(`SELECT 1 FROM contribution_waivers WHERE caisse_id = $1 AND period = $2 AND member_id = $3`, [caisseId, period, memberId]);
    return statusOf(memberId, period, due, paid, Boolean(w));
  }

  async memberContributions(caisseId: string, period: string): Promise<MemberContribution[]> {
    const paid = await this.paidByMember(caisseId, period);
    return [...paid.entries()].map(([memberId, amount]) => ({ memberId, period, amount }));
  }

  @Transactional()
  async waive(caisseId: string, memberId: string, dto: WaiverInputDto): Promise<MemberContributionStatus> {
    const active = (await this.members.activeInPeriod(caisseId, dto.period, memberId)).some((h) => h.memberId === memberId);
    if (!active) throw new ValidationFailed({ memberId: [`the member is not active in ${dto.period}`] });
    await this.txHost.tx.query(
      `INSERT INTO contribution_waivers (caisse_id, member_id, period, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (caisse_id, member_id, period) DO UPDATE SET reason = EXCLUDED.reason`,
      [caisseId, memberId, dto.period, dto.reason],
    );
    await this.audit.record({ caisseId, action: 'contributions.waived', targetType: 'member', targetId: memberId, after: dto });
    return this.statusOfMember(caisseId, memberId, dto.period);
  }

  /** A grid without a declared income has no due amount: counted as 0 due rather than blocking the whole list. */
  private async dueOrNull(caisseId: string, memberId: string, period: string, household: PeriodHousehold): Promise<string> {
    try {
      return (await this.quote(caisseId, memberId, period, undefined, household)).amount;
    } catch (e) {
      if (e instanceof QuoteNotComputable) return '0.00';
      throw e;
    }
  }

  private async paidByMember(caisseId: string, period: string, memberId?: string): Promise<Map<string, string>> {
    const rows: { member_id: string; paid: string }[] = await this.txHost.tx.query(
      `SELECT member_id, sum(amount)::text AS paid FROM contributions
        WHERE caisse_id = $1 AND period = $2 AND member_id IS NOT NULL AND reversed_at IS NULL AND ($3::uuid IS NULL OR member_id = $3)
        GROUP BY member_id`,
      [caisseId, period, memberId ?? null],
    );
    return new Map(rows.map((r) => [r.member_id, formatMoney(r.paid)]));
  }
}

/** One rule for every reader of a month's status (one member, or the whole period at once in PeriodStatusesService). */
export function statusOf(memberId: string, period: string, due: string, paid: string, waived: boolean): MemberContributionStatus {
  const status: ContributionStatus = waived ? 'waived' : money(paid).greaterThanOrEqualTo(due) && money(paid).greaterThan(0) ? 'paid' : money(paid).greaterThan(0) ? 'partial' : 'due';
  return { memberId, period, status, due: formatMoney(due), paid };
}

/** A `.catch` for a month read before the caisse's first rule version: nothing is due then (undefined), not a 404. */
export function withoutRules(e: unknown): undefined {
  if (e instanceof DomainError && e.code === 'NO_RULES_IN_FORCE') return undefined;
  throw e;
}
