import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import type { RolloverRule } from '../caisses/dto/rules.types.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import type { EntityManager } from 'typeorm';
import type { PostingInput, PreparedPosting } from '../ledger/ledger.types.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import { expiryAmount } from './allocation-formulas.js';
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
  /** The top-up part of the amount and the fund it is charged to, fixed when the line was planned (or caught up). */
  top_up: string;
  top_up_fund: string | null;
  expiry_done: boolean;
}

interface Outcome {
  seq: number;
  memberId: string;
  amount: Decimal;
  status: LineStatus;
  credited: boolean;
  entryId: string | null;
  topUp: Decimal;
  topUpFund: string | null;
  expired: Decimal;
  error: string | null;
}

/**
 * The next chunk of a run, read and prepared (credits validated and hashed) outside any transaction: `after` is the
 * posted_seq it was read from, so the chunk's transaction can tell whether another worker moved on meanwhile.
 */
export interface ChunkPlan {
  after: number;
  lines: TodoLine[];
  /** The credit of each pending line, aligned with `lines` (undefined for a line that only expires). */
  credits: (PreparedPosting | undefined)[];
}

type RunHead = Pick<RunRow, 'id' | 'caisse_id' | 'period' | 'fund'>;

export type ChunkResult = { state: 'more'; lastSeq: number } | { state: 'done' | 'stopped' };

/** Ledger keys: one allocation and at most one expiry per member and period, whatever runs or retries post them. */
export const allocationKey = (period: string, memberId: string) => `alloc:${period}:${memberId}`;
export const expiryKey = (period: string, memberId: string) => `expire:${period}:${memberId}`;
const MAX_ERRORS = 100;
/** Entries prepared between two yields to the event loop, so the running chunk's SQL replies are not kept waiting. */
const PREPARE_SLICE = 250;

const readLines = (tx: EntityManager, runId: string, after: number, size: number): Promise<TodoLine[]> =>
  tx.query(
    `SELECT seq, member_id, wallet_account, status, gross::text, amount::text, top_up::text, top_up_fund, expiry_done FROM allocation_run_lines
      WHERE run_id = $1 AND todo AND seq > $3 ORDER BY seq LIMIT $2`,
    [runId, size, after],
  );

/**
 * Posts one chunk of a run: the ledger entries (one batch: expiry then credit, member by member) and the run's
 * progress (posted_seq, counters) commit together, so a crash leaves each line either wholly done or still to do.
 * Lines are not rewritten: a member's credit is the ledger entry under their allocation key.
 */
