import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { entryContentHash, GENESIS_HASH, sealHash, windowHash } from './entry-hash.js';

export interface SealView {
  seq: number;
  fromEntryNo: number;
  toEntryNo: number;
  entriesHash: string;
  totals: { debit: string; credit: string };
  previousHash: string;
  sealHash: string;
  sealedAt: string;
}

export interface VerifyProblem {
  kind: 'entry-hash' | 'entry-unbalanced' | 'numbering' | 'balance' | 'seal' | 'overdraft';
  detail: string;
  entryId?: string;
  entryNo?: number;
  account?: string;
  seal?: number;
}

export interface VerifyReport {
  ok: boolean;
  checkedEntries: number;
  checkedAccounts: number;
  checkedSeals: number;
  problems: VerifyProblem[];
}

interface EntryRow {
  id: string;
  entry_no: string;
  journal: string;
  entry_date: string;
  label: string;
  piece_ref: string;
  idempotency_key: string;
  reverses_entry_id: string | null;
  content_hash: string;
  lines: { account: string; debit: string; credit: string; fund: string | null; grant: string | null }[];
}

const ENTRIES_SQL = `
  SELECT e.id, e.entry_no, e.journal, e.entry_date::text AS entry_date, e.label, e.piece_ref, e.idempotency_key,
         e.reverses_entry_id, e.content_hash,
         (SELECT json_agg(json_build_object('account', a.code,
                  'debit', to_char(l.debit, 'FM999999999999990.00'), 'credit', to_char(l.credit, 'FM999999999999990.00'),
                  'fund', l.fund, 'grant', l.grant_ref) ORDER BY l.line_no)
            FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.entry_id = e.id) AS lines
    FROM journal_entries e WHERE e.caisse_id = $1 AND e.entry_no > $2 AND e.entry_no <= $3 ORDER BY e.entry_no`;

const BATCH = 2000;

/** Tamper evidence: seals chain a hash over each window of entries; verify recomputes everything from the lines. */
@Injectable()
export class IntegrityService {
  constructor(readonly txHost: TransactionHost) {}

  /** Seals the entries posted since the last seal; returns undefined when there is nothing new. */
  @Transactional()
  async seal(caisseId: string): Promise<SealView | undefined> {
    const tx = this.txHost.tx;
    // One sealer at a time per caisse; postings are not blocked.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('ledger-seal:' || $1))`, [caisseId]);
    const [last]: { seq: number; to_entry_no: string; seal_hash: string; total_debit: string; total_credit: string }[] = await tx.query(
      `SELECT seq, to_entry_no, seal_hash, total_debit, total_credit FROM ledger_seals WHERE caisse_id = $1 ORDER BY seq DESC LIMIT 1`,
      [caisseId],
    );
    const from = Number(last?.to_entry_no ?? 0);
    const [{ max }]: { max: string | null }[] = await tx.query(`SELECT max(entry_no) AS max FROM journal_entries WHERE caisse_id = $1`, [caisseId]);
    const to = Number(max ?? 0);
    if (to <= from) return undefined;
    const entries: { entry_no: string; content_hash: string }[] = await tx.query(
      `SELECT entry_no, content_hash FROM journal_entries WHERE caisse_id = $1 AND entry_no > $2 AND entry_no <= $3 ORDER BY entry_no`,
      [caisseId, from, to],
    );
    const [sums]: { debit: string; credit: string }[] = await tx.query(
      `SELECT coalesce(sum(l.debit), 0) AS debit, coalesce(sum(l.credit), 0) AS credit
         FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.caisse_id = $1 AND e.entry_no > $2 AND e.entry_no <= $3`,
      [caisseId, from, to],
    );
    const seal = {
      previousHash: last?.seal_hash ?? GENESIS_HASH,
      entriesHash: windowHash(entries.map((e) => ({ entryNo: e.entry_no, contentHash: e.content_hash }))),
      totalDebit: formatMoney(money(last?.total_debit ?? 0).plus(sums.debit)),
      totalCredit: formatMoney(money(last?.total_credit ?? 0).plus(sums.credit)),
      fromEntryNo: from + 1,
      toEntryNo: to,
    };
    const hash = sealHash(seal);
    const seq = (last?.seq ?? 0) + 1;
    const [row]: { sealed_at: Date }[] = await tx.query(
      `INSERT INTO ledger_seals (caisse_id, seq, from_entry_no, to_entry_no, entries_hash, total_debit, total_credit, previous_hash, seal_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING sealed_at`,
      [caisseId, seq, seal.fromEntryNo, to, seal.entriesHash, seal.totalDebit, seal.totalCredit, seal.previousHash, hash],
    );
    return { seq, fromEntryNo: seal.fromEntryNo, toEntryNo: to, entriesHash: seal.entriesHash, totals: { debit: seal.totalDebit, credit: seal.totalCredit }, previousHash: seal.previousHash, sealHash: hash, sealedAt: row.sealed_at.toISOString() };
  }

