import { formatMoney, money } from '../common/money/money.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { LineRow, RunRow } from './allocation-run-row.js';
import { allocationKey, expiryKey } from './allocation-poster.service.js';

/**
 * Chunks no longer rewrite their lines: a pending line of a regular run is credited when the ledger holds the entry
 * under its allocation key, and its expiry is the entry under its expiry key — the same keys that make a second credit
 * impossible, so the lines endpoint shows exactly what the books hold. Lines posted before that change kept their
 * stored status, entry ids and expired amount, which win. The top-up split, planned on the line, shows once credited.
 */
export async function withLedgerOutcome(run: RunRow, rows: LineRow[], ledger: LedgerService): Promise<LineRow[]> {
  if (run.kind !== 'regular' || !rows.length) return rows;
  const expiring = (run.rules as { rollover?: { mode: string } } | null)?.rollover?.mode !== 'rollover';
  const keys = rows.flatMap((l) => [
    ...(l.status === 'pending' ? [allocationKey(run.period, l.member_id)] : []),
    ...(expiring && l.expire_entry_id === null ? [expiryKey(run.period, l.member_id)] : []),
  ]);
  const found = await ledger.entriesByKey(run.caisse_id, keys);
  return rows.map((l) => {
    const credit = l.status === 'pending' ? found.get(allocationKey(run.period, l.member_id)) : undefined;
    const expiry = l.expire_entry_id === null ? found.get(expiryKey(run.period, l.member_id)) : undefined;
    const status = credit ? 'credited' : l.status;
    return {
      ...l,
      status,
      // The top-up split is planned with the line; it is a charge to its fund only once the line is credited.
      ...(status === 'credited' ? {} : { top_up: '0.00', top_up_fund: null }),
      entry_id: l.entry_id ?? credit?.id ?? null,
      expire_entry_id: l.expire_entry_id ?? expiry?.id ?? null,
      expired: expiry ? formatMoney(money(l.expired).plus(expiry.total)) : l.expired,
    };
  });
}

/**
 * Narrows the scan for a status filter before the ledger has its say: lines up to posted_seq went through a committed
 * chunk (pending there means credited, unless refused), lines after it did not.
 */
export function storedStatusFilter(status: string | undefined): { statuses: string[] | null; posted: 'done' | 'todo' | null } {
  if (status === 'credited') return { statuses: ['credited', 'pending'], posted: 'done' };
  if (status === 'pending') return { statuses: ['pending'], posted: 'todo' };
  return { statuses: status ? [status] : null, posted: null };
}
