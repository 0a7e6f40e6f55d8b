import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { Conflict, DomainError } from '../common/errors/domain-error.js';
import { money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { canonicalPosting, entryContentHash } from './entry-hash.js';
import { EntryReader } from './entry-reader.service.js';
import { fiscalYearOf } from './chart-rules.js';
import { AccountClosed, AlreadyReversed, BooksNotOpen, EntryNotFound, PeriodClosed, UnknownAccount } from './ledger.errors.js';
import { type Locked, readAndLock } from './batch-locks.js';
import { checkLimits } from './posting-limits.js';
import type { BatchItemResult, PostingInput, PreparedPosting } from './ledger.types.js';
import { type AccountState, applyWithoutOverdraft, type NormalLine, normaliseLines, validateHeader } from './posting-rules.js';
import { HOT_BATCH_ROWS, hotUpTo } from '../database/prepared.js';


type EntryHeader = Readonly<Omit<PostingInput, 'lines'>>;

interface Prepared {
  index: number;
  input: EntryHeader;
  lines: NormalLine[];
  hash: string;
}

/** What a PreparedPosting really holds: the checked entry (its header copied, so a caller's later edit cannot change it) or its refusal. */
type PreparedItem = { caisseId: string; idempotencyKey: string } & ({ input: EntryHeader; lines: readonly NormalLine[]; hash: string; error?: undefined } | { error: DomainError });

// Only items this module made are accepted by postPrepared: a hand-made object could carry a hash that lies.
const madeHere = new WeakSet<object>();
const wrongCaisse = () => new DomainError('WRONG_CAISSE', 400, 'Every entry of a batch must belong to the same caisse.');

/**
 * Only the annual closing uses these: its entries are dated in months already closed (the dates it names) and may
 * be long (one à-nouveau line per balance-sheet account); the sanity limits of everyday postings do not apply.
 */
export interface YearEndOptions {
  yearEndDates: readonly string[];
  maxLines: number;
}

type Accepted = Prepared & { accounts: AccountState[]; fiscalYear: string };

const conflict = () => new Conflict('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a different entry.');

/**
 * Posts many entries of one caisse in one transaction: accounts are locked once in id order, every entry is checked
 * on its own (a refused entry never blocks the others), numbers are reserved with one counter update and all entries
 * and lines go in with one statement. The single-entry path is a batch of one, so both behave identically.
 */
@Injectable()
export class BatchPostingService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly reader: EntryReader,
  ) {}

  @Transactional()
  postBatch(caisseId: string, inputs: PostingInput[], yearEnd?: YearEndOptions): Promise<BatchItemResult[]> {
    return this.postPrepared(caisseId, this.prepare(caisseId, inputs, yearEnd?.maxLines), yearEnd);
  }

  /**
   * The pure part of posting: canonical text and ids, header checks, canonical lines, balance, content hash — no
   * database. A caller with many batches (allocation runs) prepares the next one while the previous one's SQL runs.
   */
  prepare(caisseId: string, inputs: PostingInput[], maxLines?: number): PreparedPosting[] {
    const caisse = caisseId.toLowerCase();
    return inputs.map((raw) => {
      let item: PreparedItem;
      try {
        const input = canonicalPosting(raw);
        if (input.caisseId !== caisse) throw wrongCaisse();
        validateHeader(input);
        const lines = normaliseLines(input, maxLines).map((l) => Object.freeze(l));
        const header: EntryHeader = Object.freeze({
          caisseId: input.caisseId,
          journal: input.journal,
          date: input.date,
          label: input.label,
          pieceRef: input.pieceRef,
          idempotencyKey: input.idempotencyKey,
          ...(input.reverses === undefined ? {} : { reverses: input.reverses }),
          ...(input.fields === undefined ? {} : { fields: Object.freeze({ ...input.fields }) }),
        });
        item = { caisseId: caisse, idempotencyKey: input.idempotencyKey, input: header, lines: Object.freeze(lines), hash: entryContentHash({ ...header, reverses: header.reverses ?? null, lines }) };
      } catch (e) {
        item = { caisseId: caisse, idempotencyKey: String(raw.idempotencyKey), error: fail(e).error };
      }
      madeHere.add(Object.freeze(item));
      return item as unknown as PreparedPosting;
    });
  }

  /** Posts prepared entries in one transaction (the caller's, else its own); results in the order given. */
  @Transactional()
  async postPrepared(caisseId: string, items: readonly PreparedPosting[], yearEnd?: YearEndOptions): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = new Array(items.length);
    const prepared: Prepared[] = [];
    items.forEach((raw, index) => {
      if (!madeHere.has(raw)) throw new Error('postPrepared takes only what LedgerService.prepareBatch returned');
      const item = raw as unknown as PreparedItem;
      if (item.error) results[index] = { ok: false, error: item.error };
      else if (item.caisseId !== caisseId.toLowerCase()) results[index] = { ok: false, error: wrongCaisse() };
      else prepared.push({ index, input: item.input, lines: item.lines as NormalLine[], hash: item.hash });
    });

    const { existing, locked } = await readAndLock(this.txHost.tx, caisseId, prepared.map((p) => ({ key: p.input.idempotencyKey, accounts: p.lines.map((l) => l.account) })));
    const replays = new Map<number, string>();
    const fresh: Prepared[] = [];
    for (const p of prepared) {
      const found = existing.get(p.input.idempotencyKey);
      if (!found) fresh.push(p);
      else if (found.hash === p.hash) replays.set(p.index, found.id);
      else results[p.index] = { ok: false, error: conflict() };
    }

    const sameAs = new Map<number, number>();
    const accepted = await this.check(caisseId, fresh, locked, results, sameAs, yearEnd);
    await this.lateTwins(caisseId, fresh, results, replays);
    await this.insert(caisseId, accepted, results);
    if (replays.size) {
      const views = new Map((await this.reader.getMany([...new Set(replays.values())])).map((v) => [v.id, v]));
      for (const [index, id] of replays) results[index] = { ok: true, entry: views.get(id)!, replayed: true };
    }
    for (const [index, first] of sameAs) {
      const r = results[first];
      if (r.ok) results[index] = { ok: true, entry: r.entry, replayed: true };
    }
    return results;
  }

  /** Checks each fresh entry in order against the locked accounts. */
  private async check(caisseId: string, fresh: Prepared[], { accounts: rows, books }: Locked, results: BatchItemResult[], sameAs: Map<number, number>, yearEnd?: YearEndOptions): Promise<Accepted[]> {
    if (!fresh.length) return [];
    const today = todayInFrance();
    const closed = new Set(rows.filter((r) => r.closed).map((r) => r.code));
    const states = new Map<string, AccountState>(
      rows.map((r) => [r.code, { id: r.id, code: r.code, label: r.label, noOverdraft: r.no_overdraft, side: r.normal_side, available: money(r.credits_posted).minus(r.debits_posted) }]),
    );
    const reversed = await this.reversalState(caisseId, fresh.map((p) => p.input.reverses).filter((x): x is string => !!x));
    const accepted: Accepted[] = [];
    // As in one-by-one posting, a key belongs to the first entry accepted with it; a refused entry leaves it free.
    const owner = new Map<string, Prepared>();
    for (const p of fresh) {
      const twin = owner.get(p.input.idempotencyKey);
      if (twin) {
        if (twin.hash === p.hash) sameAs.set(p.index, twin.index);
        else results[p.index] = { ok: false, error: conflict() };
        continue;
      }
      try {
        const unknown = p.lines.find((l) => !states.has(l.account));
        if (unknown) throw new UnknownAccount(unknown.account);
        // A closed account takes no posting, except a reversal that brings it no further from zero than it is.
        // Year-end entries only restate balances the books already hold, closed accounts included.
        const restating = !!yearEnd?.yearEndDates.includes(p.input.date);
        for (const code of new Set(p.lines.filter((l) => !restating && closed.has(l.account)).map((l) => l.account))) {
          const change = p.lines.filter((l) => l.account === code).reduce((sum, l) => sum.plus(l.credit).minus(l.debit), money(0));
          const before = states.get(code)!.available;
          if (!p.input.reverses || before.plus(change).abs().gt(before.abs())) throw new AccountClosed(code);
        }
        if (restating) {
          // Year-end entries: dated where the closing puts them, whatever the monthly closings and the limits say.
        } else {
          if (books.closedThrough && p.input.date <= books.closedThrough) throw new PeriodClosed(p.input.date, books.closedThrough);
          checkLimits(p.input, p.lines, books, today);
        }
        if (p.input.reverses) {
          const state = reversed.get(p.input.reverses);
          if (state === undefined) throw new EntryNotFound(p.input.reverses);
          if (state) throw new AlreadyReversed(p.input.reverses, state);
        }
        applyWithoutOverdraft(p.lines, states);
        if (p.input.reverses) reversed.set(p.input.reverses, 'this batch');
        accepted.push({ ...p, accounts: p.lines.map((l) => states.get(l.account)!), fiscalYear: fiscalYearOf(p.input.date, books.fiscalYearStartMonth) });
        owner.set(p.input.idempotencyKey, p);
      } catch (e) {
        results[p.index] = fail(e);
      }
    }
    return accepted;
  }

  /** entry id -> id of its reversal ('' when not reversed); absent when the entry is not in this caisse. */
  /**
   * The statement that read the keys took its snapshot before it waited for the account locks: an entry with the same
   * key committed meanwhile (a retry answered by another process) is invisible to it, and what that twin spent can
   * refuse this one. Refused keys are read again by a new statement, which sees every commit made before the locks
   * were granted: a twin found turns the refusal into the replay (or, for another body, the conflict) it should be.
   */
  private async lateTwins(caisseId: string, fresh: Prepared[], results: BatchItemResult[], replays: Map<number, string>): Promise<void> {
    const refused = fresh.filter((p) => results[p.index] && !results[p.index].ok);
    if (!refused.length) return;
    const rows: { k: string; id: string; hash: string }[] = await this.txHost.tx.query(
      `SELECT idempotency_key AS k, id::text AS id, content_hash AS hash FROM journal_entries WHERE caisse_id = $1 AND idempotency_key = ANY($2::text[])`,
      [caisseId, refused.map((p) => p.input.idempotencyKey)],
    );
    const twins = new Map(rows.map((r) => [r.k, r]));
    for (const p of refused) {
      const twin = twins.get(p.input.idempotencyKey);
      if (twin?.hash === p.hash) replays.set(p.index, twin.id);
      else if (twin) results[p.index] = { ok: false, error: conflict() };
    }
  }

  private async reversalState(caisseId: string, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; reversed_by: string | null }[] = await this.txHost.tx.query(
      `SELECT e.id, r.id AS reversed_by FROM journal_entries e LEFT JOIN journal_entries r ON r.reverses_entry_id = e.id
        WHERE e.caisse_id = $1 AND e.id = ANY($2::uuid[])`,
      [caisseId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.reversed_by ?? '']));
  }

  /**
   * One statement: the global counter (ledger_books, locked first since every other CTE reads it), then one counter
   * row per fiscal year the batch touches, then entries and lines. Within a year, numbers follow the batch order, so
   * the per-year sequence is the posting order even when entries of two years interleave.
   */
  private async insert(caisseId: string, accepted: Accepted[], results: BatchItemResult[]): Promise<void> {
    if (!accepted.length) return;
    const lines = accepted.flatMap((p, ord) => p.lines.map((l, i) => ({ ord: ord + 1, lineNo: i + 1, accountId: p.accounts[i].id, ...l })));
    const perYear = new Map<string, number>();
    const yearOrd = accepted.map((p) => {
      const n = (perYear.get(p.fiscalYear) ?? 0) + 1;
      perYear.set(p.fiscalYear, n);
      return n;
    });
    const rows: { id: string; ord: number; entry_no: string; year_entry_no: string; validated_at: Date }[] = await this.txHost.tx.query(
      hotUpTo(accepted.length, HOT_BATCH_ROWS, `WITH n AS (
         UPDATE ledger_books SET last_entry_no = last_entry_no + $2 WHERE caisse_id = $1 RETURNING last_entry_no - $2 AS base
       ), c AS (
         SELECT fy, count(*)::bigint AS cnt FROM unnest($18::date[]) AS fy GROUP BY fy
       ), yr AS (
         INSERT INTO ledger_year_counters AS yc (caisse_id, fiscal_year, last_entry_no)
         SELECT $1, c.fy, c.cnt FROM n, c ORDER BY c.fy
         ON CONFLICT (caisse_id, fiscal_year) DO UPDATE SET last_entry_no = yc.last_entry_no + EXCLUDED.last_entry_no
         RETURNING fiscal_year, last_entry_no
       ), yb AS (
         SELECT yr.fiscal_year, yr.last_entry_no - c.cnt AS base FROM yr JOIN c ON c.fy = yr.fiscal_year
       ), e AS (
         INSERT INTO journal_entries (caisse_id, entry_no, fiscal_year, year_entry_no, journal, entry_date, label, piece_ref, idempotency_key, reverses_entry_id, content_hash)
         SELECT $1, n.base + x.ord, x.fy, yb.base + x.yord, x.journal, x.entry_date, x.label, x.piece_ref, x.idem, x.reverses, x.hash
           FROM n, unnest($3::int[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $18::date[], $19::int[])
                AS x(ord, journal, entry_date, label, piece_ref, idem, reverses, hash, fy, yord)
           JOIN yb ON yb.fiscal_year = x.fy
         RETURNING id, entry_no, year_entry_no, validated_at
       ), l AS (
         INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit, fund, grant_ref)
         SELECT e.id, y.line_no, $1, y.account_id, y.debit, y.credit, y.fund, y.grant_ref
           FROM unnest($11::int[], $12::smallint[], $13::bigint[], $14::numeric[], $15::numeric[], $16::text[], $17::text[])
                AS y(ord, line_no, account_id, debit, credit, fund, grant_ref)
           JOIN e ON e.entry_no = (SELECT base FROM n) + y.ord
       )
       SELECT e.id, (e.entry_no - (SELECT base FROM n))::int AS ord, e.entry_no, e.year_entry_no, e.validated_at FROM e`),
      [
        caisseId,
        accepted.length,
        accepted.map((_, i) => i + 1),
        accepted.map((p) => p.input.journal),
        accepted.map((p) => p.input.date),
        accepted.map((p) => p.input.label),
        accepted.map((p) => p.input.pieceRef),
        accepted.map((p) => p.input.idempotencyKey),
        accepted.map((p) => p.input.reverses ?? null),
        accepted.map((p) => p.hash),
        lines.map((l) => l.ord),
        lines.map((l) => l.lineNo),
        lines.map((l) => l.accountId),
        lines.map((l) => l.debit),
        lines.map((l) => l.credit),
        lines.map((l) => l.fund),
        lines.map((l) => l.grant),
        accepted.map((p) => p.fiscalYear),
        yearOrd,
      ],
    );
    if (rows.length !== accepted.length) throw new BooksNotOpen(caisseId);
    for (const row of rows) {
      const p = accepted[row.ord - 1];
      results[p.index] = {
        ok: true,
        replayed: false,
        entry: {
          id: row.id,
          entryNo: Number(row.entry_no),
          fiscalYear: p.fiscalYear,
          yearEntryNo: Number(row.year_entry_no),
          journal: p.input.journal,
          date: p.input.date,
          label: p.input.label,
          pieceRef: p.input.pieceRef,
          idempotencyKey: p.input.idempotencyKey,
          reverses: p.input.reverses ?? null,
          reversedBy: null,
          contentHash: p.hash,
          validatedAt: row.validated_at.toISOString(),
          lines: p.lines.map((l, i) => ({ lineNo: i + 1, account: l.account, accountLabel: p.accounts[i].label, debit: l.debit, credit: l.credit, fund: l.fund, grant: l.grant })),
        },
      };
    }
  }
}

function fail(e: unknown): { ok: false; error: DomainError } {
  if (e instanceof DomainError) return { ok: false, error: e };
  throw e;
}
