import { randomUUID } from 'node:crypto';
import { CaissesService } from '../../src/caisses/caisses.service.js';
import { addDays, todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { createContributor, idemKey } from '../support/contribution-fixtures.js';
import { entryBody, key } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('fiscal years and limits of the books (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const settings = (body: object) => t.http.patch(url('/ledger/settings')).set(auth()).send(body);
  const post = (date: string, amount = '1.00', label = 'Test entry') =>
    t.http.post(url('/ledger/entries')).set(auth()).set('Idempotency-Key', key()).send(entryBody([{ account: '613', debit: amount }, { account: '530', credit: amount }], { date, label }));
  const cashIn = (amount: string) => post(todayInFrance(), amount);

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
  });
  afterAll(async () => t?.close());

  it('starts with calendar years, the books open from the previous year, 31 days ahead and 1,000,000.00 per line', async () => {
    const res = await t.http.get(url('/ledger/settings')).set(auth());
    const year = Number(todayInFrance().slice(0, 4));
    expect(res.body).toEqual({ fiscalYearStartMonth: 1, booksStart: `${year - 1}-01-01`, currentFiscalYear: `${year}-01-01`, maxDaysAhead: 31, maxLineAmount: '1000000.00', closedThrough: null });
  });

  it('numbers entries of 2026 and 2027 posted interleaved continuously within each year', async () => {
    expect((await settings({ maxDaysAhead: 366, booksStart: '2026-01-01' })).status).toBe(200);
    // 613 / 530 needs cash in the till first: a reversed-sign entry would be refused (530 never goes credit).
    await t.http.post(url('/ledger/entries')).set(auth()).set('Idempotency-Key', key()).send(entryBody([{ account: '530', debit: '1000.00' }, { account: '7541', credit: '1000.00' }], { date: '2026-02-01' }));
    const got: { fiscalYear: string; yearEntryNo: number; entryNo: number }[] = [];
    for (let i = 0; i < 6; i++) got.push((await post(i % 2 ? '2027-06-01' : '2026-06-01')).body);
    expect(got.map((e) => [e.fiscalYear, e.yearEntryNo])).toEqual([
      ['2026-01-01', 2],
      ['2027-01-01', 1],
      ['2026-01-01', 3],
      ['2027-01-01', 2],
      ['2026-01-01', 4],
      ['2027-01-01', 3],
    ]);
    expect(got.map((e) => e.entryNo - got[0].entryNo)).toEqual([0, 1, 2, 3, 4, 5]);
    const one = await t.http.get(url(`/ledger/entries/${(got[1] as unknown as { id: string }).id}`)).set(auth());
    expect(one.body).toMatchObject({ fiscalYear: '2027-01-01', yearEntryNo: 1 });
  });

  it('keeps each year continuous under concurrent posting and in batches mixing years', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i % 2 ? '2027-03-01' : '2026-03-01', '0.50')));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ledger = t.app.get(LedgerService);
    const batch = await ledger.postBatch(
      caisseId,
      Array.from({ length: 10 }, (_, i) => ({
        caisseId,
        journal: 'OD' as const,
        date: i % 3 ? '2027-04-01' : '2026-04-01',
        label: `batch ${i}`,
        pieceRef: 'B',
        idempotencyKey: `b-${randomUUID()}`,
        lines: [{ account: '613', debit: '0.10' }, { account: '530', credit: '0.10' }],
      })),
    );
    expect(batch.every((r) => r.ok)).toBe(true);
    const rows = await t.sql<{ fy: string; no: string; entry_no: string }>(
      `SELECT e.fiscal_year::text AS fy, e.year_entry_no::text AS no, e.entry_no::text AS entry_no FROM journal_entries e WHERE e.caisse_id = $1 ORDER BY e.entry_no`,
      [caisseId],
    );
    for (const fy of ['2026-01-01', '2027-01-01']) {
      const nos = rows.filter((r) => r.fy === fy).map((r) => Number(r.no));
      // In posting (global) order, a year's numbers are exactly 1, 2, 3, … with no gap and no repeat.
      expect(nos).toEqual(nos.map((_, i) => i + 1));
    }
    const years = await t.http.get(url('/ledger/fiscal-years')).set(auth());
    const count = (fy: string) => rows.filter((r) => r.fy === fy).length;
    expect(years.body.filter((y: { start: string }) => y.start <= '2027-01-01')).toEqual([
      { start: '2026-01-01', end: '2026-12-31', lastEntryNo: count('2026-01-01') },
      { start: '2027-01-01', end: '2027-12-31', lastEntryNo: count('2027-01-01') },
    ]);
    expect((await t.http.get(url('/ledger/verify')).set(auth())).body).toMatchObject({ ok: true, problems: [] });
  });

  it('numbers an entry inserted in SQL from the same counter, and verify reports a gap in a year', async () => {
    const c = await t.newCaisse();
    const other = c.caisseId;
    // A gap planted by hand (the counter moved without an entry) is what verify must report.
    await t.sql(`INSERT INTO ledger_year_counters (caisse_id, fiscal_year, last_entry_no) VALUES ($1, '2026-01-01', 5)`, [other]);
    const res = await t.http
      .post(`/api/v1/caisses/${other}/ledger/entries`)
      .set({ Authorization: `Bearer ${c.tokens.treasurer}` })
      .set('Idempotency-Key', key())
      .send(entryBody([{ account: '530', debit: '1.00' }, { account: '7541', credit: '1.00' }], { date: '2026-06-01' }));
    expect(res.body).toMatchObject({ fiscalYear: '2026-01-01', yearEntryNo: 6 });
    // An entry written in SQL without numbers gets its year and the next number from the same counter (trigger).
    const [raw] = await t.sql<{ fiscal_year: string; year_entry_no: string }>(
      `WITH a AS (SELECT id, code FROM ledger_accounts WHERE caisse_id = $1 AND code IN ('530', '7541')),
       e AS (INSERT INTO journal_entries (caisse_id, entry_no, journal, entry_date, label, piece_ref, idempotency_key, content_hash)
             VALUES ($1, 2, 'OD', '2026-06-02', 'sql', 'sql', 'sql-entry', repeat('0', 64)) RETURNING id, fiscal_year, year_entry_no),
       l AS (INSERT INTO journal_lines (entry_id, line_no, caisse_id, account_id, debit, credit)
             SELECT e.id, CASE a.code WHEN '530' THEN 1 ELSE 2 END, $1, a.id, CASE a.code WHEN '530' THEN 1 ELSE 0 END, CASE a.code WHEN '530' THEN 0 ELSE 1 END FROM e, a)
       SELECT fiscal_year::text, year_entry_no::text FROM e`,
      [other],
    );
    expect(raw).toEqual({ fiscal_year: '2026-01-01', year_entry_no: '7' });
    const verify = await t.http.get(`/api/v1/caisses/${other}/ledger/verify`).set({ Authorization: `Bearer ${c.tokens.treasurer}` });
    expect(verify.body.ok).toBe(false);
    expect(verify.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'numbering', detail: expect.stringContaining('number 6 of the fiscal year starting 2026-01-01') })]));
  });

  it('follows a fiscal year starting in September', async () => {
    const caisse = await t.app.get(CaissesService).create({ name: 'Caisse septembre', slug: `s-${randomUUID().slice(0, 12)}`, fiscalYearStartMonth: 9 });
    const ledger = t.app.get(LedgerService);
    const entry = async (date: string) =>
      (await ledger.post({ caisseId: caisse.id, journal: 'OD', date, label: 'x', pieceRef: 'x', idempotencyKey: randomUUID(), lines: [{ account: '530', debit: '1.00' }, { account: '7541', credit: '1.00' }] })).entry;
    const today = todayInFrance();
    const current = Number(today.slice(5, 7)) >= 9 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
    const [a, b, c2] = [await entry(`${current}-08-31`), await entry(`${current}-09-01`), await entry(`${current}-08-01`)];
    expect([a.fiscalYear, a.yearEntryNo, b.fiscalYear, b.yearEntryNo, c2.fiscalYear, c2.yearEntryNo]).toEqual([`${current - 1}-09-01`, 1, `${current}-09-01`, 1, `${current - 1}-09-01`, 2]);
  });

  // [case, date offset from today or a fixed date, field]
  it.each([
    ['31 days ahead', addDays(todayInFrance(), 31), undefined],
    ['32 days ahead', addDays(todayInFrance(), 32), 'date'],
    ['before the books', '2019-12-31', 'date'],
  ])('dates: %s', async (_case, date, field) => {
    const c = await t.newCaisse();
    const res = await t.http
      .post(`/api/v1/caisses/${c.caisseId}/ledger/entries`)
      .set({ Authorization: `Bearer ${c.tokens.treasurer}` })
      .set('Idempotency-Key', key())
      .send(entryBody([{ account: '530', debit: '1.00' }, { account: '7541', credit: '1.00' }], { date }));
    if (!field) expect(res.status).toBe(201);
    else {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
  });

  it('refuses a line above the caisse limit, naming the line, and accepts the limit itself', async () => {
    expect((await settings({ maxLineAmount: '1000000.00' })).status).toBe(200);
    const over = await t.http.post(url('/ledger/entries')).set(auth()).set('Idempotency-Key', key()).send(entryBody([{ account: '530', debit: '1000000.01' }, { account: '7541', credit: '1000000.01' }], { date: todayInFrance() }));
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual({ 'lines.0.debit': [expect.stringContaining('limit of 1000000.00')], 'lines.1.credit': [expect.any(String)] });
    expect((await cashIn('1.00')).status).toBe(201);
    const at = await t.http.post(url('/ledger/entries')).set(auth()).set('Idempotency-Key', key()).send(entryBody([{ account: '530', debit: '1000000.00' }, { account: '7541', credit: '1000000.00' }], { date: todayInFrance() }));
    expect(at.status).toBe(201);
  });

  it('names the field of the money event: a contribution amount, date or period outside the books', async () => {
    const donor = await createContributor(t, caisseId, token, { kind: 'foundation', name: 'Fondation' });
    const pay = (body: object) => t.http.post(url('/contributions')).set(auth()).set('Idempotency-Key', idemKey()).send({ contributorId: donor.id, method: 'transfer', amount: '10.00', receivedOn: todayInFrance(), ...body });
    expect((await pay({ amount: '1000000.01' })).body.errors).toHaveProperty('amount');
    expect((await pay({ receivedOn: '2019-06-01' })).body.errors).toHaveProperty('receivedOn');
    expect((await pay({ period: '2099-01' })).body.errors).toHaveProperty('period');
    expect((await pay({ period: '2019-01' })).body.errors).toHaveProperty('period');
  });

  it.each([
    ['booksStart not the first day of a fiscal year', { booksStart: '2026-02-01' }, 'booksStart'],
    ['booksStart after entries already posted', { booksStart: '2027-01-01' }, 'booksStart'],
    ['maxDaysAhead above a year', { maxDaysAhead: 400 }, 'maxDaysAhead'],
    ['a zero line limit', { maxLineAmount: '0.00' }, 'maxLineAmount'],
  ])('refuses settings with %s', async (_case, body, field) => {
    const res = await settings(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty(field);
  });
});
