import { todayInFrance } from '../common/dates.js';
import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, isMoneyString, money, MAX_AMOUNT } from '../common/money/money.js';
import { isIsoDate } from '../common/validation/validators.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { entryContentHash } from './entry-hash.js';
import { EntryReader } from './entry-reader.service.js';
import { AlreadyReversed, BooksNotOpen, EntryNotFound, InsufficientFunds, PeriodClosed, UnbalancedEntry, UnknownAccount } from './ledger.errors.js';
import { JOURNALS, type EntryView, type PostingInput } from './ledger.types.js';

interface NormalLine {
  account: string;
  debit: string;
  credit: string;
  fund: string | null;
  grant: string | null;
}

interface LockedAccount {
  id: string;
  code: string;
  label: string;
  no_overdraft: boolean;
  debits_posted: string;
  credits_posted: string;
  closed_through: string | null;
}

export interface PostResult {
  entry: EntryView;
  replayed: boolean;
}

/** Writes journal entries. All checks the database also enforces are made first, to answer with a clear problem. */
@Injectable()
export class PostingService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly reader: EntryReader,
  ) {}

  @Transactional()
  async post(input: PostingInput): Promise<PostResult> {
    const lines = normaliseLines(input);
    validateHeader(input);
    const hash = entryContentHash({ ...input, reverses: input.reverses ?? null, lines });
    const tx = this.txHost.tx;

    const existing = await this.findByKey(input.caisseId, input.idempotencyKey);
    if (existing) return this.replay(existing, hash);

    const codes = [...new Set(lines.map((l) => l.account))];
    // Sorted by id so that concurrent postings always lock in the same order and cannot deadlock.
    const locked: LockedAccount[] = await tx.query(
      `SELECT a.id, a.code, a.label, a.no_overdraft, a.debits_posted, a.credits_posted,
              (SELECT closed_through::text FROM ledger_books WHERE caisse_id = $1) AS closed_through
         FROM ledger_accounts a WHERE a.caisse_id = $1 AND a.code = ANY($2::text[]) ORDER BY a.id FOR UPDATE`,
      [input.caisseId, codes],
    );
    const byCode = new Map(locked.map((a) => [a.code, a]));
    for (const code of codes) if (!byCode.has(code)) throw new UnknownAccount(code);
    const closedThrough = locked[0]?.closed_through;
    if (closedThrough && input.date <= closedThrough) throw new PeriodClosed(input.date, closedThrough);
    assertNoOverdraft(lines, byCode);

    try {
      const [row]: { id: string; entry_no: string; validated_at: Date }[] = await tx.query(
        `WITH n AS (
           UPDATE ledger_books SET last_entry_no = last_entry_no + 1 WHERE caisse_id = $1 RETURNING last_entry_no
         ), e AS (
           INSERT INTO journal_entries (caisse_id, entry_no, journal, entry_date, label, piece_ref, idempotency_key, reverses_entry_id, content_hash)
           SELECT $1, n.last_entry_no, $2, $3, $4, $5, $6, $7, $8 FROM n RETURNING id, entry_no, validated_at
         ), l AS (
           INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit, fund, grant_ref)
           SELECT e.id, x.line_no, $1, x.account_id, x.debit, x.credit, x.fund, x.grant_ref
             FROM e, unnest($9::smallint[], $10::bigint[], $11::numeric[], $12::numeric[], $13::text[], $14::text[])
                  AS x(line_no, account_id, debit, credit, fund, grant_ref)
         )
         SELECT id, entry_no, validated_at FROM e`,
        [
          input.caisseId,
          input.journal,
          input.date,
          input.label,
          input.pieceRef,
          input.idempotencyKey,
          input.reverses ?? null,
          hash,
          lines.map((_, i) => i + 1),
          lines.map((l) => byCode.get(l.account)!.id),
          lines.map((l) => l.debit),
          lines.map((l) => l.credit),
          lines.map((l) => l.fund),
          lines.map((l) => l.grant),
        ],
      );
      if (!row) throw new BooksNotOpen(input.caisseId);
      const entry: EntryView = {
        id: row.id,
        entryNo: Number(row.entry_no),
        journal: input.journal,
        date: input.date,
        label: input.label,
        pieceRef: input.pieceRef,
        idempotencyKey: input.idempotencyKey,
        reverses: input.reverses ?? null,
        reversedBy: null,
        contentHash: hash,
        validatedAt: row.validated_at.toISOString(),
        lines: lines.map((l, i) => ({ lineNo: i + 1, ...l, accountLabel: byCode.get(l.account)!.label })),
      };
      return { entry, replayed: false };
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'uq_journal_entries_reverses') {
        throw new Conflict('ALREADY_REVERSED', `Entry ${input.reverses} was already reversed.`);
      }
      throw e;
    }
  }

  /** Posts the mirror of an entry (debits become credits), once: a second reversal is refused. */
  @Transactional()
  async reverse(caisseId: string, entryId: string, reason: string, opts: { date?: string; idempotencyKey?: string } = {}): Promise<PostResult> {
    const original = await this.reader.find(caisseId, entryId);
    if (!original) throw new EntryNotFound(entryId);
    const idempotencyKey = opts.idempotencyKey ?? `reversal:${entryId}`;
    if (original.reversedBy) {
      // Only a retry carrying the key of that very reversal gets it back (post() replays it); anything else is refused.
      const replay = opts.idempotencyKey ? await this.findByKey(caisseId, idempotencyKey) : undefined;
      if (replay?.id !== original.reversedBy) throw new AlreadyReversed(entryId, original.reversedBy);
    }
    if (original.reverses) throw new Conflict('CANNOT_REVERSE_REVERSAL', 'A reversal cannot itself be reversed; post a new entry instead.');
    return this.post({
      caisseId,
      journal: original.journal,
      date: opts.date ?? todayInFrance(),
      label: `Extourne n°${original.entryNo} : ${reason}`.slice(0, 200),
      pieceRef: original.pieceRef,
      idempotencyKey,
      reverses: entryId,
      lines: original.lines.map((l) => ({
        account: l.account,
        ...(money(l.debit).gt(0) ? { credit: l.debit } : { debit: l.credit }),
        fund: l.fund ?? undefined,
        grant: l.grant ?? undefined,
      })),
    });
  }

  private async findByKey(caisseId: string, key: string): Promise<{ id: string; content_hash: string } | undefined> {
    const rows = await this.txHost.tx.query(`SELECT id, content_hash FROM journal_entries WHERE caisse_id = $1 AND idempotency_key = $2`, [caisseId, key]);
    return rows[0];
  }

  private async replay(existing: { id: string; content_hash: string }, hash: string): Promise<PostResult> {
    if (existing.content_hash !== hash) {
      throw new Conflict('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a different entry.');
    }
    const entry = await this.reader.getById(existing.id);
    return { entry, replayed: true };
  }
}