  /** Recomputes entry hashes, entry balance, numbering, account balances and the seal chain, in one snapshot. */
  @Transactional('REPEATABLE READ')
  async verify(caisseId: string): Promise<VerifyReport> {
    const tx = this.txHost.tx;
    const problems: VerifyProblem[] = [];
    const [{ max }]: { max: string | null }[] = await tx.query(`SELECT max(entry_no) AS max FROM journal_entries WHERE caisse_id = $1`, [caisseId]);
    const last = Number(max ?? 0);
    const windowHashes = new Map<number, string>();
    let checked = 0;
    let expectedNo = 1;
    for (let from = 0; from < last; from += BATCH) {
      const rows: EntryRow[] = await tx.query(ENTRIES_SQL, [caisseId, from, Math.min(from + BATCH, last)]);
      for (const r of rows) {
        checked++;
        const no = Number(r.entry_no);
        if (no !== expectedNo) problems.push({ kind: 'numbering', entryNo: expectedNo, detail: `entry numbers jump from ${expectedNo - 1} to ${no}` });
        expectedNo = no + 1;
        const lines = r.lines ?? [];
        const hash = entryContentHash({ caisseId, journal: r.journal, date: r.entry_date, label: r.label, pieceRef: r.piece_ref, idempotencyKey: r.idempotency_key, reverses: r.reverses_entry_id, lines });
        if (hash !== r.content_hash) problems.push({ kind: 'entry-hash', entryId: r.id, entryNo: no, detail: `entry n°${no} does not match its content hash: it was altered after posting` });
        const d = lines.reduce((s, l) => s.plus(l.debit), money(0));
        const c = lines.reduce((s, l) => s.plus(l.credit), money(0));
        if (!d.equals(c) || lines.length < 2) problems.push({ kind: 'entry-unbalanced', entryId: r.id, entryNo: no, detail: `entry n°${no} has debits ${formatMoney(d)} and credits ${formatMoney(c)}` });
        windowHashes.set(no, r.content_hash);
      }
    }
    problems.push(...(await this.checkYearNumbering(caisseId)));
    problems.push(...(await this.checkBalances(caisseId)));
    const seals = await this.checkSeals(caisseId, windowHashes, problems);
    const [{ accounts }]: { accounts: number }[] = await tx.query(`SELECT count(*)::int AS accounts FROM ledger_accounts WHERE caisse_id = $1`, [caisseId]);
    return { ok: problems.length === 0, checkedEntries: checked, checkedAccounts: accounts, checkedSeals: seals, problems };
  }

  /**
   * Within each fiscal year, numbers run 1, 2, 3… in posting (global) order: the FEC of a year has no gap and no
   * entry numbered before one posted earlier.
   */
  private async checkYearNumbering(caisseId: string): Promise<VerifyProblem[]> {
    const rows: { fiscal_year: string; entry_no: string; year_entry_no: string; expected: string }[] = await this.txHost.tx.query(
      `SELECT fiscal_year::text, entry_no, year_entry_no, expected FROM (
         SELECT fiscal_year, entry_no, year_entry_no, row_number() OVER (PARTITION BY fiscal_year ORDER BY entry_no) AS expected
           FROM journal_entries WHERE caisse_id = $1) x
        WHERE year_entry_no <> expected ORDER BY entry_no LIMIT 100`,
      [caisseId],
    );
    return rows.map((r) => ({
      kind: 'numbering' as const,
      entryNo: Number(r.entry_no),
      detail: `entry n°${r.entry_no} is number ${r.year_entry_no} of the fiscal year starting ${r.fiscal_year}, where ${r.expected} was expected`,
    }));
  }

