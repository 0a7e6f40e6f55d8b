import pg from 'pg';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { entryBody, key, wallets } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Attacks on the books with raw SQL, as a careless script or a malicious insider would: the database must refuse. */
describe('ledger invariants enforced by PostgreSQL', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let db: pg.Client;
  let wallet: string;
  let accountIds: Record<string, string>;
  let entryId: string;

  const inTx = async (statements: string[], params: unknown[][] = []) => {
    await db.query('BEGIN');
    try {
      for (const [i, s] of statements.entries()) await db.query(s, params[i] ?? []);
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    [wallet] = await wallets(t, caisseId, 1);
    const res = await t.http
      .post(`/api/v1/caisses/${caisseId}/ledger/entries`)
      .set('Authorization', `Bearer ${tokens.treasurer}`)
      .set('Idempotency-Key', key())
      .send(entryBody([{ account: '6571', debit: '50.00' }, { account: wallet, credit: '50.00' }], { date: '2026-09-10' }));
    entryId = res.body.id;
    const rows = await t.sql<{ code: string; id: string }>(`SELECT code, id FROM ledger_accounts WHERE caisse_id = $1`, [caisseId]);
    accountIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const newEntry = (no: number, date = '2026-11-02', idem = key()) => [
    `INSERT INTO journal_entries (id, caisse_id, entry_no, journal, entry_date, label, piece_ref, idempotency_key, content_hash)
     VALUES ('00000000-0000-4000-8000-${String(no).padStart(12, '0')}', '${caisseId}', ${no}, 'OD', '${date}', 'raw', 'RAW', '${idem}', repeat('0', 64))`,
  ];
  const line = (no: number, lineNo: number, account: string, debit: string, credit: string) =>
    `INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit)
     VALUES ('00000000-0000-4000-8000-${String(no).padStart(12, '0')}', ${lineNo}, '${caisseId}', ${accountIds[account]}, ${debit}, ${credit})`;

  // An entry and its lines in one statement, as the ledger writes them (the balance checks run per statement).
  const together = (entry: string, lines: string[]) =>
    `WITH e AS (${entry} RETURNING id) INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit) VALUES ${lines.map((l) => l.slice(l.indexOf('VALUES') + 6)).join(', ')}`;

  it('refuses an unbalanced entry', async () => {
    await expect(inTx([together(newEntry(900001)[0], [line(900001, 1, '512', '10', '0'), line(900001, 2, '756', '0', '9.99')])])).rejects.toThrow(/unbalanced/);
  });

  it('refuses an entry with a single line or none', async () => {
    await expect(inTx([together(newEntry(900002)[0], [line(900002, 1, '512', '10', '0')])])).rejects.toThrow(/unbalanced/);
    await expect(inTx(newEntry(900003))).rejects.toThrow(/unbalanced/);
    // Balanced lines are not enough when they come after their entry, in another statement.
    await expect(inTx([...newEntry(900011), line(900011, 1, '512', '1', '0'), line(900011, 2, '756', '0', '1')])).rejects.toThrow(/unbalanced/);
  });

  it('refuses a line added later to an existing entry', async () => {
    const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM journal_entries WHERE id = $1`, [entryId]);
    await expect(inTx([`INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit) VALUES ('${id}', 3, '${caisseId}', ${accountIds['512']}, 5, 0)`])).rejects.toThrow(/unbalanced/);
    // Also within the transaction that recorded the entry: the statement adding the line is refused.
    await expect(inTx([together(newEntry(900012)[0], [line(900012, 1, '512', '1', '0'), line(900012, 2, '756', '0', '1')]), line(900012, 3, '512', '5', '0')])).rejects.toThrow(/unbalanced: debits 6.00, credits 1.00, 3 lines/);
  });

  it('refuses a line with both sides, or none, or a negative amount', async () => {
    for (const [d, c] of [['10', '10'], ['0', '0'], ['-10', '0']]) {
      await expect(inTx([together(newEntry(900004)[0], [line(900004, 1, '512', d, c), line(900004, 2, '756', c, d)])])).rejects.toThrow(/ck_journal_lines_one_side/);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of journal rows', async () => {
    await expect(db.query(`UPDATE journal_lines SET credit = 500 WHERE entry_id = $1 AND line_no = 2`, [entryId])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE journal_entries SET label = 'x' WHERE id = $1`, [entryId])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM journal_lines WHERE entry_id = $1`, [entryId])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM journal_entries WHERE id = $1`, [entryId])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE journal_lines`)).rejects.toThrow(/append-only|cannot truncate/);
  });

  it('refuses an entry dated in a closed period, and reopening it', async () => {
    const closed = await t.http.post(`/api/v1/caisses/${caisseId}/closings`).set('Authorization', `Bearer ${tokens.treasurer}`).send({ period: '2026-09' });
    expect(closed.status).toBe(201);
    await expect(inTx([together(newEntry(900005, '2026-09-30')[0], [line(900005, 1, '512', '1', '0'), line(900005, 2, '756', '0', '1')])])).rejects.toThrow(/closed period/);
    await expect(db.query(`UPDATE ledger_books SET closed_through = NULL WHERE caisse_id = $1`, [caisseId])).rejects.toThrow(/cannot be reopened/);
    await expect(db.query(`DELETE FROM ledger_closings WHERE caisse_id = $1`, [caisseId])).rejects.toThrow(/append-only/);
  });

  it('refuses to overdraw a wallet, even by raw SQL', async () => {
    await expect(inTx([together(newEntry(900006)[0], [line(900006, 1, wallet, '50.01', '0'), line(900006, 2, '401', '0', '50.01')])])).rejects.toThrow(/ck_ledger_accounts_no_overdraft/);
    await expect(db.query(`UPDATE ledger_accounts SET debits_posted = credits_posted + 1 WHERE caisse_id = $1 AND code = $2`, [caisseId, wallet])).rejects.toThrow(/ck_ledger_accounts_no_overdraft/);
  });

  it('keeps balances in step with raw line inserts', async () => {
    await inTx([together(newEntry(900007)[0], [line(900007, 1, '512', '7.00', '0'), line(900007, 2, '756', '0', '7.00')])]);
    const [bank] = await t.sql<{ debits_posted: string }>(`SELECT debits_posted FROM ledger_accounts WHERE id = $1`, [accountIds['512']]);
    expect(bank.debits_posted).toBe('7.00');
  });

  it('refuses a second use of an idempotency key and a second reversal', async () => {
    const [{ idempotency_key }] = await t.sql<{ idempotency_key: string }>(`SELECT idempotency_key FROM journal_entries WHERE id = $1`, [entryId]);
    await expect(inTx([together(newEntry(900008, '2026-11-02', idempotency_key)[0], [line(900008, 1, '512', '1', '0'), line(900008, 2, '756', '0', '1')])])).rejects.toThrow(/uq_journal_entries_idempotency/);
    const rev = async (no: number) =>
      inTx([
        together(
          `INSERT INTO journal_entries (id, caisse_id, entry_no, journal, entry_date, label, piece_ref, idempotency_key, content_hash, reverses_entry_id)
           VALUES ('00000000-0000-4000-8000-${String(no).padStart(12, '0')}', '${caisseId}', ${no}, 'OD', '2026-11-02', 'rev', 'RAW', '${key()}', repeat('0', 64), '${entryId}')`,
          [line(no, 1, '512', '1', '0'), line(no, 2, '756', '0', '1')],
        ),
      ]);
    await rev(900009);
    await expect(rev(900010)).rejects.toThrow(/uq_journal_entries_reverses/);
  });

  it('verify names an entry altered by a superuser with triggers disabled', async () => {
    const c = await t.newCaisse();
    const [w] = await wallets(t, c.caisseId, 1);
    const ledger = t.app.get(LedgerService);
    const { entry } = await ledger.post({ caisseId: c.caisseId, journal: 'ALL', date: '2026-11-03', label: 'Allocation', pieceRef: 'ALL-1', idempotencyKey: key(), lines: [{ account: '6571', debit: '100.00' }, { account: w, credit: '100.00' }] });
    await ledger.seal(c.caisseId);
    expect((await ledger.verify(c.caisseId)).ok).toBe(true);
    await db.query(`SET session_replication_role = replica`);
    await db.query(`UPDATE journal_lines SET credit = 1000.00 WHERE entry_id = $1 AND line_no = 2`, [entry.id]);
    await db.query(`SET session_replication_role = DEFAULT`);
    const report = await ledger.verify(c.caisseId);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'entry-hash', entryId: entry.id }),
        expect.objectContaining({ kind: 'entry-unbalanced', entryId: entry.id }),
        expect.objectContaining({ kind: 'balance', account: w }),
      ]),
    );
    const http = await t.http.get(`/api/v1/caisses/${c.caisseId}/ledger/verify`).set('Authorization', `Bearer ${c.tokens.treasurer}`);
    expect(http.body.ok).toBe(false);
    expect(JSON.stringify(http.body.problems)).toContain(entry.id);
  });

  it('verify detects a rewritten seal chain', async () => {
    const c = await t.newCaisse();
    const [w] = await wallets(t, c.caisseId, 1);
    const ledger = t.app.get(LedgerService);
    await ledger.post({ caisseId: c.caisseId, journal: 'ALL', date: '2026-11-03', label: 'Allocation', pieceRef: 'ALL-1', idempotencyKey: key(), lines: [{ account: '6571', debit: '1.00' }, { account: w, credit: '1.00' }] });
    await ledger.seal(c.caisseId);
    await db.query(`SET session_replication_role = replica`);
    await db.query(`UPDATE ledger_seals SET total_debit = 2.00 WHERE caisse_id = $1`, [c.caisseId]);
    await db.query(`SET session_replication_role = DEFAULT`);
    const report = await ledger.verify(c.caisseId);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'seal', seal: 1 })]);
  });
});

describe('ledger under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('200 parallel debits of a wallet that can afford exactly 50: 50 succeed, balance 0.00, no 500', async () => {
    const { caisseId, tokens } = await t.newCaisse();
    const [w, shop] = await wallets(t, caisseId, 2);
    const send = (body: object) =>
      t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries`).set('Authorization', `Bearer ${tokens.treasurer}`).set('Idempotency-Key', key()).send(body);
    expect((await send(entryBody([{ account: '6571', debit: '50.00' }, { account: w, credit: '50.00' }]))).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 200 }, () => send(entryBody([{ account: w, debit: '1.00' }, { account: shop, credit: '1.00' }]))));
    const byStatus = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 201: 50, 409: 150 });
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    const account = await t.app.get(LedgerService).account(caisseId, w);
    expect(account.balance).toBe('0.00');
    const report = await t.app.get(LedgerService).verify(caisseId);
    expect(report).toMatchObject({ ok: true, checkedEntries: 51 });
  });

  it('concurrent duplicates of one key make one entry', async () => {
    const { caisseId, tokens } = await t.newCaisse();
    const [w] = await wallets(t, caisseId, 1);
    const k = key();
    const body = entryBody([{ account: '6571', debit: '5.00' }, { account: w, credit: '5.00' }]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries`).set('Authorization', `Bearer ${tokens.treasurer}`).set('Idempotency-Key', k).send(body)),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await t.app.get(LedgerService).account(caisseId, w)).credit).toBe('5.00');
  });

  it('crossing transfers between two wallets do not deadlock', async () => {
    const { caisseId } = await t.newCaisse();
    const ledger = t.app.get(LedgerService);
    const [a, b] = await wallets(t, caisseId, 2);
    const fund = (w: string) => ledger.post({ caisseId, journal: 'ALL', date: '2026-11-03', label: 'alloc', pieceRef: 'A', idempotencyKey: key(), lines: [{ account: '6571', debit: '100.00' }, { account: w, credit: '100.00' }] });
    await fund(a);
    await fund(b);
    const move = (from: string, to: string) => ledger.post({ caisseId, journal: 'OD', date: '2026-11-03', label: 'move', pieceRef: 'M', idempotencyKey: key(), lines: [{ account: from, debit: '1.00' }, { account: to, credit: '1.00' }] });
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => (i % 2 ? move(a, b) : move(b, a))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await ledger.account(caisseId, a)).balance).toBe('-100.00');
    expect((await ledger.verify(caisseId)).ok).toBe(true);
  });
});
