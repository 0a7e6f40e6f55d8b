import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { nextPeriod, todayInFrance } from '../common/dates.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import type { Decimal } from 'decimal.js';
import type { AllocationRule } from '../caisses/dto/rules.types.js';
import { formatMoney, money, roundCents } from '../common/money/money.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import { QueueSchedules } from '../database/schedules.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { grossAmount, plannedTopUp, prorate } from './allocation-formulas.js';
import { AllocationNeedsService } from './allocation-needs.service.js';
import type { AllocationNeed, MemberAllocation } from './allocations.types.js';
import { ALLOCATIONS_QUEUE, RUN_JOB, type RunJob, runJobId } from './allocation-queue.js';
import { withLedgerOutcome, storedStatusFilter } from './allocation-line-status.js';
import { type LineRow, type RunRow, toLineDto, toRunDto } from './allocation-run-row.js';
import { AllocationRunNotFound, InsufficientFundsForRun, PeriodClosedForRun, RunFinished, RunNotCatchable } from './allocations.errors.js';
import type { AllocationRunDto, AllocationRunLineDto, CreateAllocationRunDto } from './dto/allocation-run.dto.js';


/**
 * Facade of the allocations module: asks for runs (one per caisse, period and kind), reads them and their lines,
 * cancels them, and catches up members the contribution gate left out once they have paid.
 */
@Injectable()
export class AllocationsService {
  constructor(
    readonly txHost: TransactionHost,
    @InjectQueue(ALLOCATIONS_QUEUE) private readonly queue: Queue<RunJob>,
    private readonly caisses: CaissesService,
    private readonly contributions: ContributionsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly schedules: QueueSchedules,
    private readonly needs: AllocationNeedsService,
  ) {}

  /** One whole month of allocations for the members active in `membersOf`, under the rules in force for `period`. */
  monthlyNeed(caisseId: string, period: string, membersOf: string): Promise<AllocationNeed> {
    return this.needs.need(caisseId, period, membersOf);
  }

  /** Amounts credited to each member by the regular runs of fromPeriod..toPeriod (YYYY-MM). */
  creditedBetween(caisseId: string, fromPeriod: string, toPeriod: string): Promise<MemberAllocation[]> {
    return this.needs.creditedBetween(caisseId, fromPeriod, toPeriod);
  }

  /**
   * The period's run, created if needed (a concurrent duplicate blocks on the unique key and then reads the first).
   * A failed or cancelled run is put back in the queue and continues where it stopped; a finished dry run is redone.
   * While the queue's Redis is unreachable the request is refused at once (503 QUEUE_UNAVAILABLE) and nothing is
   * written; should Redis drop between this check and the enqueue after commit, the run stays queued in Postgres and
   * is enqueued when Redis comes back (QueueSchedules → AllocationsProcessor.recover), so it is never lost.
   */
  @Transactional()
  async request(caisseId: string, dto: CreateAllocationRunDto): Promise<AllocationRunDto> {
    this.schedules.assertUsable(this.queue as Queue);
    await this.assertRunnable(caisseId, dto.period);
    const kind = dto.dryRun ? 'dry-run' : 'regular';
    const principal = RequestContext.principal();
    const inserted: { id: string }[] = await this.txHost.tx.query(
      `INSERT INTO allocation_runs (caisse_id, period, kind, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (caisse_id, period, kind) DO NOTHING RETURNING id`,
      [caisseId, dto.period, kind, principal?.kind === 'user' ? principal.userId : null],
    );
    let run: RunRow;
    if (inserted.length) {
      run = await this.row(caisseId, inserted[0].id);
      await this.audit.record({ caisseId, action: 'allocation-run.requested', targetType: 'allocation-run', targetId: run.id, after: { period: dto.period, dryRun: kind === 'dry-run' } });
      this.enqueueAfterCommit(run.id);
    } else {
      // Unlocked: a worker holds the row while it plans or posts a chunk, and a repeat need not wait for it.
      const [existing]: RunRow[] = await this.txHost.tx.query(`SELECT * FROM allocation_runs WHERE caisse_id = $1 AND period = $2 AND kind = $3`, [caisseId, dto.period, kind]);
      const requeued = await this.requeue(existing);
      run = requeued ?? existing;
      // Asking again is also the quickest recovery of a job Redis lost; while the job exists, its fixed id makes this a no-op.
      if (!requeued && (run.status === 'queued' || run.status === 'running')) this.enqueueAfterCommit(run.id);
    }
    return toRunDto(run);
  }

