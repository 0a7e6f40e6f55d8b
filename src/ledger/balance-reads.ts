import type { EntityManager } from 'typeorm';
import { money } from '../common/money/money.js';
import type { Decimal } from 'decimal.js';

/**
 * credits − debits of many accounts of one caisse in one statement (what a wallet can spend, what expires). With
 * `lock`, the rows are locked in id order — the order every posting locks them in — so the figures stay true until
 * the caller's transaction posts against them. Unknown codes are absent from the map.
 */
export async function readAvailable(tx: EntityManager, caisseId: string, codes: string[], lock: boolean): Promise<Map<string, Decimal>> {
  if (!codes.length) return new Map();
  const rows: { code: string; available: string }[] = await tx.query(
    `SELECT code, (credits_posted - debits_posted)::text AS available FROM ledger_accounts
      WHERE caisse_id = $1 AND code = ANY($2::text[]) ORDER BY id ${lock ? 'FOR UPDATE' : ''}`,
    [caisseId, codes],
  );
  return new Map(rows.map((r) => [r.code, money(r.available)]));
}
