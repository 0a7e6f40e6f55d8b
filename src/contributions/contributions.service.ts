import { Injectable } from '@nestjs/common';
import { ContributionReportReads } from './contribution-report-reads.service.js';
import type { AvailableForAllocations, GrantWithFunder, MemberContribution, MemberContributionStatus, PendingDirectDebitBatch, ReceiptsBetween, TopUpCharge, TopUpMonth } from './contributions.types.js';
import { DirectDebitSettlements } from './direct-debit-settlements.service.js';
import { FundsService } from './funds.service.js';
import { MemberDuesService } from './member-dues.service.js';
import { PeriodStatusesService } from './period-statuses.service.js';

/**
 * Facade of the contributions module for the modules above it (allocations, reporting): what members paid, whether
 * each one's month is settled (the allocation gate), and how much money may pay allocations.
 */
@Injectable()
export class ContributionsService {
  constructor(
    private readonly dues: MemberDuesService,
    private readonly funds: FundsService,
    private readonly periods: PeriodStatusesService,
    private readonly reports: ContributionReportReads,
    private readonly directDebits: DirectDebitSettlements,
  ) {}

  /** Direct-debit batches of a bank account the bank has not credited yet (built or sent): what a statement line may settle. */
  pendingDirectDebitBatches(caisseId: string, bankAccount: string): Promise<PendingDirectDebitBatch[]> {
    return this.directDebits.pending(caisseId, bankAccount);
  }

  /**
   * Settles a batch because the bank statement shows its credit (D 512x / C 411 per member, dated `settledOn`), in the
   * caller's transaction; returns the settlement entry, whose 512x line the caller letters.
   */
  settleDirectDebitBatch(caisseId: string, batchId: string, settledOn: string): Promise<string | null> {
    return this.directDebits.settleFromBank(caisseId, batchId, settledOn);
  }

  /** Every member active in the period (YYYY-MM) → due, paid, partial or waived, with the amounts. */
  statusFor(caisseId: string, period: string): Promise<MemberContributionStatus[]> {
    return this.dues.statusFor(caisseId, period);
  }

  /**
   * The same statuses as statusFor, read set-based (a fixed number of statements for any number of members): what
   * the allocation gate and its catch-up use on whole runs.
   */
  statusesForPeriod(caisseId: string, period: string): Promise<MemberContributionStatus[]> {
    return this.periods.statusesFor(caisseId, period);
  }

  /** Recorded, not reversed member contributions of the period, summed per member (mean-of-contributions, top-up). */
  memberContributions(caisseId: string, period: string): Promise<MemberContribution[]> {
    return this.dues.memberContributions(caisseId, period);
  }

  /**
   * Funds an allocation run may charge its 6571 lines to (null = unrestricted money). Any other fund is restricted
   * to its own use: allocations must refuse to post against it.
   */
  allocationFunds(caisseId: string): Promise<(string | null)[]> {
    return this.funds.allocationFunds(caisseId);
  }

  /**
   * Records the top-up parts of a period's allocations (in the caller's transaction, beside their ledger entries),
   * so the fund figures show per month what each funder's money topped up. A replayed allocation records nothing twice.
   */
  recordTopUps(caisseId: string, period: string, charges: TopUpCharge[]): Promise<void> {
    return this.funds.recordTopUps(caisseId, period, charges);
  }

  /** Cash + receivables of unrestricted and allocation funds − commitments, at a date (YYYY-MM-DD). */
  availableForAllocations(caisseId: string, at: string): Promise<AvailableForAllocations> {
    return this.funds.availableForAllocations(caisseId, at);
  }

  /** Grant agreements with their funder (name, kind), notified and received amounts: the funder report's rows. */
  grantsWithFunders(caisseId: string): Promise<GrantWithFunder[]> {
    return this.reports.grantsWithFunders(caisseId);
  }

  /** Member contributions of the months fromPeriod..toPeriod (YYYY-MM), per member and month, reversals excluded. */
  memberContributionsBetween(caisseId: string, fromPeriod: string, toPeriod: string): Promise<MemberContribution[]> {
    return this.reports.memberContributions(caisseId, fromPeriod, toPeriod);
  }

  /**
   * Money received in [from, to] (dates), from members and from funders: the runway's pace. `funds` narrows the
   * funders' part to those funds (null in the list: unrestricted money), e.g. the ones allocations may use.
   */
  receiptsBetween(caisseId: string, from: string, to: string, funds?: (string | null)[]): Promise<ReceiptsBetween> {
    return this.reports.receiptsBetween(caisseId, from, to, funds);
  }

  /** Top-up totals per fund and month (Savoie model) for the months fromPeriod..toPeriod. */
  topUpsBetween(caisseId: string, fromPeriod: string, toPeriod: string): Promise<TopUpMonth[]> {
    return this.reports.topUps(caisseId, fromPeriod, toPeriod);
  }
}
