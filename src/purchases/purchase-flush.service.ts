import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { EntryView, PostingInput } from '../ledger/ledger.types.js';
import { PURCHASE_COLUMNS, type PurchaseItem, type PurchaseOutcome, type PurchaseRow, toPurchaseDto } from './purchase-record.js';
import { idempotencyConflict, InsufficientBalance } from './purchases.errors.js';
import { HOT_BATCH_ROWS, hotUpTo } from '../database/prepared.js';

interface Accepted {
  index: number;
  item: PurchaseItem;
  covered: Decimal;
  partial: boolean;
  entry: EntryView;
}

/** The ledger key of a purchase's entry, so a replay finds the same entry (the ledger caps keys at 200 characters). */
export function ledgerKey(key: string): string {
  return key.length <= 190 ? `purchase:${key}` : `purchase:#${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Writes a batch of purchases of one caisse in ONE transaction: the ledger posts every entry at once (accounts locked
 * once, in id order), then one statement numbers the receipts and one inserts the purchase rows. Each item succeeds or
 * fails on its own. The one-by-one path calls this with a single item, so both paths follow exactly the same rules.
 */
@Injectable()
export class PurchaseFlush {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  write(caisseId: string, items: PurchaseItem[]): Promise<PurchaseOutcome[]> {
    // Retried as a whole on deadlock or a key race with another instance; every attempt starts from the items alone.
    return this.txHost.run(async () => {
      const out: PurchaseOutcome[] = [];
      for (const segment of segments(items)) out.push(...(await this.attempt(caisseId, segment)));
      return out;
    });
  }

  private async attempt(caisseId: string, items: PurchaseItem[]): Promise<PurchaseOutcome[]> {
    const out: PurchaseOutcome[] = new Array(items.length);
    // Replays are recognised by the ledger (the purchase's entry holds its key). Only allowPartial needs them known
    // before posting, since its sizing must not count a replay as a spend; other batches save that read.
    const stored = items.some((i) => i.allowPartial) ? await this.stored(caisseId, items.map((i) => i.key)) : new Map<string, PurchaseRow>();
    const fresh: number[] = [];
    items.forEach((item, index) => {
      const row = stored.get(item.key);
      if (row) out[index] = answer(row, item);
      else fresh.push(index);
    });
    const accepted: Accepted[] = [];
    const partial: number[] = [];
    const known: number[] = [];
    await this.post(caisseId, items, fresh, await this.presize(caisseId, items, fresh), out, accepted, partial, known);
    if (partial.length) {
      // The wallets are locked by the first round until commit, so these balances stay true for the second one.
      const balances = await this.ledger.available(caisseId, [...new Set(partial.map((i) => items[i].walletAccount))]);
      const sized = new Map<number, Decimal>();
      for (const index of partial) {
        const item = items[index];
        const available = balances.get(item.walletAccount) ?? money(0);
        if (available.lte(0)) {
          out[index] = { ok: false, error: new InsufficientBalance('0.00', formatMoney(item.covered)) };
          continue;
        }
        const covered = available.lt(item.covered) ? available : item.covered;
        balances.set(item.walletAccount, available.minus(covered));
        sized.set(index, covered);
      }
      await this.post(caisseId, items, [...sized.keys()], sized, out, accepted, undefined, known);
    }
    if (known.length) {
      // The ledger already holds these keys: the stored purchase answers (a replay), or says the key was used otherwise.
      const rows = await this.stored(caisseId, known.map((i) => items[i].key));
      for (const index of known) {
        const row = rows.get(items[index].key);
        out[index] = row ? answer(row, items[index]) : { ok: false, error: idempotencyConflict() };
      }
    }
    if (accepted.length) await this.insert(caisseId, accepted, out);
    return out;
  }

  /** Posts the entries; refusals become outcomes, except a short wallet that allowed a partial cover. */
  private async post(caisseId: string, items: PurchaseItem[], indexes: number[], sized: Map<number, Decimal>, out: PurchaseOutcome[], accepted: Accepted[], partial: number[] | undefined, known: number[]): Promise<void> {
    if (!indexes.length) return;
    const inputs: PostingInput[] = indexes.map((i) => {
      const item = items[i];
      const amount = formatMoney(sized.get(i) ?? item.covered);
      return {
        caisseId,
        journal: 'ACH',
        date: item.date,
        label: `Achat chez ${item.outletName}`.slice(0, 200),
        pieceRef: `ACH-${item.hash.slice(0, 24)}`,
        idempotencyKey: ledgerKey(item.key),
        lines: [
          { account: item.walletAccount, debit: amount },
          { account: item.outletAccount, credit: amount },
        ],
      };
    });
    const results = await this.ledger.postBatch(caisseId, inputs);
    results.forEach((r, n) => {
      const index = indexes[n];
      const item = items[index];
      if (r.ok && !r.replayed) {
        const covered = sized.get(index) ?? item.covered;
        accepted.push({ index, item, covered, partial: covered.lt(item.covered), entry: r.entry });
      }
      else if (r.ok || r.error.code === 'IDEMPOTENCY_CONFLICT') known.push(index);
      else if (r.error.code === 'INSUFFICIENT_BALANCE' && item.allowPartial && partial) partial.push(index);
      else out[index] = { ok: false, error: r.error.code === 'INSUFFICIENT_BALANCE' ? insufficient(r.error) : r.error };
    });
  }

  /**
   * Sizes the allowPartial items as a one-by-one run would (in order, against the balances left by the items before
   * them). Read without locks: if another writer moved a wallet meanwhile, the ledger refuses and the second round
   * sizes again on the locked balances, so this only decides who gets what, never whether a wallet can go negative.
   */
  private async presize(caisseId: string, items: PurchaseItem[], indexes: number[]): Promise<Map<number, Decimal>> {
    const sized = new Map<number, Decimal>();
    if (!indexes.some((i) => items[i].allowPartial)) return sized;
    const balances = await this.ledger.available(caisseId, [...new Set(indexes.map((i) => items[i].walletAccount))]);
    for (const index of indexes) {
      const { walletAccount, covered, allowPartial } = items[index];
      const available = balances.get(walletAccount) ?? money(0);
      if (covered.lte(available)) balances.set(walletAccount, available.minus(covered));
      else if (allowPartial && available.gt(0)) {
        sized.set(index, available);
        balances.set(walletAccount, money(0));
      }
    }
    return sized;
  }

  /**
   * One statement: reserves gapless receipt numbers per outlet (counters taken in outlet order), reads the wallets'
   * balances after posting (locked by this transaction, from the columns the ledger maintains) and inserts every row,
   * each with its receipt number and the balance right after it, in the order the ledger applied the purchases.
   */
  private async insert(caisseId: string, accepted: Accepted[], out: PurchaseOutcome[]): Promise<void> {
    const rows: PurchaseRow[] = await this.txHost.tx.query(
      hotUpTo(accepted.length, HOT_BATCH_ROWS, `WITH x AS (
         SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[], $10::bool[], $11::uuid[], $12::timestamptz[], $13::text[])
           WITH ORDINALITY AS x(outlet_id, member_id, terminal_key_id, idempotency_key, request_hash, amount, covered, member_pays, partial, entry_id, captured_at, wallet, ord)
       ), c AS (
         INSERT INTO purchase_receipt_counters AS c (outlet_id, last_no)
         SELECT outlet_id, count(*) FROM x GROUP BY outlet_id ORDER BY outlet_id
         ON CONFLICT (outlet_id) DO UPDATE SET last_no = c.last_no + EXCLUDED.last_no RETURNING outlet_id, last_no
       ), b AS (
         SELECT code, credits_posted - debits_posted AS balance FROM ledger_accounts WHERE caisse_id = $1 AND code IN (SELECT wallet FROM x)
       )
       INSERT INTO purchases (caisse_id, outlet_id, member_id, terminal_key_id, idempotency_key, request_hash, amount, covered, member_pays, partial, balance_after, entry_id, receipt_no, captured_at)
       SELECT $1, x.outlet_id, x.member_id, x.terminal_key_id, x.idempotency_key, x.request_hash, x.amount, x.covered, x.member_pays, x.partial,
              b.balance + coalesce(sum(x.covered) OVER (PARTITION BY x.wallet ORDER BY x.ord ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0),
              x.entry_id,
              c.last_no - count(*) OVER (PARTITION BY x.outlet_id) + row_number() OVER (PARTITION BY x.outlet_id ORDER BY x.ord),
              x.captured_at
         FROM x JOIN c ON c.outlet_id = x.outlet_id JOIN b ON b.code = x.wallet
       RETURNING ${PURCHASE_COLUMNS}`),
      [
        caisseId,
        accepted.map((a) => a.item.outletId),
        accepted.map((a) => a.item.memberId),
        accepted.map((a) => a.item.terminalKeyId),
        accepted.map((a) => a.item.key),
        accepted.map((a) => a.item.hash),
        accepted.map((a) => formatMoney(a.item.amount)),
        accepted.map((a) => formatMoney(a.covered)),
        accepted.map((a) => formatMoney(a.item.amount.minus(a.covered))),
        accepted.map((a) => a.partial),
        accepted.map((a) => a.entry.id),
        accepted.map((a) => a.item.capturedAt),
        accepted.map((a) => a.item.walletAccount),
      ],
    );
    if (rows.length !== accepted.length) throw new Error(`inserted ${rows.length} purchases for ${accepted.length} accepted entries`);
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
    for (const a of accepted) out[a.index] = { ok: true, purchase: toPurchaseDto(byKey.get(a.item.key)!), replayed: false };
  }

  /**
   * The stored purchases of these Idempotency-Keys. A purchase's key is unique through its entry's ledger key (the
   * only unique index on it), so the lookup goes through that index, as the insert reads the wallets' balances: one
   * statement on the hot path rather than a round trip through the ledger facade.
   */
  async stored(caisseId: string, keys: string[]): Promise<Map<string, PurchaseRow>> {
    const rows: PurchaseRow[] = await this.txHost.tx.query(
      `SELECT ${PURCHASE_COLUMNS} FROM purchases
        WHERE entry_id IN (SELECT id FROM journal_entries WHERE caisse_id = $1 AND idempotency_key = ANY($2::text[])) AND caisse_id = $1`,
      [caisseId, keys.map(ledgerKey)],
    );
    return new Map(rows.map((r) => [r.idempotency_key, r]));
  }

}

function answer(row: PurchaseRow, item: PurchaseItem): PurchaseOutcome {
  return row.request_hash === item.hash ? { ok: true, purchase: toPurchaseDto(row), replayed: true } : { ok: false, error: idempotencyConflict() };
}

function insufficient(e: DomainError): DomainError {
  return new InsufficientBalance(String(e.extra.available), String(e.extra.requested));
}

/**
 * Cuts a batch before each repeated Idempotency-Key, keeping the order. The segments run one after the other in the
 * same transaction, so a twin is judged exactly as one-by-one would: after its first's outcome is stored (a replay of
 * an accepted purchase, or judged afresh after a refusal) and before the requests that came after it.
 */
function segments(items: PurchaseItem[]): PurchaseItem[][] {
  const out: PurchaseItem[][] = [[]];
  let keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key)) {
      out.push([]);
      keys = new Set();
    }
    keys.add(item.key);
    out[out.length - 1].push(item);
  }
  return out.filter((s) => s.length > 0);
}
