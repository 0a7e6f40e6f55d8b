import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { HOLDING_ACCOUNT, type PostingLineInput } from '../ledger/ledger.types.js';
import { MembersService } from '../members/members.service.js';
import { allocationOf } from './contribution-quote.js';
import { GrantTrancheExpected } from './contributions.errors.js';
import { CONTRIBUTION_SELECT, type ContributionRow, toContributionDto } from './contribution-rows.js';
import { ContributorsService } from './contributors.service.js';
import type { ContributionDto, RecordContributionDto } from './dto/contribution.dto.js';
import { FundsService } from './funds.service.js';
import { GrantsService } from './grants.service.js';
import { MonthGiftsService } from './month-gifts.service.js';

/** Income account of a contributor's payment (accounting.md "Posting of each event"). */
const INCOME_BY_KIND = { employer: '7551', foundation: '7551', company: '7542', individual: '7541' } as const;

/** Records money received from members and contributors: one contribution row and its COT entry, together. */
@Injectable()
export class ContributionRecorder {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly caisses: CaissesService,
    private readonly members: MembersService,
    private readonly contributors: ContributorsService,
    private readonly funds: FundsService,
    private readonly grants: GrantsService,
    private readonly monthGifts: MonthGiftsService,
  ) {}

  /**
   * `calledOn`: a direct-debit call — the dues are called on that day (D 411<member>) and reach 512 only when the
   * bank settles the batch.
   */
  @Transactional()
  async record(caisseId: string, dto: RecordContributionDto, opts: { calledOn?: string } = {}): Promise<ContributionDto> {
    if ((dto.memberId === undefined) === (dto.contributorId === undefined)) {
      throw new ValidationFailed({ memberId: ['give exactly one of memberId or contributorId'] });
    }
    const fund = await this.funds.assertExists(caisseId, dto.fund, 'fund');
    if (dto.period !== undefined) await this.ledger.assertPeriod(caisseId, dto.period, 'period');
    return dto.memberId !== undefined ? this.recordMember(caisseId, dto.memberId, dto, fund, opts.calledOn) : this.recordContributor(caisseId, dto.contributorId!, dto, fund);
  }

  private async recordMember(caisseId: string, memberId: string, dto: RecordContributionDto, fund: string | null, calledOn?: string): Promise<ContributionDto> {
    if (dto.period === undefined) throw new ValidationFailed({ period: ['period (YYYY-MM) is required for a member contribution'] });
    const period = dto.period;
    const household = (await this.members.activeInPeriod(caisseId, period, memberId)).find((m) => m.memberId === memberId);
    if (!household) throw new ValidationFailed({ memberId: [`the member is not active in ${period}`] });
    const threshold = await this.monthGifts.lock(caisseId, memberId, period, () => this.giftThreshold(caisseId, period, household));
    // The month is locked: the payments already recorded are final for this computation, whoever records next.
    await this.monthGifts.realign(caisseId, memberId, period, threshold, dto.receivedOn, 'mise en cohérence du mois');
    const gift = await this.monthGifts.giftOfNewPayment(caisseId, memberId, period, threshold, dto.amount);
    const dues = money(dto.amount).minus(gift);
    const debit = calledOn ? await this.ledger.ensureAuxAccount({ caisseId, number: '411', aux: household.pseudonym, label: `Adhérent ${household.pseudonym}` }) : await this.receivingAccount(caisseId, dto);
    const lines: PostingLineInput[] = [{ account: debit, debit: formatMoney(dto.amount), fund: fund ?? undefined }];
    if (dues.greaterThan(0)) lines.push({ account: '756', credit: formatMoney(dues), fund: fund ?? undefined });
    if (gift.greaterThan(0)) lines.push({ account: '7541', credit: formatMoney(gift), fund: fund ?? undefined });
    return this.write(caisseId, dto, { memberId, contributorId: null, period, gift: formatMoney(gift), fund, income: gift.greaterThan(0) ? '756+7541' : '756' }, lines, `Cotisation ${period} ${household.pseudonym}`, calledOn);
  }

  private async recordContributor(caisseId: string, contributorId: string, dto: RecordContributionDto, fund: string | null): Promise<ContributionDto> {
    const contributor = await this.contributors.get(caisseId, contributorId).catch((e: unknown) => {
      if (e instanceof NotFound) throw new ValidationFailed({ contributorId: ['no such contributor in this caisse'] });
      throw e;
    });
    if (contributor.kind === 'public-funder') await this.assertNotATranche(caisseId, contributor.id, dto);
    const income =
      contributor.kind === 'public-funder'
        ? await this.ledger.ensureAuxAccount({ caisseId, number: '741', aux: contributor.number, label: this.contributors.accountLabel(contributor) })
        : INCOME_BY_KIND[contributor.kind];
    const lines: PostingLineInput[] = [
      { account: await this.receivingAccount(caisseId, dto), debit: formatMoney(dto.amount), fund: fund ?? undefined },
      { account: income, credit: formatMoney(dto.amount), fund: fund ?? undefined },
    ];
    return this.write(caisseId, dto, { memberId: null, contributorId, period: dto.period ?? null, gift: '0.00', fund, income }, lines, `Contribution ${contributor.number}`);
  }

  /** The allocation of the member's month when the rule books the excess as a gift and the allocation is known ahead. */
  private async giftThreshold(caisseId: string, period: string, h: { adults: number; children14AndOver: number; childrenUnder14: number }): Promise<Decimal | null> {
    const rules = await this.caisses.rulesInForce(caisseId, `${period}-01`);
    if (rules.contribution.excessAsGift !== true) return null;
    return allocationOf(rules.allocation, h.adults + h.children14AndOver, h.childrenUnder14);
  }

  /**
   * A public funder's payment while one of its grants still waits for money is that grant's tranche (D 512 / C 441):
   * crediting 741 again would count the grant's income twice. Recording it as a plain contribution takes an
   * explicit `notATranche` with a reason, kept in the audit log.
   */
  private async assertNotATranche(caisseId: string, contributorId: string, dto: RecordContributionDto): Promise<void> {
    if (dto.notATranche === true) {
      if (!dto.reason?.trim()) throw new ValidationFailed({ reason: ['say why this payment is not a tranche of the open grant'] });
      return;
    }
    const open = await this.grants.openOf(caisseId, contributorId);
    if (open) throw new GrantTrancheExpected(caisseId, open);
  }

  /** accounting.md: cash waits in the till (530) and cheques in the drawer (5112) until deposited; the rest reaches a 512x. */
  private async receivingAccount(caisseId: string, dto: RecordContributionDto): Promise<string> {
    const holding = HOLDING_ACCOUNT[dto.method as keyof typeof HOLDING_ACCOUNT];
    if (holding) {
      if (dto.bankAccount !== undefined) throw new ValidationFailed({ bankAccount: [`a ${dto.method} payment is held in ${holding} until it is deposited (…/deposits names the bank account)`] });
      return holding;
    }
    return (await this.ledger.bankAccount(caisseId, dto.bankAccount)).account;
  }

  private async write(
    caisseId: string,
    dto: RecordContributionDto,
    p: { memberId: string | null; contributorId: string | null; period: string | null; gift: string; fund: string | null; income: string },
    lines: PostingLineInput[],
    label: string,
    date = dto.receivedOn,
  ): Promise<ContributionDto> {
    const id = randomUUID();
    const override = dto.notATranche === true ? { notATranche: true, reason: dto.reason?.trim() } : {};
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'COT',
      date,
      label,
      pieceRef: `COT-${id}`,
      idempotencyKey: `contribution:${id}`,
      lines,
      fields: { date: 'receivedOn', amount: 'amount' },
    });
    await this.txHost.tx.query(
      // clock_timestamp, not the transaction start: payments of a month are ordered as they were recorded under its lock.
      `INSERT INTO contributions (id, caisse_id, member_id, contributor_id, period, amount, gift_part, method, received_on, fund, income_account, entry_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, clock_timestamp())`,
      [id, caisseId, p.memberId, p.contributorId, p.period, formatMoney(dto.amount), p.gift, dto.method, dto.receivedOn, p.fund, p.income, entry.id],
    );
    const contribution = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.recorded', targetType: 'contribution', targetId: id, after: { ...contribution, ...override } });
    return contribution;
  }

  async get(caisseId: string, id: string): Promise<ContributionDto> {
    const rows: ContributionRow[] = await this.txHost.tx.query(`${CONTRIBUTION_SELECT} WHERE caisse_id = $1 AND id = $2`, [caisseId, id]);
    if (!rows[0]) throw new NotFound('Contribution', id);
    return toContributionDto(rows[0]);
  }

  /** At most 1000 rows, newest first: a month or a payer's history, not an export. */
  async list(caisseId: string, q: { period?: string; memberId?: string; contributorId?: string }): Promise<ContributionDto[]> {
    const rows: ContributionRow[] = await this.txHost.tx.query(
      `${CONTRIBUTION_SELECT} WHERE caisse_id = $1 AND ($2::text IS NULL OR period = $2) AND ($3::uuid IS NULL OR member_id = $3)
         AND ($4::uuid IS NULL OR contributor_id = $4) ORDER BY received_on DESC, created_at DESC LIMIT 1000`,
      [caisseId, q.period ?? null, q.memberId ?? null, q.contributorId ?? null],
    );
    return rows.map(toContributionDto);
  }

  /**
   * A returned direct debit or a bounced cheque: the reversing entry references the original; the row says why.
   * A member payment's month is locked first (as a payment locks it), then its gift part is realigned on what is left.
   */
  @Transactional()
  async reverse(caisseId: string, id: string, reason: string, date = todayInFrance()): Promise<ContributionDto> {
    const seen = await this.get(caisseId, id);
    // The household is looked up only when the month has no row yet (recorded before months were kept).
    const firstThreshold = async () => {
      const h = (await this.members.activeInPeriod(caisseId, seen.period!, seen.memberId!)).find((m) => m.memberId === seen.memberId);
      return h ? this.giftThreshold(caisseId, seen.period!, h) : null;
    };
    const threshold = seen.memberId && seen.period ? await this.monthGifts.lock(caisseId, seen.memberId, seen.period, firstThreshold) : null;
    const rows: ContributionRow[] = await this.txHost.tx.query(`${CONTRIBUTION_SELECT} WHERE caisse_id = $1 AND id = $2 FOR UPDATE`, [caisseId, id]);
    if (rows[0].reversed_at) throw new Conflict('ALREADY_REVERSED', 'This contribution was already reversed.');
    const { entry } = await this.ledger.reverse(caisseId, rows[0].entry_id, reason, { date });
    await this.txHost.tx.query(`UPDATE contributions SET reversed_at = now(), reversal_entry_id = $2, reversal_reason = $3 WHERE id = $1`, [id, entry.id, reason]);
    const realigned = seen.memberId && seen.period ? await this.monthGifts.realign(caisseId, seen.memberId, seen.period, threshold, date, `retour ${seen.amount}`) : null;
    const after = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.reversed', targetType: 'contribution', targetId: id, before: toContributionDto(rows[0]), after: { ...after, giftRealignEntryId: realigned } });
    return after;
  }
}