function validateHeader(input: PostingInput): void {
  const errors: Record<string, string[]> = {};
  if (!JOURNALS.includes(input.journal)) errors.journal = [`journal must be one of ${JOURNALS.join(', ')}`];
  if (!isIsoDate(input.date)) errors.date = ['date must be a date written YYYY-MM-DD'];
  if (!input.label?.trim() || input.label.length > 200) errors.label = ['label must be 1 to 200 characters'];
  if (!input.pieceRef?.trim() || input.pieceRef.length > 100) errors.pieceRef = ['pieceRef must be 1 to 100 characters'];
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) errors.idempotencyKey = ['idempotencyKey must be 1 to 200 characters'];
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
}

function normaliseLines(input: PostingInput): NormalLine[] {
  const errors: Record<string, string[]> = {};
  if (!Array.isArray(input.lines) || input.lines.length < 2) throw new ValidationFailed({ lines: ['an entry needs at least two lines'] });
  if (input.lines.length > 1000) throw new ValidationFailed({ lines: ['an entry may have at most 1000 lines'] });
  let debits = money(0);
  let credits = money(0);
  const lines = input.lines.map((l, i) => {
    const d = l.debit === undefined ? undefined : String(l.debit);
    const c = l.credit === undefined ? undefined : String(l.credit);
    const amount = d ?? c;
    if ((d === undefined) === (c === undefined)) (errors[`lines.${i}`] ??= []).push('a line has either a debit or a credit, not both or neither');
    else if (!isMoneyString(amount) || money(amount!).lte(0) || money(amount!).gt(MAX_AMOUNT)) {
      (errors[`lines.${i}.${d !== undefined ? 'debit' : 'credit'}`] ??= []).push('amount must be positive with at most 2 decimals');
    }
    if (typeof l.account !== 'string' || !l.account) (errors[`lines.${i}.account`] ??= []).push('account is required');
    if (errors[`lines.${i}`] || errors[`lines.${i}.debit`] || errors[`lines.${i}.credit`]) return undefined;
    const value = formatMoney(amount!);
    if (d !== undefined) debits = debits.plus(value);
    else credits = credits.plus(value);
    return { account: l.account, debit: d !== undefined ? value : '0.00', credit: c !== undefined ? value : '0.00', fund: l.fund ?? null, grant: l.grant ?? null };
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  if (!debits.equals(credits)) throw new UnbalancedEntry(formatMoney(debits), formatMoney(credits));
  return lines as NormalLine[];
}

function assertNoOverdraft(lines: NormalLine[], byCode: Map<string, LockedAccount>): void {
  const delta = new Map<string, ReturnType<typeof money>>();
  for (const l of lines) delta.set(l.account, (delta.get(l.account) ?? money(0)).plus(l.credit).minus(l.debit));
  for (const [code, change] of delta) {
    const a = byCode.get(code)!;
    if (!a.no_overdraft || change.gte(0)) continue;
    const available = money(a.credits_posted).minus(a.debits_posted);
    if (available.plus(change).lt(0)) throw new InsufficientFunds(code, formatMoney(available), formatMoney(change.negated()));
  }
}
