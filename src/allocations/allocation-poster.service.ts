import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import type { AllocationRule, RolloverRule } from '../caisses/dto/rules.types.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import type { PostingInput } from '../ledger/ledger.types.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import { expiryAmount, topUpSplit } from './allocation-formulas.js';
import type { RunRow } from './allocation-run-row.js';
import { type CreditSlice, expiryByFund } from './expiry-funds.js';
import type { LineStatus, RunErrorDto } from './dto/allocation-run.dto.js';

interface TodoLine {
  seq: number;
  member_id: string;
  wallet_account: string;
  status: LineStatus;
  gross: string;
  amount: string;
  contribution: string | null;
  expiry_done: boolean;
}

interface Outcome {
  seq: number;
  memberId: string;
  amount: Decimal;
  status: LineStatus;
  entryId: string | null;
  expireEntryId: string | null;
  expired: Decimal;
  topUp: Decimal;
  topUpFund: string | null;
  error: string | null;
}

export type ChunkResult = { state: 'more'; lastSeq: number } | { state: 'done' | 'stopped' };

/** Ledger keys: one allocation and at most one expiry per member and period, whatever runs or retries post them. */
export const allocationKey = (period: string, memberId: string) => `alloc:${period}:${memberId}`;
export const expiryKey = (period: string, memberId: string) => `expire:${period}:${memberId}`;
const MAX_ERRORS = 100;

/**
 * Posts one chunk of a run: the chunk's lines, the ledger entries (one postBatch: expiry then credit, member by
 * member) and the run's progress commit together, so a crash leaves each line either wholly done or still to do.
 */
