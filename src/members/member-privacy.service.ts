import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { MemberDto } from './dto/member.dto.js';
import type { MemberExportDto } from './dto/export.dto.js';
import { MemberCard } from './entities/member-card.entity.js';
import { Member } from './entities/member.entity.js';
import { MemberCardsService } from './member-cards.service.js';
import { MemberRegistry } from './member-registry.service.js';
import { toCardDto } from './member-view.js';
import { MemberWalletService } from './member-wallet.service.js';
import { WalletNotEmpty } from './members.errors.js';

/** GDPR: a member's right of access (export) and to erasure (pseudonymisation; the books keep only the pseudonym). */
@Injectable()
export class MemberPrivacyService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly registry: MemberRegistry,
    private readonly cards: MemberCardsService,
    private readonly wallets: MemberWalletService,
  ) {}

  /** Everything held about the member, in one JSON document (read in one transaction, so it is consistent). */
  @Transactional('REPEATABLE READ')
  async export(caisseId: string, memberId: string): Promise<MemberExportDto> {
    const member = await this.registry.get(caisseId, memberId, 'staff');
    const cards = await this.txHost.tx.getRepository(MemberCard).find({ where: { caisseId, memberId }, order: { issuedAt: 'ASC', id: 'ASC' } });
    const draws: { draw_id: string; label: string; outcome: string | null; rank: number | null; promoted_at: Date | null; stratum: Record<string, string> }[] =
      await this.txHost.tx.query(
        `SELECT e.draw_id, d.label, e.outcome, e.rank, e.promoted_at, e.stratum
           FROM enrolment_draw_entries e JOIN enrolment_draws d ON d.id = e.draw_id
          WHERE e.member_id = $1 AND e.caisse_id = $2 ORDER BY d.committed_at`,
        [memberId, caisseId],
      );
    const account = member.walletAccount;
    return {
      exportedAt: new Date().toISOString(),
      member,
      cards: cards.map(toCardDto),
      enrolmentDraws: draws.map((d) => ({ drawId: d.draw_id, label: d.label, outcome: d.outcome, rank: d.rank, promotedAt: d.promoted_at?.toISOString() ?? null, stratum: d.stratum })),
      wallet: {
        account,
        balance: account ? await this.wallets.balance(caisseId, account) : '0.00',
        movements: account ? await this.wallets.allMovements(caisseId, account) : [],
      },
    };
  }

  /**
   * Replaces the personal data with the pseudonym and keeps the row, its dated history and the books untouched
   * (they only ever held the pseudonym). Refused while the wallet holds money: no caisse rule says yet how to settle
   * it, so it must first be spent, expired or corrected through the ledger.
   */
  @Transactional()
  async erase(caisseId: string, memberId: string): Promise<MemberDto> {
    const member = await this.registry.lockMember(caisseId, memberId);
    if (member.walletAccount) {
      const balance = await this.wallets.balance(caisseId, member.walletAccount);
      if (!money(balance).isZero()) throw new WalletNotEmpty(member.walletAccount, balance);
    }
    if (member.status !== 'left') await this.registry.changeStatus(member, 'left', todayInFrance(), null, { clampDate: true });
    await this.cards.retire(memberId, 'member data erased', true);
    await this.txHost.tx.getRepository(Member).update(
      { id: memberId },
      {
        firstName: 'Adhérent',
        lastName: member.pseudonym,
        birthYear: null,
        email: null,
        phone: null,
        address: null,
        childrenBirthYears: [],
        monthlyIncome: null,
        incomeDeclaredOn: null,
        userId: null,
        erasedAt: new Date(),
        updatedAt: new Date(),
      },
    );
    // Free-text reasons may name people or places; the statuses and dates stay (they are what allocations relied on).
    await this.txHost.tx.query(`UPDATE member_status_history SET reason = NULL WHERE member_id = $1 AND reason IS NOT NULL`, [memberId]);
    // The stored replay of the creation request held the names: keep only the fact that it happened.
    await this.txHost.tx.query(
      `UPDATE idempotency_keys SET response_body = jsonb_build_object('id', response_body->>'id', 'erased', true)
        WHERE caisse_id = $1 AND scope = 'members.create' AND response_body->>'id' = $2`,
      [caisseId, memberId],
    );
    await this.audit.record({ caisseId, action: 'member.erased', targetType: 'member', targetId: memberId, after: { number: member.pseudonym } });
    return this.registry.get(caisseId, memberId, 'staff');
  }
}