  private async checkBalances(caisseId: string): Promise<VerifyProblem[]> {
    const rows: { code: string; debits_posted: string; credits_posted: string; d: string; c: string; no_overdraft: boolean; normal_side: 'D' | 'C' }[] = await this.txHost.tx.query(
      `SELECT a.code, a.debits_posted, a.credits_posted, a.no_overdraft, a.normal_side, coalesce(s.d, 0) AS d, coalesce(s.c, 0) AS c
         FROM ledger_accounts a
         LEFT JOIN (SELECT account_id, sum(debit) AS d, sum(credit) AS c FROM journal_lines WHERE caisse_id = $1 GROUP BY account_id) s
           ON s.account_id = a.id
        WHERE a.caisse_id = $1`,
      [caisseId],
    );
    const problems: VerifyProblem[] = [];
    for (const r of rows) {
      if (!money(r.debits_posted).equals(r.d) || !money(r.credits_posted).equals(r.c)) {
        problems.push({ kind: 'balance', account: r.code, detail: `account ${r.code} holds debits ${formatMoney(r.debits_posted)} / credits ${formatMoney(r.credits_posted)} but its lines add up to ${formatMoney(r.d)} / ${formatMoney(r.c)}` });
      }
      // Wallets (credit side) never debit-balanced; the till and the cheque drawer (debit side) never credit-balanced.
      if (r.no_overdraft && r.normal_side === 'C' && money(r.d).gt(r.c)) problems.push({ kind: 'overdraft', account: r.code, detail: `wallet ${r.code} is overdrawn by its lines` });
      if (r.no_overdraft && r.normal_side === 'D' && money(r.c).gt(r.d)) problems.push({ kind: 'overdraft', account: r.code, detail: `account ${r.code} hands out more than it received` });
    }
    return problems;
  }

  private async checkSeals(caisseId: string, hashes: Map<number, string>, problems: VerifyProblem[]): Promise<number> {
    const seals: { seq: number; from_entry_no: string; to_entry_no: string; entries_hash: string; total_debit: string; total_credit: string; previous_hash: string; seal_hash: string }[] =
      await this.txHost.tx.query(`SELECT * FROM ledger_seals WHERE caisse_id = $1 ORDER BY seq`, [caisseId]);
    let previous = GENESIS_HASH;
    let nextFrom = 1;
    for (const s of seals) {
      const from = Number(s.from_entry_no);
      const to = Number(s.to_entry_no);
      const window: { entryNo: number; contentHash: string }[] = [];
      for (let n = from; n <= to; n++) window.push({ entryNo: n, contentHash: hashes.get(n) ?? 'missing' });
      const entriesHash = windowHash(window);
      const recomputed = sealHash({ previousHash: previous, entriesHash, totalDebit: s.total_debit, totalCredit: s.total_credit, fromEntryNo: from, toEntryNo: to });
      if (s.previous_hash !== previous || from !== nextFrom) problems.push({ kind: 'seal', seal: s.seq, detail: `seal ${s.seq} does not follow seal ${s.seq - 1}` });
      if (entriesHash !== s.entries_hash) problems.push({ kind: 'seal', seal: s.seq, detail: `entries ${from}–${to} no longer match seal ${s.seq}` });
      if (recomputed !== s.seal_hash) problems.push({ kind: 'seal', seal: s.seq, detail: `seal ${s.seq} hash does not match its content` });
      previous = s.seal_hash;
      nextFrom = to + 1;
    }
    return seals.length;
  }
}