@Injectable()
export class AllocationPoster {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly contributions: ContributionsService,
  ) {}

  /** `after`: the last seq this worker handled, so each chunk's index scan starts where the previous one stopped. */
  chunk(runId: string, size: number, after = 0): Promise<ChunkResult> {
    return this.txHost.run(async () => {
      const tx = this.txHost.tx;
      const [run]: RunRow[] = await tx.query(`SELECT * FROM allocation_runs WHERE id = $1 FOR UPDATE`, [runId]);
      if (run?.status !== 'running') return { state: 'stopped' };
      const lines: TodoLine[] = await tx.query(
        `SELECT seq, member_id, wallet_account, status, gross::text, amount::text, contribution::text, expiry_done FROM allocation_run_lines
          WHERE run_id = $1 AND todo AND seq > $3 ORDER BY seq LIMIT $2`,
        [runId, size, after],
      );
      if (!lines.length) {
        // Lines before `after` may have gone back to todo meanwhile (a catch-up): only a scan from the start may finish the run.
        if (after > 0) return { state: 'more', lastSeq: 0 };
        await tx.query(`UPDATE allocation_runs SET status = 'completed', finished_at = now(), updated_at = now() WHERE id = $1`, [runId]);
        return { state: 'done' };
      }
      const outcomes = await this.post(run, lines);
      await this.record(run, outcomes);
      return { state: 'more', lastSeq: lines[lines.length - 1].seq };
    });
  }

  private async post(run: RunRow, lines: TodoLine[]): Promise<Outcome[]> {
    const { caisse_id: caisseId, period } = run;
    const { rollover, allocation } = run.rules as { rollover: RolloverRule; allocation: AllocationRule };
    // Under top-up the part the household did not pay is charged to the fund the rule names (else the run's fund).
    const topUpFund = allocation.formula === 'top-up' ? (allocation.fund ?? run.fund) : null;
    const expiring = rollover.mode !== 'rollover' ? lines.filter((l) => !l.expiry_done) : [];
    // Locked with 6571 in id order, as postBatch will lock them: the balance that expires is the one posted against.
    const balances = expiring.length ? await this.ledger.available(caisseId, ['6571', ...expiring.map((l) => l.wallet_account)], { lock: true }) : new Map<string, Decimal>();
    const credits = expiring.length ? await this.creditsOf(run, expiring.map((l) => l.member_id)) : new Map<string, CreditSlice[]>();
    const date = `${period}-01`;
    const inputs: PostingInput[] = [];
    const slots: { line: number; kind: 'expire' | 'alloc'; amount: Decimal }[] = [];
    const outcomes: Outcome[] = lines.map((l) => ({ seq: l.seq, memberId: l.member_id, amount: money(l.amount), status: l.status, entryId: null, expireEntryId: null, expired: money(0), topUp: money(0), topUpFund: null, error: null }));
    lines.forEach((l, i) => {
      if (rollover.mode !== 'rollover' && !l.expiry_done) {
        const amount = expiryAmount(rollover, balances.get(l.wallet_account) ?? money(0), money(l.gross));
        if (amount.gt(0)) {
          slots.push({ line: i, kind: 'expire', amount });
          inputs.push({
            caisseId,
            journal: 'OD',
            date,
            label: `Expiration du solde (${rollover.mode === 'cap' ? `plafond ${rollover.capMonths} mois` : 'fin de période'}) avant l'allocation ${period}`,
            pieceRef: `EXP-${period}`,
            idempotencyKey: expiryKey(period, l.member_id),
            lines: [
              { account: l.wallet_account, debit: formatMoney(amount) },
              ...expiryByFund(credits.get(l.member_id) ?? [], balances.get(l.wallet_account) ?? money(0), amount, run.fund).map((f) => ({
                account: '6571',
                credit: formatMoney(f.amount),
                fund: f.fund ?? undefined,
              })),
            ],
          });
        }
      }
      if (l.status === 'pending') {
        slots.push({ line: i, kind: 'alloc', amount: money(l.amount) });
        const split = topUpFund === null ? { own: money(l.amount), topUp: money(0) } : topUpSplit(money(l.amount), money(l.contribution ?? 0));
        if (split.topUp.gt(0)) Object.assign(outcomes[i], { topUp: split.topUp, topUpFund });
        inputs.push({
          caisseId,
          journal: 'ALL',
          date,
          label: `Allocation alimentaire ${period}`,
          pieceRef: `ALL-${period}`,
          idempotencyKey: allocationKey(period, l.member_id),
          lines: [
            ...(split.own.gt(0) ? [{ account: '6571', debit: formatMoney(split.own), fund: run.fund ?? undefined }] : []),
            ...(split.topUp.gt(0) ? [{ account: '6571', debit: formatMoney(split.topUp), fund: topUpFund ?? undefined }] : []),
            { account: l.wallet_account, credit: l.amount },
          ],
        });
      }
    });
    const results = inputs.length ? await this.ledger.postBatch(caisseId, inputs) : [];
    results.forEach((r, k) => {
      const { line, kind, amount } = slots[k];
      const o = outcomes[line];
      if (!r.ok) {
        o.error = `${kind === 'alloc' ? 'allocation' : 'expiry'} refused: ${r.error.code} ${r.error.message}`;
        if (kind === 'alloc') o.status = 'refused';
      } else if (kind === 'alloc') {
        o.status = 'credited';
        o.entryId = r.entry.id;
      } else {
        o.expireEntryId = r.entry.id;
        o.expired = amount;
      }
    });
    return outcomes;
  }

  /**
   * What each member's wallet was credited by earlier regular runs, oldest first, split by the fund that paid it:
   * the run's fund for the own part, the top-up fund for the rest. Reads through (run_id, member_id), one probe per run.
   */
  private async creditsOf(run: RunRow, memberIds: string[]): Promise<Map<string, CreditSlice[]>> {
    const rows: { member_id: string; amount: string; top_up: string; fund: string | null; top_up_fund: string | null }[] = await this.txHost.tx.query(
      `SELECT l.member_id, l.amount::text, l.top_up::text, r.fund, l.top_up_fund
         FROM allocation_runs r JOIN allocation_run_lines l ON l.run_id = r.id AND l.member_id = ANY($3::uuid[])
        WHERE r.caisse_id = $1 AND r.kind = 'regular' AND r.period < $2 AND l.status = 'credited'
        ORDER BY r.period`,
      [run.caisse_id, run.period, memberIds],
    );
    const out = new Map<string, CreditSlice[]>();
    for (const r of rows) {
      const slices = out.get(r.member_id) ?? [];
      slices.push({ fund: r.fund, amount: money(r.amount).minus(r.top_up) }, { fund: r.top_up_fund, amount: money(r.top_up) });
      out.set(r.member_id, slices.filter((x) => x.amount.gt(0)));
    }
    return out;
  }

  private async record(run: RunRow, outcomes: Outcome[]): Promise<void> {
    const tx = this.txHost.tx;
    // The seq range keeps the update on the chunk's slice of the primary key whatever the planner guesses of unnest.
    // attempts = 0 below: only starts without any progress in between count towards giving up (a crash loop).
    await tx.query(
      `UPDATE allocation_run_lines l
          SET status = x.status, todo = false, expiry_done = true, posted_at = now(),
              entry_id = coalesce(x.entry_id, l.entry_id), expire_entry_id = coalesce(x.expire_entry_id, l.expire_entry_id),
              expired = l.expired + x.expired, error = x.error,
              top_up = CASE WHEN x.entry_id IS NULL THEN l.top_up ELSE x.top_up END, top_up_fund = CASE WHEN x.entry_id IS NULL THEN l.top_up_fund ELSE x.top_up_fund END
         FROM unnest($2::int[], $3::text[], $4::uuid[], $5::uuid[], $6::numeric[], $7::text[], $10::numeric[], $11::text[])
              AS x(seq, status, entry_id, expire_entry_id, expired, error, top_up, top_up_fund)
        WHERE l.run_id = $1 AND l.seq = x.seq AND l.seq BETWEEN $8 AND $9`,
      [
        run.id,
        outcomes.map((o) => o.seq),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.entryId),
        outcomes.map((o) => o.expireEntryId),
        outcomes.map((o) => formatMoney(o.expired)),
        outcomes.map((o) => o.error),
        outcomes[0].seq,
        outcomes[outcomes.length - 1].seq,
        outcomes.map((o) => formatMoney(o.topUp)),
        outcomes.map((o) => o.topUpFund),
      ],
    );
    const credited = outcomes.filter((o) => o.entryId !== null);
    const topUps = credited.filter((o) => o.topUp.gt(0)).map((o) => ({ memberId: o.memberId, fund: o.topUpFund, amount: formatMoney(o.topUp), entryId: o.entryId! }));
    if (topUps.length) await this.contributions.recordTopUps(run.caisse_id, run.period, topUps);
    const errors: RunErrorDto[] = outcomes.filter((o) => o.error).map((o) => ({ code: o.status === 'refused' ? 'ALLOCATION_REFUSED' : 'EXPIRY_REFUSED', message: o.error!, memberId: o.memberId }));
    const creditedAmount = formatMoney(credited.reduce((s, o) => s.plus(o.amount), money(0)));
    await tx.query(
      `UPDATE allocation_runs SET done_lines = done_lines + $2, credited_members = credited_members + $3, credited_amount = credited_amount + $4,
              expired_amount = expired_amount + $5, updated_at = now(), attempts = 0,
              errors = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM (SELECT e FROM jsonb_array_elements(errors || $6::jsonb) e LIMIT ${MAX_ERRORS}) s)
        WHERE id = $1`,
      [run.id, outcomes.length, credited.length, creditedAmount, formatMoney(outcomes.reduce((s, o) => s.plus(o.expired), money(0))), JSON.stringify(errors)],
    );
  }
}
