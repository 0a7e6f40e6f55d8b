import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { CaissesService } from '../caisses/caisses.service.js';
import type { RulesInForce } from '../caisses/dto/rules.types.js';
import { todayInFrance } from '../common/dates.js';
import { formatMoney, money } from '../common/money/money.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MembersService } from '../members/members.service.js';
import { childrenIn, daysInPeriod, expiryAmount, grossAmount, meanOfContributions, plannedTopUp, prorate, reduceProportionally } from './allocation-formulas.js';
import type { RunRow } from './allocation-run-row.js';
import type { LineStatus } from './dto/allocation-run.dto.js';
import { InsufficientFundsForRun, TopUpFundNotUsable } from './allocations.errors.js';

interface PlannedLine {
  memberId: string;
  wallet: string;
  status: LineStatus;
  activeDays: number;
  adults: number;
  under14: number;
  over14: number;
  contribution: Decimal | null;
  gross: Decimal;
  amount: Decimal;
  expire: Decimal;
}

const INSERT_CHUNK = 20_000;
const sum = (xs: Decimal[]) => xs.reduce((s, x) => s.plus(x), money(0));

/**
 * Computes every member's line of a run in one pass (roster, contributions, gate, balances, funds are each read
 * once, set-based) and stores them, or fails the run with the solvency figures before anything is posted.
 */
@Injectable()
export class AllocationPlanner {
  constructor(
    readonly txHost: TransactionHost,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
    private readonly contributions: ContributionsService,
    private readonly ledger: LedgerService,
  ) {}

  /** Runs inside the caller's transaction, with the run row locked. Returns false when the run failed on funds. */
  async plan(run: RunRow): Promise<boolean> {
    const { caisse_id: caisseId, period } = run;
    const start = `${period}-01`;
    const rules = await this.caisses.rulesInForce(caisseId, start);
    if (rules.allocation.formula === 'top-up' && rules.allocation.fund !== undefined) {
      const usable = await this.contributions.allocationFunds(caisseId);
      // Thrown: the runner fails the run with this reason before anything is planned.
      if (!usable.includes(rules.allocation.fund)) throw new TopUpFundNotUsable(rules.allocation.fund, usable);
    }
    const households = await this.members.activeInPeriod(caisseId, period);
    const days = daysInPeriod(period);
    const paid = await this.contributionsByMember(caisseId, period, rules);
    const gatePassed = rules.gate.requireContribution
      ? new Set((await this.contributions.statusesForPeriod(caisseId, period)).filter((s) => s.status === 'paid' || s.status === 'waived').map((s) => s.memberId))
      : undefined;
    const balances = rules.rollover.mode === 'rollover' ? new Map<string, Decimal>() : await this.ledger.available(caisseId, households.map((h) => h.walletAccount));
    const mean = meanOfContributions(sum([...(paid?.values() ?? [])]), households.length);
    const dry = run.kind === 'dry-run';

    const lines: PlannedLine[] = households.map((h) => {
      const children = childrenIn(h.childrenBirthYears, period);
      const contribution = paid ? (paid.get(h.memberId) ?? money(0)) : null;
      const facts = { adults: h.adults, childrenUnder14: children.under14, children14AndOver: children.aged14AndOver, contribution: contribution ?? money(0) };
      const gross = grossAmount(rules.allocation, facts, mean);
      const amount = prorate(gross, h.activeDays, days);
      const status: LineStatus = amount.isZero() ? 'zero' : gatePassed && !gatePassed.has(h.memberId) ? 'skipped-gate' : dry ? 'planned' : 'pending';
      const expire = expiryAmount(rules.rollover, balances.get(h.walletAccount) ?? money(0), gross);
      return { memberId: h.memberId, wallet: h.walletAccount, status, activeDays: h.activeDays, adults: h.adults, under14: children.under14, over14: children.aged14AndOver, contribution, gross, amount, expire };
    });

    const toCredit = lines.filter((l) => l.status === 'pending' || l.status === 'planned');
    const funds = await this.contributions.availableForAllocations(caisseId, start > todayInFrance() ? start : todayInFrance());
    // What expires before crediting stops being owed to members, so it pays this month's allocations.
    const available = money(funds.available).plus(sum(lines.map((l) => l.expire)));
    const needed = sum(toCredit.map((l) => l.amount));
    let percent: Decimal | null = null;
    if (needed.gt(available)) {
      const reduced = rules.allocation.whenShort === 'reduce' ? reduceProportionally(toCredit.map((l) => l.amount), available) : undefined;
      if (!reduced) return this.failOnFunds(run, needed, available);
      percent = reduced.percent;
      toCredit.forEach((l, i) => (l.amount = reduced.amounts[i]));
    }
    const fund = await this.fundFor(caisseId);
    await this.insertLines(run, lines, rules, fund);
    const expiring = rules.rollover.mode !== 'rollover';
    const done = dry ? lines.length : lines.filter((l) => l.status !== 'pending' && !expiring).length;
    await this.txHost.tx.query(
      `UPDATE allocation_runs SET planned_at = now(), updated_at = now(), rule_version_id = $2, rules = $3, fund = $4, days_in_period = $5,
              reduction_percent = $6, needed = $7, available = $8, total_lines = $9, done_lines = $10, skipped_members = $11,
              credited_members = $12, credited_amount = $13, expired_amount = $14
        WHERE id = $1`,
      [
        run.id,
        rules.id,
        JSON.stringify({ allocation: rules.allocation, rollover: rules.rollover, gate: rules.gate, effectiveFrom: rules.effectiveFrom }),
        fund,
        days,
        percent === null ? null : percent.toFixed(4),
        formatMoney(needed),
        formatMoney(available),
        lines.length,
        done,
        lines.filter((l) => l.status === 'skipped-gate').length,
        dry ? toCredit.length : 0,
        dry ? formatMoney(sum(toCredit.map((l) => l.amount))) : '0.00',
        dry ? formatMoney(sum(lines.map((l) => l.expire))) : '0.00',
      ],
    );
    return true;
  }