@Injectable()
export class AllocationPoster {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly contributions: ContributionsService,
  ) {}

  /**
   * Reads and prepares the chunk after `after`, outside any transaction (a run's lines do not change while it runs),
   * yielding between slices: the runner calls this for chunk k+1 while chunk k's transaction waits on PostgreSQL.
   */
  async prepare(run: RunHead, after: number, size: number): Promise<ChunkPlan> {
    const lines = await readLines(this.txHost.tx, run.id, after, size);
    const credits: (PreparedPosting | undefined)[] = [];
    for (let from = 0; from < lines.length; from += PREPARE_SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      credits.push(...this.prepareCredits(run, lines.slice(from, from + PREPARE_SLICE)));
    }
    return { after, lines, credits };
  }

  private prepareCredits(run: RunHead, lines: TodoLine[]): (PreparedPosting | undefined)[] {
    const pending = lines.filter((l) => l.status === 'pending');
    const prepared = this.ledger.prepareBatch(run.caisse_id, pending.map((l) => this.creditInput(run, l)));
    let k = 0;
    return lines.map((l) => (l.status === 'pending' ? prepared[k++] : undefined));
  }

  /** Under top-up the part the household did not pay (planned on the line) is charged to its own 6571 line and fund. */
  private creditInput(run: RunHead, l: TodoLine): PostingInput {
    const topUp = money(l.top_up);
    const own = money(l.amount).minus(topUp);
    return {
      caisseId: run.caisse_id,
      journal: 'ALL',
      date: `${run.period}-01`,
      label: `Allocation alimentaire ${run.period}`,
      pieceRef: `ALL-${run.period}`,
      idempotencyKey: allocationKey(run.period, l.member_id),
      lines: [
        ...(own.gt(0) ? [{ account: '6571', debit: formatMoney(own), fund: run.fund ?? undefined }] : []),
        ...(topUp.gt(0) ? [{ account: '6571', debit: formatMoney(topUp), fund: l.top_up_fund ?? undefined }] : []),
        { account: l.wallet_account, credit: l.amount },
      ],
    };
  }

  /**
   * Commits a prepared chunk. Under the run's lock the plan must start where the run stands (posted_seq); if another
   * worker moved on, the chunk is read and prepared again inside the transaction instead.
   */
  commit(runId: string, plan: ChunkPlan, size: number): Promise<ChunkResult> {
    return this.txHost.run(async () => {
      const tx = this.txHost.tx;
      const [run]: RunRow[] = await tx.query(`SELECT * FROM allocation_runs WHERE id = $1 FOR UPDATE`, [runId]);
      if (run?.status !== 'running') return { state: 'stopped' };
      let { lines, credits } = plan;
      if (plan.after !== run.posted_seq) {
        lines = await readLines(tx, runId, run.posted_seq, size);
        credits = this.prepareCredits(run, lines);
      }
      if (!lines.length) {
        await tx.query(`UPDATE allocation_runs SET status = 'completed', finished_at = now(), updated_at = now() WHERE id = $1`, [runId]);
        return { state: 'done' };
      }
      const outcomes = await this.post(run, lines, credits);
      const lastSeq = lines[lines.length - 1].seq;
      await this.record(run, outcomes, lastSeq);
      return { state: 'more', lastSeq };
    });
  }

  private async post(run: RunRow, lines: TodoLine[], credits: (PreparedPosting | undefined)[]): Promise<Outcome[]> {
    const { caisse_id: caisseId, period } = run;
    const rollover = (run.rules as { rollover: RolloverRule }).rollover;
    const expiring = rollover.mode !== 'rollover' ? await this.stillToExpire(caisseId, period, lines) : [];
    const toExpire = new Set(expiring);
    // Locked with 6571 in id order, as postBatch will lock them: the balance that expires is the one posted against.
    // Expiries depend on that locked balance, so they alone are prepared here, inside the transaction.
    const balances = expiring.length ? await this.ledger.available(caisseId, ['6571', ...expiring.map((l) => l.wallet_account)], { lock: true }) : new Map<string, Decimal>();
    const paidBy = expiring.length ? await this.creditsOf(run, expiring.map((l) => l.member_id)) : new Map<string, CreditSlice[]>();
    const date = `${period}-01`;
    const expiries: PostingInput[] = [];
    const expiryOf: { line: number; amount: Decimal }[] = [];
    const outcomes: Outcome[] = lines.map((l) => ({
      seq: l.seq,
      memberId: l.member_id,
      amount: money(l.amount),
      status: l.status,
      credited: false,
      entryId: null,
      topUp: money(l.top_up),
      topUpFund: l.top_up_fund,
      expired: money(0),
      error: null,
    }));
    lines.forEach((l, i) => {
      if (toExpire.has(l)) {
        const amount = expiryAmount(rollover, balances.get(l.wallet_account) ?? money(0), money(l.gross));
        if (amount.gt(0)) {
          expiryOf.push({ line: i, amount });
          expiries.push({
            caisseId,
            journal: 'OD',
            date,
            label: `Expiration du solde (${rollover.mode === 'cap' ? `plafond ${rollover.capMonths} mois` : 'fin de période'}) avant l'allocation ${period}`,
            pieceRef: `EXP-${period}`,
            idempotencyKey: expiryKey(period, l.member_id),
            lines: [
              { account: l.wallet_account, debit: formatMoney(amount) },
              // 6571 back to the funds that paid the expiring money, oldest first.
              ...expiryByFund(paidBy.get(l.member_id) ?? [], balances.get(l.wallet_account) ?? money(0), amount, run.fund).map((f) => ({
                account: '6571',
                credit: formatMoney(f.amount),
                fund: f.fund ?? undefined,
              })),
            ],
          });
        }
      }
    });
    // Member by member: the expiry (if any) just before the credit.
    const preparedExpiries = expiries.length ? this.ledger.prepareBatch(caisseId, expiries) : [];
    const items: PreparedPosting[] = [];
    const slots: { line: number; kind: 'expire' | 'alloc'; amount: Decimal }[] = [];
    let e = 0;
    lines.forEach((l, i) => {
      if (expiryOf[e]?.line === i) {
        slots.push({ line: i, kind: 'expire', amount: expiryOf[e].amount });
        items.push(preparedExpiries[e++]);
      }
      const credit = credits[i];
      if (credit) {
        slots.push({ line: i, kind: 'alloc', amount: outcomes[i].amount });
        items.push(credit);
      }
    });
    const results = items.length ? await this.ledger.postPrepared(caisseId, items) : [];
    results.forEach((r, k) => {
      const { line, kind, amount } = slots[k];
      const o = outcomes[line];
      if (!r.ok) {
        o.error = `${kind === 'alloc' ? 'allocation' : 'expiry'} refused: ${r.error.code} ${r.error.message}`;
        if (kind === 'alloc') o.status = 'refused';
      } else if (kind === 'alloc') {
        o.credited = true;
        o.entryId = r.entry.id;
      } else o.expired = amount;
    });
    return outcomes;
  }

  /**
   * What each member's wallet was credited by earlier regular runs, oldest first, split by the fund that paid it: the
   * run's fund for the own part, the line's top-up fund for the rest (both planned on the line). A line was credited
   * when the ledger holds the entry under its allocation key (lines are not rewritten when credited; a stored
   * 'credited' is a line posted before that change, and has its entry too). One probe per run and key.
   */
  private async creditsOf(run: RunRow, memberIds: string[]): Promise<Map<string, CreditSlice[]>> {
    const rows: { member_id: string; amount: string; top_up: string; fund: string | null; top_up_fund: string | null }[] = await this.txHost.tx.query(
      `SELECT l.member_id, l.amount::text, l.top_up::text, r.fund, l.top_up_fund
         FROM allocation_runs r JOIN allocation_run_lines l ON l.run_id = r.id AND l.member_id = ANY($3::uuid[])
        WHERE r.caisse_id = $1 AND r.kind = 'regular' AND r.period < $2 AND l.status IN ('pending', 'credited')
          AND EXISTS (SELECT 1 FROM journal_entries e WHERE e.caisse_id = r.caisse_id AND e.idempotency_key = 'alloc:' || r.period || ':' || l.member_id::text)
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

  /**
   * Lines whose expiry is still to post. A member's expiry and credit commit in the same chunk, so either key in the
   * ledger means it was settled (a re-scan after lost run state must not expire again from the credited balance).
   */
  private async stillToExpire(caisseId: string, period: string, lines: TodoLine[]): Promise<TodoLine[]> {
    const open = lines.filter((l) => !l.expiry_done);
    if (!open.length) return [];
    const done = await this.ledger.entriesByKey(caisseId, open.flatMap((l) => [allocationKey(period, l.member_id), expiryKey(period, l.member_id)]));
    return open.filter((l) => !done.has(allocationKey(period, l.member_id)) && !done.has(expiryKey(period, l.member_id)));
  }

  /**
   * The chunk's progress on the run row. Lines are left as planned — their credit and expiry are the ledger entries
   * under their keys — except a refusal, which the line must show with its reason (rare: one small update).
   */
  private async record(run: RunRow, outcomes: Outcome[], lastSeq: number): Promise<void> {
    const tx = this.txHost.tx;
    const refused = outcomes.filter((o) => o.error);
    if (refused.length) {
      await tx.query(
        `UPDATE allocation_run_lines l SET status = x.status, error = x.error, posted_at = now()
           FROM unnest($2::int[], $3::text[], $4::text[]) AS x(seq, status, error) WHERE l.run_id = $1 AND l.seq = x.seq`,
        [run.id, refused.map((o) => o.seq), refused.map((o) => o.status), refused.map((o) => o.error)],
      );
    }
    const credited = outcomes.filter((o) => o.credited);
    // The top-ups the chunk credited, for the fund figures (a replayed credit is already there: ON CONFLICT DO NOTHING).
    const topUps = credited.filter((o) => o.topUp.gt(0)).map((o) => ({ memberId: o.memberId, fund: o.topUpFund, amount: formatMoney(o.topUp), entryId: o.entryId! }));
    if (topUps.length) await this.contributions.recordTopUps(run.caisse_id, run.period, topUps);
    const errors: RunErrorDto[] = refused.map((o) => ({ code: o.status === 'refused' ? 'ALLOCATION_REFUSED' : 'EXPIRY_REFUSED', message: o.error!, memberId: o.memberId }));
    const creditedAmount = formatMoney(credited.reduce((s, o) => s.plus(o.amount), money(0)));
    // attempts = 0: only starts without any progress in between count towards giving up (a crash loop).
    await tx.query(
      `UPDATE allocation_runs SET posted_seq = $7, done_lines = done_lines + $2, credited_members = credited_members + $3, credited_amount = credited_amount + $4,
              expired_amount = expired_amount + $5, updated_at = now(), attempts = 0,
              errors = CASE WHEN $6::jsonb = '[]' THEN errors
                            ELSE (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM (SELECT e FROM jsonb_array_elements(errors || $6::jsonb) e LIMIT ${MAX_ERRORS}) s) END
        WHERE id = $1`,
      [run.id, outcomes.length, credited.length, creditedAmount, formatMoney(outcomes.reduce((s, o) => s.plus(o.expired), money(0))), JSON.stringify(errors), lastSeq],
    );
  }
}