  async get(caisseId: string, runId: string): Promise<AllocationRunDto> {
    return toRunDto(await this.row(caisseId, runId));
  }

  async list(caisseId: string, period?: string): Promise<AllocationRunDto[]> {
    const rows: RunRow[] = await this.txHost.tx.query(
      `SELECT * FROM allocation_runs WHERE caisse_id = $1 AND ($2::text IS NULL OR period = $2) ORDER BY period DESC, kind LIMIT 200`,
      [caisseId, period ?? null],
    );
    return rows.map(toRunDto);
  }

  async lines(caisseId: string, runId: string, query: { cursor?: string; limit?: number; status?: string }): Promise<Page<AllocationRunLineDto>> {
    const run = await this.row(caisseId, runId);
    const limit = query.limit ?? 50;
    const after = decodeCursor<{ s: number }>(query.cursor, ['s']);
    const filter = storedStatusFilter(query.status);
    // A stored 'credited' is a line posted before chunks stopped rewriting lines: done whatever posted_seq says.
    const rows: LineRow[] = await this.txHost.tx.query(
      `SELECT seq, member_id, wallet_account, status, active_days, adults, children_under14, children_14_and_over, contribution, gross, amount, expired,
              top_up::text, top_up_fund, entry_id, expire_entry_id, error
         FROM allocation_run_lines
        WHERE run_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR status = ANY($3))
          AND ($5::text IS NULL OR ($5 = 'done') = (seq <= $6 OR status = 'credited'))
        ORDER BY seq LIMIT $4`,
      [runId, after?.s ?? 0, filter.statuses, limit + 1, filter.posted, run.posted_seq],
    );
    const page = toPage(rows, limit, (r) => ({ s: r.seq }), (r) => r);
    const derived = await withLedgerOutcome(run, page.items, this.ledger);
    // The ledger is the truth: a line the hint let through whose derived status differs is left out of this page.
    return { items: derived.filter((l) => !query.status || l.status === query.status).map(toLineDto), nextCursor: page.nextCursor };
  }

  @Transactional()
  async cancel(caisseId: string, runId: string): Promise<AllocationRunDto> {
    const run = await this.row(caisseId, runId, true);
    if (run.status !== 'queued' && run.status !== 'running') throw new RunFinished(run.status);
    await this.txHost.tx.query(`UPDATE allocation_runs SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE id = $1`, [runId]);
    await this.audit.record({ caisseId, action: 'allocation-run.cancelled', targetType: 'allocation-run', targetId: runId, after: { period: run.period, done: run.done_lines } });
    return this.get(caisseId, runId);
  }