  /** The 6571 lines consume the fund earmarked for allocations when the caisse keeps one, else unrestricted money. */
  async fundFor(caisseId: string): Promise<string | null> {
    const usable = await this.contributions.allocationFunds(caisseId);
    return usable.includes('allocations') ? 'allocations' : (usable.find((f) => f !== null) ?? null);
  }

  private async contributionsByMember(caisseId: string, period: string, rules: RulesInForce): Promise<Map<string, Decimal> | undefined> {
    if (rules.allocation.formula !== 'mean-of-contributions' && rules.allocation.formula !== 'top-up') return undefined;
    return new Map((await this.contributions.memberContributions(caisseId, period)).map((c) => [c.memberId, money(c.amount)]));
  }

  private async failOnFunds(run: RunRow, needed: Decimal, available: Decimal): Promise<false> {
    const e = new InsufficientFundsForRun(formatMoney(needed), formatMoney(available), formatMoney(needed.minus(available)));
    await this.txHost.tx.query(
      `UPDATE allocation_runs SET status = 'failed', finished_at = now(), updated_at = now(), needed = $2, available = $3, errors = $4 WHERE id = $1`,
      [run.id, e.needed, e.available, JSON.stringify([{ code: e.code, message: e.message }])],
    );
    return false;
  }

  private async insertLines(run: RunRow, lines: PlannedLine[], rules: RulesInForce, fund: string | null): Promise<void> {
    const expiring = rules.rollover.mode !== 'rollover' && run.kind === 'regular';
    for (let from = 0; from < lines.length; from += INSERT_CHUNK) {
      const part = lines.slice(from, from + INSERT_CHUNK);
      // One JSON document per slice: parsed by PostgreSQL at C speed, where fifteen escaped arrays cost more than the insert.
      const rows = part.map((l, i) => {
        // Split now, on the final (possibly reduced) amount: chunks do not rewrite lines, so the line carries it from the start.
        // Only lines to credit: a dry run shows no top-up, as a line not (yet) credited does not.
        const topUp = l.status === 'pending' ? plannedTopUp(rules.allocation, fund, l.amount, l.contribution) : { topUp: money(0), fund: null };
        return {
        s: from + i + 1,
        m: l.memberId,
        w: l.wallet,
        st: l.status,
        t: l.status === 'pending' || expiring,
        d: l.activeDays,
        a: l.adults,
        u: l.under14,
        o: l.over14,
        c: l.contribution === null ? null : l.contribution.toFixed(2),
        g: l.gross.toFixed(2),
        am: l.amount.toFixed(2),
        e: l.expire.toFixed(2),
        tu: topUp.topUp.toFixed(2),
        tf: topUp.fund,
      };
      });
      await this.txHost.tx.query(
        `INSERT INTO allocation_run_lines (run_id, caisse_id, seq, member_id, wallet_account, status, todo, active_days, adults, children_under14,
                                           children_14_and_over, contribution, gross, amount, expire_planned, top_up, top_up_fund)
         SELECT $1, $2, x.s, x.m, x.w, x.st, x.t, x.d, x.a, x.u, x.o, x.c, x.g, x.am, x.e, x.tu, x.tf
           FROM json_to_recordset($3::json) AS x(s int, m uuid, w text, st text, t bool, d smallint, a smallint, u smallint, o smallint,
                                                 c numeric, g numeric, am numeric, e numeric, tu numeric, tf text)`,
        [run.id, run.caisse_id, JSON.stringify(rows)],
      );
    }
  }
}
