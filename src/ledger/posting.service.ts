import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { Conflict } from '../common/errors/domain-error.js';
import { money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { BatchPostingService } from './batch-posting.service.js';
import { EntryReader } from './entry-reader.service.js';
import { AlreadyReversed, EntryNotFound } from './ledger.errors.js';
import type { EntryView, PostingInput } from './ledger.types.js';

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
    private readonly batch: BatchPostingService,
  ) {}

  /** One entry; it goes through the batch path, so single and batched postings obey exactly the same rules. */
  @Transactional()
  async post(input: PostingInput): Promise<PostResult> {
    const [result] = await this.batch.postBatch(input.caisseId, [input]);
    if (!result.ok) throw result.error;
    return { entry: result.entry, replayed: result.replayed };
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

  private async findByKey(caisseId: string, key: string): Promise<{ id: string } | undefined> {
    const rows = await this.txHost.tx.query(`SELECT id FROM journal_entries WHERE caisse_id = $1 AND idempotency_key = $2`, [caisseId, key]);
    return rows[0];
  }
}