  /**
   * Members the gate left out whose month is now paid (or waived) get the amount planned for them, at the run's
   * percentage: their lines go back to pending and the run to the queue. The per-member ledger key makes a second
   * credit for the period impossible, whoever asks.
   */
  @Transactional()
  async catchUp(caisseId: string, runId: string): Promise<AllocationRunDto> {
    const run = await this.row(caisseId, runId, true);
    if (run.kind !== 'regular' || run.status !== 'completed') throw new RunNotCatchable(run.kind === 'regular' ? run.status : 'a dry run');
    const passed = (await this.contributions.statusesForPeriod(caisseId, run.period)).filter((st) => st.status === 'paid' || st.status === 'waived').map((st) => st.memberId);
    const lines: { seq: number; member_id: string; amount: string; gross: string; active_days: number }[] = await this.txHost.tx.query(
      `SELECT seq, member_id, amount::text, gross::text, active_days FROM allocation_run_lines WHERE run_id = $1 AND status = 'skipped-gate' AND member_id = ANY($2::uuid[])`,
      [runId, passed],
    );
    if (lines.length === 0) return toRunDto(run);
    const amounts = await this.catchUpAmounts(run, lines);
    const total = amounts.reduce((s, a) => s.plus(a.amount), money(0));
    const funds = await this.contributions.availableForAllocations(caisseId, todayInFrance() > `${run.period}-01` ? todayInFrance() : `${run.period}-01`);
    if (total.gt(funds.available)) throw new InsufficientFundsForRun(formatMoney(total), funds.available, formatMoney(total.minus(funds.available)));
    // The lines move past the run's last line (new seq, in order): the chunks only look beyond posted_seq, and their
    // expiry was settled with the run's first pass (expiry_done), so a chunk credits them and nothing else.
    await this.txHost.tx.query(
      `UPDATE allocation_run_lines l SET seq = top.seq + x.ord, status = CASE WHEN x.amount > 0 THEN 'pending' ELSE 'zero' END, todo = x.amount > 0,
              expiry_done = true, gross = x.gross, amount = x.amount, contribution = coalesce(x.contribution, l.contribution), top_up = x.top_up, top_up_fund = x.top_up_fund
         FROM unnest($2::int[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::text[]) WITH ORDINALITY AS x(seq, gross, amount, contribution, top_up, top_up_fund, ord),
              (SELECT max(seq) AS seq FROM allocation_run_lines WHERE run_id = $1) top
        WHERE l.run_id = $1 AND l.seq = x.seq`,
      [
        runId,
        amounts.map((a) => a.seq),
        amounts.map((a) => formatMoney(a.gross)),
        amounts.map((a) => formatMoney(a.amount)),
        amounts.map((a) => (a.contribution ? formatMoney(a.contribution) : null)),
        amounts.map((a) => formatMoney(a.topUp.topUp)),
        amounts.map((a) => a.topUp.fund),
      ],
    );
    const toCredit = amounts.filter((a) => a.amount.gt(0)).length;
    await this.txHost.tx.query(
      `UPDATE allocation_runs SET status = $3, finished_at = CASE WHEN $2 > 0 THEN NULL ELSE finished_at END, attempts = 0, catch_ups = catch_ups + 1,
              done_lines = done_lines - $2, skipped_members = skipped_members - $4, updated_at = now() WHERE id = $1`,
      [runId, toCredit, toCredit > 0 ? 'queued' : 'completed', lines.length],
    );
    const due = { n: lines.length, total: formatMoney(total) };
    await this.audit.record({ caisseId, action: 'allocation-run.catch-up', targetType: 'allocation-run', targetId: runId, after: { period: run.period, members: due.n, amount: formatMoney(due.total) } });
    if (toCredit > 0) this.enqueueAfterCommit(runId);
    return this.get(caisseId, runId);
  }

  /**
   * The amount planned for each member. Under top-up the contribution is read again: what the member has paid by
   * now decides how the credit splits between the member's own money and the top-up fund. The run's reduction
   * applies either way.
   */
  private async catchUpAmounts(run: RunRow, lines: { seq: number; member_id: string; amount: string; gross: string; active_days: number }[]) {
    const rule = (run.rules as { allocation: AllocationRule }).allocation;
    const noTopUp = { topUp: money(0), fund: null as string | null };
    if (rule.formula !== 'top-up') return lines.map((l) => ({ seq: l.seq, gross: money(l.gross), amount: money(l.amount), contribution: null as Decimal | null, topUp: noTopUp }));
    const paid = new Map((await this.contributions.memberContributions(run.caisse_id, run.period)).map((c) => [c.memberId, money(c.amount)]));
    return lines.map((l) => {
      const contribution = paid.get(l.member_id) ?? money(0);
      const gross = grossAmount(rule, { adults: 0, childrenUnder14: 0, children14AndOver: 0, contribution }, money(0));
      const prorated = prorate(gross, l.active_days, run.days_in_period!);
      const amount = run.reduction_percent === null ? prorated : roundCents(prorated.times(run.reduction_percent).dividedBy(100));
      // The split is stored with the line, as the planner does: the chunk builds the credit from it.
      return { seq: l.seq, gross, amount, contribution, topUp: plannedTopUp(rule, run.fund, amount, contribution) };
    });
  }

