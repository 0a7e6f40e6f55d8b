import { money } from '../common/money/money.js';
import type { WalletMovementDto } from './dto/wallet.dto.js';

/** The fields of a ledger line (LedgerService.accountLines) the wallet view needs. */
export interface WalletLine {
  entryId: string;
  journal: string;
  date: string;
  label: string;
  pieceRef: string;
  debit: string;
  credit: string;
  counterparts: { account: string; label: string }[];
}

export type WalletSection = 'allocations' | 'purchases' | 'refunds' | 'expiries' | 'corrections';

/**
 * Sorts a wallet line the way a member reads a statement (see domain/accounting.md for the postings):
 * ALL credit = allocation; ACH debit = purchase, ACH credit = refund (the outlet is the 401 counterpart);
 * OD debit against 6571 = expiry; anything else (reversed allocation, manual correction, opening balance) = correction.
 */
export function classify(line: WalletLine): { section: WalletSection; movement: WalletMovementDto } {
  const out = money(line.debit).greaterThan(0);
  const outlet = line.counterparts.find((c) => c.account.startsWith('401-'));
  const movement: WalletMovementDto = {
    entryId: line.entryId,
    date: line.date,
    journal: line.journal,
    label: line.label,
    pieceRef: line.pieceRef,
    amount: out ? line.debit : line.credit,
    direction: out ? 'out' : 'in',
    outlet: outlet ? { account: outlet.account, name: outlet.label } : null,
  };
  let section: WalletSection = 'corrections';
  if (line.journal === 'ALL' && !out) section = 'allocations';
  else if (line.journal === 'ACH') section = out ? 'purchases' : 'refunds';
  else if (line.journal === 'OD' && out && line.counterparts.some((c) => c.account === '6571')) section = 'expiries';
  return { section, movement };
}
