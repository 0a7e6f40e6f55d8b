import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { WalletDto, WalletMovementDto } from './dto/wallet.dto.js';
import { Member } from './entities/member.entity.js';
import { MemberNotFound } from './members.errors.js';
import { classify } from './wallet-classifier.js';

/** A member's statement, read from the books: the ledger is the only truth about money, the members module adds labels. */
@Injectable()
export class MemberWalletService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  async wallet(caisseId: string, memberId: string, query: { cursor?: string; limit?: number }): Promise<WalletDto> {
    const account = await this.accountOf(caisseId, memberId);
    const view: WalletDto = { memberId, account, balance: '0.00', allocations: [], purchases: [], refunds: [], expiries: [], corrections: [], nextCursor: null };
    if (!account) return view;
    view.balance = await this.balance(caisseId, account);
    const page = await this.ledger.accountLines(caisseId, account, { cursor: query.cursor, limit: query.limit ?? 100 });
    for (const line of page.items) {
      const { section, movement } = classify(line);
      view[section].push(movement);
    }
    view.nextCursor = page.nextCursor;
    return view;
  }

  /** Every movement, oldest first (for the GDPR export). */
  async allMovements(caisseId: string, account: string): Promise<WalletMovementDto[]> {
    const out: WalletMovementDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledger.accountLines(caisseId, account, { cursor, limit: 200 });
      out.push(...page.items.map((l) => classify(l).movement));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  async balanceOf(caisseId: string, memberId: string): Promise<string> {
    const account = await this.accountOf(caisseId, memberId);
    return account ? this.balance(caisseId, account) : '0.00';
  }

  /** What the member can spend: the wallet is a liability, so credits minus debits (the ledger shows debits − credits). */
  async balance(caisseId: string, account: string): Promise<string> {
    const view = await this.ledger.account(caisseId, account);
    return formatMoney(money(view.credit).minus(view.debit));
  }

  private async accountOf(caisseId: string, memberId: string): Promise<string | null> {
    const member = await this.txHost.tx.getRepository(Member).findOne({ where: { id: memberId, caisseId }, select: { id: true, walletAccount: true } });
    if (!member) throw new MemberNotFound(memberId);
    return member.walletAccount;
  }
}
