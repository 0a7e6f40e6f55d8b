import { addDays, todayInFrance } from '../../src/common/dates.js';
import { formatMoney, money } from '../../src/common/money/money.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { contributionRules, createContributor, idemKey } from '../support/contribution-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { postPayout, uploadStatement } from '../support/reconciliation-fixtures.js';
import { statementFile, type StatementFormat as Format, type TestMovement, type TestStatement } from '../support/statement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const IBAN = 'FR7630004000031234567890143';
const RIB = { bank: '30004', branch: '00003', account: '12345678901' };

const render = (format: Format, s: TestStatement) => statementFile(format, IBAN, RIB, s);

/**
 * A month of a caisse's bank account: payouts (one batch-booked run and one single transfer), a direct-debit batch,
 * a contribution by transfer, a bank fee and an unknown credit — the statement built here, imported, matched,
 * the rest explained through suggestions, and the account reconciled to the statement's date.
 */
describe.each<Format>(['camt053', 'cfonb120'])('reconciliation of a month from a %s statement (e2e)', (format) => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  const today = todayInFrance();
  const day = nextBusinessDay(today);
  let batch: { id: string; messageId: string; controlSum: string; items: { endToEndId: string }[] };
  let statement: TestStatement;
  const url = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
  const closing = () => formatMoney(statement.movements.reduce((sum, m) => sum.plus(m.amount), money(0)));

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    expect((await t.http.patch(url('/bank-accounts/512')).set(bearer(token)).send({ iban: IBAN })).status).toBe(200);
    await contributionRules(t, caisseId, c.tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    await t.http.put(url('/direct-debit-settings')).set(bearer(token)).send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse', creditorIban: IBAN });
    for (const i of [0, 1]) {
      const member = await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: i ? '100.00' : '1200.00' });
      await t.http.post(url('/mandates')).set(bearer(token)).send({ memberId: member.id, reference: `RUM-${i}`, signedOn: '2026-01-10', debtorName: `Adhérente ${i}`, iban: 'FR7630006000011234567890189' });
    }
    const built = await t.http.post(url('/direct-debit-batches')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ period: '2026-03', collectionDate: day });
    expect(built.status).toBe(201);
    batch = built.body;
    await t.http.post(url(`/direct-debit-batches/${batch.id}/sent`)).set(bearer(token)).send({});
    const patron = await createContributor(t, caisseId, token, { kind: 'company', name: 'Mécène SA' });
    const gift = await t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ contributorId: patron.id, amount: '250.00', method: 'transfer', receivedOn: today });
    expect(gift.status).toBe(201);
    await postPayout(t, caisseId, { msgId: 'PAY-RUN-1', endToEndId: 'PAY-RUN-1-00001', amount: '40.00', date: today, outlet: 'O001' });
    await postPayout(t, caisseId, { msgId: 'PAY-RUN-1', endToEndId: 'PAY-RUN-1-00002', amount: '60.00', date: today, outlet: 'O002' });
    await postPayout(t, caisseId, { msgId: 'PAY-RUN-2', endToEndId: 'PAY-RUN-2-00001', amount: '25.00', date: today, outlet: 'O003' });
    const movements: TestMovement[] = [
      { amount: batch.controlSum, bookedOn: day, label: 'REMISE PRLV SEPA', msgId: batch.messageId, endToEndIds: format === 'camt053' ? batch.items.map((i) => i.endToEndId) : [] },
      { amount: '-100.00', bookedOn: day, label: 'VIREMENTS SEPA EMIS', msgId: 'PAY-RUN-1' },
      { amount: '-25.00', bookedOn: day, label: 'VIR SEPA O003', endToEndIds: ['PAY-RUN-2-00001'] },
      { amount: '250.00', bookedOn: day, label: 'VIR SEPA MECENE SA', counterparty: 'MECENE SA', remittance: 'DON' },
      { amount: '-1.50', bookedOn: day, label: 'FRAIS TENUE DE COMPTE', family: 'CHRG' },
      { amount: '77.77', bookedOn: day, label: 'VIR SEPA INCONNU', counterparty: 'JEAN DUPONT' },
    ];
    statement = { id: `RLV-${format}-1`, sequence: '1', opening: '0.00', openingOn: today, closingOn: day, movements };
  });
  afterAll(async () => t?.close());

  it('imports the statement and matches everything the books explain', async () => {
    const res = await uploadStatement(t, caisseId, token, render(format, statement));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format, matched: 4, unmatched: 2 });
    expect(res.body.statements).toMatchObject([{ bankAccount: '512', fromDate: today, toDate: day, opening: '0.00', lines: 6 }]);
    const lines = (await t.http.get(url('/bank-statement-lines?bankAccount=512')).set(bearer(token))).body;
    const byAmount = Object.fromEntries(lines.map((l: { amount: string }) => [l.amount, l]));
    expect(byAmount[batch.controlSum]).toMatchObject({ rule: 'direct-debit' });
    expect(byAmount['-100.00']).toMatchObject({ rule: 'batch' });
    expect(byAmount['-25.00']).toMatchObject({ rule: 'end-to-end' });
    expect(byAmount['250.00']).toMatchObject({ rule: 'amount-date' });
    expect(byAmount['-1.50']).toMatchObject({ matchId: null, suggestion: 'fee' });
    expect(byAmount['77.77']).toMatchObject({ matchId: null, suggestion: 'suspense' });
    // The direct-debit batch was settled by its bank line: D 512 / C 411, and the calls are paid.
    expect((await t.http.get(url(`/direct-debit-batches/${batch.id}`)).set(bearer(token))).body).toMatchObject({ status: 'settled', settledOn: day });
    // Every payout's 512 line carries a letter: that is how the settlements module learns it was paid.
    const lettered = await t.app.get(LedgerService).bookLines(caisseId, '512', { lettered: true });
    expect(lettered.filter((l) => l.journal === 'REG').map((l) => l.pieceRef).sort()).toEqual(['PAY-RUN-1-00001', 'PAY-RUN-1-00002', 'PAY-RUN-2-00001']);
    expect(lettered.every((l) => l.letteredOn === day)).toBe(true);
  });

  it('is not reconciled while bank lines are not in the books: they explain the difference', async () => {
    const report = (await t.http.get(url(`/reconciliation?bankAccount=512&asOf=${day}`)).set(bearer(token))).body;
    expect(report).toMatchObject({ reconciled: false, reconciledTo: null, unexplained: '0.00', difference: '76.27', explained: '76.27' });
    expect(report.unmatchedBank.map((l: { amount: string }) => l.amount).sort()).toEqual(['-1.50', '77.77']);
    expect(report.unmatchedBook).toEqual([]);
  });

  it('refuses the same statement twice and one that does not follow the last closing balance', async () => {
    const again = await uploadStatement(t, caisseId, token, render(format, statement));
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'STATEMENT_ALREADY_IMPORTED', line: format === 'camt053' ? 3 : 1 });
    const next = { id: `RLV-${format}-2`, sequence: '2', opening: '5.00', openingOn: day, closingOn: addDays(day, 1), movements: [] };
    const out = await uploadStatement(t, caisseId, token, render(format, next));
    expect(out.status).toBe(409);
    expect(out.body.code).toBe('STATEMENT_OUT_OF_SEQUENCE');
    expect(out.body.errors.file[0]).toContain('opens at 5.00, but the previous statement of 512');
    expect(out.body.errors.file[0]).toContain(`closed at ${closing()}`);
    const older = { ...next, opening: closing(), openingOn: addDays(today, -3), closingOn: addDays(today, -2) };
    expect((await uploadStatement(t, caisseId, token, render(format, older))).body.code).toBe('STATEMENT_OUT_OF_SEQUENCE');
    expect((await t.sql(`SELECT count(*)::int AS n FROM bank_statements WHERE caisse_id = $1`, [caisseId]))[0]).toEqual({ n: 1 });
  });

  it('unmatches (letter removed, audited) and matches by hand', async () => {
    const line = (await t.http.get(url('/bank-statement-lines?status=matched')).set(bearer(token))).body.find((l: { amount: string }) => l.amount === '250.00');
    expect((await t.http.delete(url(`/bank-matches/${line.matchId}`)).set(bearer(token))).status).toBe(204);
    const open = await t.app.get(LedgerService).bookLines(caisseId, '512', { lettered: false });
    const gift = open.find((l) => l.debit === '250.00')!;
    expect(gift).toBeDefined();
    const bad = await t.http.post(url(`/bank-statement-lines/${line.id}/match`)).set(bearer(token)).send({ bookLines: [{ entryId: gift.entryId, lineNo: gift.lineNo + 1 }] });
    expect(bad.status).toBe(400);
    const res = await t.http.post(url(`/bank-statement-lines/${line.id}/match`)).set(bearer(token)).send({ bookLines: [{ entryId: gift.entryId, lineNo: gift.lineNo }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rule: 'manual', letter: expect.any(String) });
    const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE caisse_id = $1 AND action LIKE 'reconciliation.%' ORDER BY id`, [caisseId]);
    expect(audit.map((a) => a.action)).toEqual(['reconciliation.statement-imported', 'reconciliation.unmatched', 'reconciliation.matched']);
  });

  it('accepts the suggestions (fee → 627, unknown credit → 471) and is reconciled to the statement date', async () => {
    const open = (await t.http.get(url('/bank-statement-lines?status=unmatched')).set(bearer(token))).body;
    for (const l of open) {
      const key = idemKey();
      const res = await t.http.post(url(`/bank-statement-lines/${l.id}/accept-suggestion`)).set(bearer(token)).set('Idempotency-Key', key).send({});
      expect(res.status).toBe(201);
      expect(res.body.rule).toBe('suggestion');
      const replay = await t.http.post(url(`/bank-statement-lines/${l.id}/accept-suggestion`)).set(bearer(token)).set('Idempotency-Key', key).send({});
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    const entries = await t.sql<{ code: string; debit: string; credit: string }>(
      `SELECT a.code, l.debit::text, l.credit::text FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN journal_entries e ON e.id = l.entry_id
        WHERE e.caisse_id = $1 AND e.idempotency_key LIKE 'bank-line:%' ORDER BY a.code`,
      [caisseId],
    );
    expect(entries).toEqual([
      { code: '471', debit: '0.00', credit: '77.77' },
      { code: '512', debit: '0.00', credit: '1.50' },
      { code: '512', debit: '77.77', credit: '0.00' },
      { code: '627', debit: '1.50', credit: '0.00' },
    ]);
    const report = (await t.http.get(url(`/reconciliation?bankAccount=512&asOf=${day}`)).set(bearer(token))).body;
    expect(report).toMatchObject({ bankBalance: closing(), bookBalance: closing(), difference: '0.00', unexplained: '0.00', reconciled: true, reconciledTo: day, unmatchedBank: [], unmatchedBook: [], expected: [] });
    const csv = await t.http.get(url(`/reconciliation?bankAccount=512&asOf=${day}&format=csv`)).set(bearer(token));
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(`Rapproché au;${day}`);
    const pdf = await t.http.get(url(`/reconciliation?bankAccount=512&asOf=${day}&format=pdf`)).set(bearer(token)).buffer(true);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(pdf.body).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