  /** Runs Postgres says are unfinished: what a starting worker re-enqueues when Redis lost their jobs. */
  async unfinished(staleSeconds = 0): Promise<string[]> {
    const rows: { id: string }[] = await this.txHost.tx.query(
      `SELECT id FROM allocation_runs WHERE status IN ('queued', 'running') AND updated_at <= now() - make_interval(secs => $1) ORDER BY created_at`,
      [staleSeconds],
    );
    return rows.map((r) => r.id);
  }

  async enqueue(runId: string): Promise<void> {
    // A fixed job id: while a job for the run waits or runs, adding it again is a no-op. Never hangs (see QueueSchedules.add).
    await this.schedules.add(this.queue, RUN_JOB, { runId }, { jobId: runJobId(runId), removeOnComplete: true, removeOnFail: true });
  }

  private enqueueAfterCommit(runId: string): void {
    this.txHost.afterCommit(() => this.enqueue(runId));
  }

  private async requeue(seen: RunRow): Promise<RunRow | undefined> {
    const finished = (r: RunRow) => r.status === 'failed' || r.status === 'cancelled' || (r.kind === 'dry-run' && r.status === 'completed');
    if (!finished(seen)) return undefined;
    // Only a finished run is locked (no worker holds it); re-read under the lock in case a concurrent repeat won.
    const run = await this.row(seen.caisse_id, seen.id, true);
    if (!finished(run)) return run;
    const tx = this.txHost.tx;
    // A dry run, or a run that failed before its plan, is planned afresh: funds or members may have changed.
    if (run.kind === 'dry-run' || !run.planned_at) {
      await tx.query(`DELETE FROM allocation_run_lines WHERE run_id = $1`, [run.id]);
      await tx.query(
        `UPDATE allocation_runs SET planned_at = NULL, total_lines = 0, done_lines = 0, credited_members = 0, credited_amount = 0, expired_amount = 0,
                skipped_members = 0, reduction_percent = NULL, needed = NULL, available = NULL WHERE id = $1`,
        [run.id],
      );
    }
    await tx.query(`UPDATE allocation_runs SET status = 'queued', finished_at = NULL, attempts = 0, errors = '[]', updated_at = now() WHERE id = $1`, [run.id]);
    await this.audit.record({ caisseId: run.caisse_id, action: 'allocation-run.requeued', targetType: 'allocation-run', targetId: run.id, before: { status: run.status } });
    this.enqueueAfterCommit(run.id);
    return this.row(run.caisse_id, run.id);
  }

  private async assertRunnable(caisseId: string, period: string): Promise<void> {
    // Next month is the latest period a run may be asked for (allocations are credited ahead, never further).
    const latest = nextPeriod(todayInFrance());
    if (period > latest) throw new ValidationFailed({ period: [`period must be ${latest} or earlier (at most next month)`] });
    try {
      await this.caisses.rulesInForce(caisseId, `${period}-01`);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NO_RULES_IN_FORCE') throw new ValidationFailed({ period: [`no rule version is in force on ${period}-01`] });
      throw e;
    }
    const closings = await this.ledger.closings(caisseId);
    const through = closings.map((c) => c.closedThrough).sort().pop();
    if (through && through >= `${period}-01`) throw new PeriodClosedForRun(period, through);
  }

  private async row(caisseId: string, runId: string, lock = false): Promise<RunRow> {
    const [run]: RunRow[] = await this.txHost.tx.query(`SELECT * FROM allocation_runs WHERE id = $1 AND caisse_id = $2 ${lock ? 'FOR UPDATE' : ''}`, [runId, caisseId]);
    if (!run) throw new AllocationRunNotFound(runId);
    return run;
  }
}
