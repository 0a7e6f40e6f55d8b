import { Injectable } from '@nestjs/common';
import { ContributionRecorder } from './contribution-recorder.service.js';
import { ContributionReportReads } from './contribution-report-reads.service.js';
import type {
  AvailableForAllocations,
  DirectDebitBatchSummary,
  GrantWithFunder,
  MemberContribution,
  MemberContributionStatus,
  MemberDirectDebits,
  PendingDirectDebitBatch,
  ReceiptsBetween,
  TopUpCharge,
  TopUpMonth,
} from './contributions.types.js';
import { ContributorsService } from './contributors.service.js';
import { DirectDebitReads } from './direct-debit-reads.service.js';
import { DirectDebitService } from './direct-debit.service.js';
import { DirectDebitSettlements } from './direct-debit-settlements.service.js';
import type { ContributionDto, RecordContributionDto, WaiverInputDto } from './dto/contribution.dto.js';
import type { ContributorDto, ContributorInputDto, ContributorUpdateDto } from './dto/contributor.dto.js';
import type { BatchDto, BatchInputDto, DirectDebitSettingsDto, DirectDebitSettingsInputDto, MandateInputDto, ReturnInputDto, SepaMandateDto, SettleInputDto } from './dto/direct-debit.dto.js';
import type { GrantDto, GrantInputDto, TrancheInputDto } from './dto/grant.dto.js';
import { FundsService } from './funds.service.js';
import { GrantsService } from './grants.service.js';
import { MandatesService } from './mandates.service.js';
import { MemberDuesService } from './member-dues.service.js';
import { PeriodStatusesService } from './period-statuses.service.js';
import { nextBusinessDay } from './target2.js';
import { withoutRules } from './member-dues.service.js';

/**
 * Facade of the contributions module for the modules above it (allocations, reporting, web): what members paid,
 * whether each one's month is settled (the allocation gate), how much money may pay allocations, and the treasurer's
 * contributors, grants and direct debits.
 */
@Injectable()
export class ContributionsService {
  constructor(
    private readonly dues: MemberDuesService,
    private readonly funds: FundsService,
    private readonly periods: PeriodStatusesService,
    private readonly reports: ContributionReportReads,
    private readonly directDebits: DirectDebitSettlements,
    private readonly contributors: ContributorsService,
    private readonly grants: GrantsService,
    private readonly recorder: ContributionRecorder,
    private readonly mandates: MandatesService,
    private readonly debits: DirectDebitService,
    private readonly debitReads: DirectDebitReads,
  ) {}

  listContributors(caisseId: string): Promise<ContributorDto[]> {
    return this.contributors.list(caisseId);
  }

  contributor(caisseId: string, id: string): Promise<ContributorDto> {
    return this.contributors.get(caisseId, id);
  }

  createContributor(caisseId: string, dto: ContributorInputDto): Promise<ContributorDto> {
    return this.contributors.create(caisseId, dto);
  }

  updateContributor(caisseId: string, id: string, dto: ContributorUpdateDto): Promise<ContributorDto> {
    return this.contributors.update(caisseId, id, dto);
  }

  /** Payments recorded from a contributor (outside grant tranches), newest first. */
  contributionsOfContributor(caisseId: string, contributorId: string): Promise<ContributionDto[]> {
    return this.recorder.list(caisseId, { contributorId });
  }

  listGrants(caisseId: string): Promise<GrantDto[]> {
    return this.grants.list(caisseId);
  }

  grant(caisseId: string, id: string): Promise<GrantDto> {
    return this.grants.get(caisseId, id);
  }

  /** Notified agreement posted to the ledger (D 441 / C 741 or D 4687 / C 7551). */
  createGrant(caisseId: string, dto: GrantInputDto): Promise<GrantDto> {
    return this.grants.create(caisseId, dto);
  }

  /** A tranche received (D 512 / C 441 or 4687), never more than what remains. */
  addGrantTranche(caisseId: string, grantId: string, dto: TrancheInputDto): Promise<GrantDto> {
    return this.grants.addTranche(caisseId, grantId, dto);
  }

  /** The fund catalogue (earmarks), defaults included. */
  async fundCatalogue(caisseId: string): Promise<{ code: string; label: string }[]> {
    return (await this.funds.catalogue(caisseId)).map((f) => ({ code: f.code, label: f.label }));
  }

  directDebitSettings(caisseId: string): Promise<DirectDebitSettingsDto | undefined> {
    return this.mandates.settings(caisseId);
  }

  /** Money received from a member for a month (or from a contributor), as the API's POST …/contributions. */
  recordContribution(caisseId: string, dto: RecordContributionDto): Promise<ContributionDto> {
    return this.recorder.record(caisseId, dto);
  }

  /** Waives a member's contribution for a month (the allocation gate then lets the allocation through), as the API does. */
  waiveContribution(caisseId: string, memberId: string, dto: WaiverInputDto): Promise<MemberContributionStatus> {
    return this.dues.waive(caisseId, memberId, dto);
  }

  /** The caisse's SEPA creditor identity (ICS, name, account credited), as the API's PUT …/direct-debit-settings. */
  configureDirectDebit(caisseId: string, dto: DirectDebitSettingsInputDto): Promise<DirectDebitSettingsDto> {
    return this.mandates.configure(caisseId, dto);
  }

  /** A member's signed SEPA mandate (replaces the member's previous one), as the API's POST …/mandates. */
  recordMandate(caisseId: string, dto: MandateInputDto): Promise<SepaMandateDto> {
    return this.mandates.create(caisseId, dto);
  }

  /** Active mandates, IBAN masked. */
  listMandates(caisseId: string): Promise<SepaMandateDto[]> {
    return this.mandates.list(caisseId);
  }

  /** The earliest collection date a batch built on `today` may ask for: the next TARGET2 business day. */
  earliestCollectionDate(today: string): string {
    return nextBusinessDay(today);
  }

  listDirectDebitBatches(caisseId: string): Promise<DirectDebitBatchSummary[]> {
    return this.debitReads.batches(caisseId);
  }

  directDebitBatch(caisseId: string, id: string): Promise<BatchDto> {
    return this.debits.get(caisseId, id);
  }

  /** Calls the dues of the month today and writes the pain.008 (see DirectDebitService.createBatch). */
  createDirectDebitBatch(caisseId: string, dto: BatchInputDto): Promise<BatchDto> {
    return this.debits.createBatch(caisseId, dto);
  }

  directDebitFile(caisseId: string, id: string): Promise<{ messageId: string; xml: string }> {
    return this.debits.xml(caisseId, id);
  }

  recordDirectDebitReturn(caisseId: string, batchId: string, dto: ReturnInputDto): Promise<BatchDto> {
    return this.debits.recordReturn(caisseId, batchId, dto);
  }

  markDirectDebitBatchSent(caisseId: string, batchId: string): Promise<void> {
    return this.directDebits.markSent(caisseId, batchId);
  }

  /** The treasurer records the bank's credit of a batch by hand (the API's …/settle): D 512x / C 411 on that day. */
  confirmDirectDebitBatchSettled(caisseId: string, batchId: string, dto: SettleInputDto): Promise<void> {
    return this.directDebits.settle(caisseId, batchId, dto);
  }

  /** Cancels a batch not yet sent to the bank (the API's …/cancel): its calls are reversed. */
  cancelDirectDebitBatch(caisseId: string, batchId: string): Promise<void> {
    return this.directDebits.cancel(caisseId, batchId);
  }

  /** A member's contribution status for each month asked (YYYY-MM); a month before the caisse's first rules has none. */
  async memberStatuses(caisseId: string, memberId: string, periods: string[]): Promise<MemberContributionStatus[]> {
    const out: MemberContributionStatus[] = [];
    for (const period of periods) {
      const status = await this.dues.statusOfMember(caisseId, memberId, period).catch(withoutRules);
      if (status) out.push(status);
    }
    return out;
  }

  /** A member's mandate and the debits to come: built batches, then an estimate of the next one (DirectDebitReads). */
  memberDirectDebits(caisseId: string, memberId: string): Promise<MemberDirectDebits> {
    return this.debitReads.forMember(caisseId, memberId);
  }

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
