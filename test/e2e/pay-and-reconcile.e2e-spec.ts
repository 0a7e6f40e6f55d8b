import { Decimal } from 'decimal.js';
import { addDays, todayInFrance } from '../../src/common/dates.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { contributionRules, idemKey } from '../support/contribution-fixtures.js';
import { bearer, createMember, post } from '../support/member-fixtures.js';
import { conventionnedOutlet } from '../support/outlet-fixtures.js';
import { buy, terminalKey, type Shop } from '../support/purchase-fixtures.js';
import { frenchIban, uploadStatement } from '../support/reconciliation-fixtures.js';
import { pain002 } from '../support/settlement-fixtures.js';
import { statementFile, type StatementFormat, type TestMovement, type TestStatement } from '../support/statement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { all, parseXml, text } from '../support/xml-tree.js';

const RIB = { bank: '30004', branch: '00003', account: '12345678901' };
const IBAN = frenchIban(RIB.bank, RIB.branch, RIB.account);
const figures: string[] = [];
// The figures of both round trips, printed once for the closing note.
afterAll(() => console.log(figures.join('\n')));

const ADDRESS = { streetName: 'Chemin des Oliviers', buildingNumber: '12', postcode: '34700', country: 'FR' };

interface Transfer {
  endToEndId: string;
  amount: string;
  name: string;
  iban: string;
}

/**
 * Issue 14's round trip through the HTTP API: purchases at the tills → settlement run → four-eyes approval → export →
 * the bank's statement, built from the pain.001 the caisse downloaded, with a fee, a direct-debit batch, a member's
 * transfer and an unknown credit → import, matching, suggestions → reconciled, outlets paid, ledger verified.
 */
describe.each<StatementFormat>(['camt053', 'cfonb120'])('pay the shops and reconcile the bank from a %s statement (e2e)', (format) => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let secondTreasurer: string;
  let shops: Shop[];
  let card: { cardNumber: string }[];
  let closing1: string;
  const today = todayInFrance();
  const day = nextBusinessDay(today);
  const url = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
  const get = async (s: string) => {
    const res = await t.http.get(url(s)).set(bearer(tokens.treasurer));
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Each outlet's 401 balance (debits − credits) from its lines dated up to `until`, as the general ledger shows them. */
  const payables = async (until: string) => {
    const out: Record<string, string> = {};
    for (const s of shops) {
      const page = await get(`/ledger/accounts/${s.outlet.accountCode}/lines?limit=200`);
      expect(page.nextCursor).toBeNull();
      const upTo = page.items.filter((l: { date: string }) => l.date <= until);
      out[s.outlet.accountCode] = upTo.reduce((sum: Decimal, l: { debit: string; credit: string }) => sum.plus(l.debit).minus(l.credit), new Decimal(0)).toFixed(2);
    }
    return out;
  };

  /** Purchases at the tills (terminal API key, card + PIN); amounts in cents spread over outlets. */
  async function purchases(amounts: [number, string][]) {
    for (const [i, amount] of amounts) {
      const res = await buy(t, shops[i], { card: card[i % card.length].cardNumber, pin: '4821', lines: [{ category: 'epicerie', amount }] });
      expect(res.status).toBe(201);
    }
  }

  /** A run prepared by the treasurer, refused to its creator, approved by a second treasurer, exported; its pain.001 parsed. */
  async function paidRun(outletIds: string[]) {
    const created = await t.http.post(url('/settlement-runs')).set(bearer(tokens.treasurer)).send({ until: today, outlets: outletIds });
    expect(created.status).toBe(202);
    const run = created.body;
    const self = await t.http.post(url(`/settlement-runs/${run.id}/approve`)).set(bearer(tokens.treasurer)).send({});
    expect([self.status, self.body.code]).toEqual([403, 'FOUR_EYES']);
    const ok = await t.http.post(url(`/settlement-runs/${run.id}/approve`)).set(bearer(secondTreasurer)).send({});
    expect(ok.status).toBe(200);
    const exported = await t.http.post(url(`/settlement-runs/${run.id}/export`)).set(bearer(tokens.treasurer)).send({});
    expect([exported.status, exported.body.status]).toEqual([200, 'exported']);
    const file = await t.http.get(url(`/settlement-runs/${run.id}/pain001`)).set(bearer(tokens.treasurer));
    expect(file.status).toBe(200);
    const root = all(parseXml(file.text), 'CstmrCdtTrfInitn')[0];
    const transfers: Transfer[] = all(root, 'PmtInf/CdtTrfTxInf').map((x) => ({
      endToEndId: text(x, 'PmtId/EndToEndId'),
      amount: text(x, 'Amt/InstdAmt'),
      name: text(x, 'Cdtr/Nm'),
      iban: text(x, 'CdtrAcct/Id/IBAN'),
    }));
    expect(text(root, 'GrpHdr/CtrlSum')).toBe(run.total);
    return { run, msgId: text(root, 'GrpHdr/MsgId'), transfers };
  }

  /** What the bank books for each transfer of the file (BtchBookg=false: one statement line per transfer). */
  const debits = (msgId: string, transfers: Transfer[], on: string): TestMovement[] =>
    transfers.map((x) => ({ amount: `-${x.amount}`, bookedOn: on, label: `VIR SEPA ${x.name}`.slice(0, 32), msgId, endToEndIds: [x.endToEndId], counterparty: x.name, counterpartyIban: x.iban }));

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    tokens = c.tokens;
    expect((await t.http.patch(url('/bank-accounts/512')).set(bearer(tokens.admin)).send({ iban: IBAN, bic: 'PSSTFRPP' })).status).toBe(200);
    const email = `treasurer2-${caisseId.slice(0, 8)}@test.caisse`;
    expect((await t.http.post(url('/users')).set(bearer(tokens.admin)).send({ email, password: 'password-treasurer2-123', role: 'treasurer' })).status).toBe(201);
    secondTreasurer = (await t.http.post('/api/v1/auth/login').send({ email, password: 'password-treasurer2-123' })).body.accessToken;
    shops = [];
    for (let i = 0; i < 3; i++) {
      const outlet = await conventionnedOutlet(t, caisseId, tokens.admin, ADDRESS);
      const cov = await t.http.post(url(`/outlets/${outlet.id}/coverage`)).set(bearer(tokens.admin)).send({ effectiveFrom: today, rates: [{ category: '*', rate: '1' }] });
      expect(cov.status).toBe(201);
      shops.push({ caisseId, tokens, outlet, apiKey: await terminalKey(t, caisseId, outlet.id, tokens.admin) });
    }
    card = [];
    for (let i = 0; i < 2; i++) {
      const m = await createMember(t, caisseId, tokens.admin, { pin: '4821' });
      await post(t, caisseId, 'ALL', 'Allocation', [{ account: '6571', debit: '1000.00' }, { account: m.walletAccount!, credit: '1000.00' }]);
      card.push({ cardNumber: m.cardNumber! });
    }
  }, 180_000);
  afterAll(async () => t?.close());

  it('settles the purchases, imports the statement built from the exported pain.001, and is reconciled with every outlet paid', async () => {
    const bought: [number, string][] = [[0, '12.40'], [1, '31.05'], [2, '7.99'], [0, '45.00'], [1, '3.20'], [2, '18.75'], [0, '9.90'], [1, '22.10'], [2, '5.55'], [0, '60.00'], [1, '14.35'], [2, '27.80']];
    await purchases(bought);
    const { run, msgId, transfers } = await paidRun(shops.map((s) => s.outlet.id));
    expect(transfers).toHaveLength(3);
    const payoutTotal = transfers.reduce((sum, x) => sum.plus(x.amount), new Decimal(0)).toFixed(2);
    expect(payoutTotal).toBe(bought.reduce((sum, [, a]) => sum.plus(a), new Decimal(0)).toFixed(2));

    // A direct-debit batch built and sent, a member paying by transfer (after the purchases: the rules gate buying).
    await contributionRules(t, caisseId, tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    await t.http.put(url('/direct-debit-settings')).set(bearer(tokens.treasurer)).send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse', creditorIban: IBAN });
    for (const i of [0, 1]) {
      const member = await createMember(t, caisseId, tokens.admin, { monthlyIncome: i ? '100.00' : '1200.00' });
      await t.http.post(url('/mandates')).set(bearer(tokens.treasurer)).send({ memberId: member.id, reference: `RUM-${i}`, signedOn: '2026-01-10', debtorName: `Adhérente ${i}`, iban: 'FR7630006000011234567890189' });
    }
    const built = await t.http.post(url('/direct-debit-batches')).set(bearer(tokens.treasurer)).set('Idempotency-Key', idemKey()).send({ period: '2026-03', collectionDate: day });
    expect(built.status).toBe(201);
    const batch = built.body;
    expect((await t.http.post(url(`/direct-debit-batches/${batch.id}/sent`)).set(bearer(tokens.treasurer)).send({})).status).toBeLessThan(300);
    const payer = await createMember(t, caisseId, tokens.admin, { monthlyIncome: '1500.00', lastName: 'Martin' });
    const paid = await t.http.post(url('/contributions')).set(bearer(tokens.treasurer)).set('Idempotency-Key', idemKey()).send({ memberId: payer.id, amount: '37.50', period: '2026-03', method: 'transfer', receivedOn: today });
    expect(paid.status).toBe(201);

    const movements: TestMovement[] = [
      ...debits(msgId, transfers, day),
      { amount: batch.controlSum, bookedOn: day, label: 'REMISE PRLV SEPA', msgId: batch.messageId, endToEndIds: format === 'camt053' ? batch.items.map((i: { endToEndId: string }) => i.endToEndId) : [] },
      { amount: '37.50', bookedOn: day, label: 'VIR SEPA NADIA MARTIN', counterparty: 'NADIA MARTIN', remittance: 'COTISATION MARS' },
      { amount: '-2.40', bookedOn: day, label: 'COMMISSION VIREMENTS', family: 'CHRG' },
      { amount: '77.77', bookedOn: day, label: 'VIR SEPA INCONNU', counterparty: 'JEAN DUPONT' },
    ];
    const statement: TestStatement = { id: `RLV-${format}-1`, sequence: '1', opening: '0.00', openingOn: today, closingOn: day, movements };
    closing1 = movements.reduce((sum, m) => sum.plus(m.amount), new Decimal(0)).toFixed(2);
    const started = process.hrtime.bigint();
    const imported = await uploadStatement(t, caisseId, tokens.treasurer, statementFile(format, IBAN, RIB, statement));
    const importMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ format, matched: movements.length - 2, unmatched: 2 });

    const rules = (await get('/bank-statement-lines?bankAccount=512&status=matched')).map((l: { amount: string; rule: string }) => [l.amount, l.rule]);
    expect(rules.sort()).toEqual([...transfers.map((x) => [`-${x.amount}`, 'end-to-end']), [batch.controlSum, 'direct-debit'], ['37.50', 'amount-date']].sort());
    const open = await get('/bank-statement-lines?bankAccount=512&status=unmatched');
    expect(open.map((l: { amount: string; suggestion: string }) => [l.amount, l.suggestion]).sort()).toEqual([['-2.40', 'fee'], ['77.77', 'suspense']]);
    for (const l of open) {
      const res = await t.http.post(url(`/bank-statement-lines/${l.id}/accept-suggestion`)).set(bearer(tokens.treasurer)).set('Idempotency-Key', idemKey()).send({});
      expect(res.status).toBe(201);
    }
    const tb = await get(`/ledger/trial-balance?at=${day}`);
    const bal = (n: string) => tb.accounts.find((a: { number: string }) => a.number === n)?.balance;
    expect([bal('627'), bal('471')]).toEqual(['2.40', '-77.77']);

    const report = await get(`/reconciliation?bankAccount=512&asOf=${day}`);
    expect(report).toMatchObject({ bankBalance: closing1, bookBalance: closing1, difference: '0.00', unexplained: '0.00', reconciled: true, reconciledTo: day, unmatchedBank: [], unmatchedBook: [] });
    expect(await payables(run.until)).toEqual(Object.fromEntries(shops.map((s) => [s.outlet.accountCode, '0.00'])));
    const after = await get(`/settlement-runs/${run.id}`);
    expect([after.status, ...after.lines.map((l: { status: string }) => l.status)]).toEqual(['paid', 'paid', 'paid', 'paid']);
    expect((await get(`/direct-debit-batches/${batch.id}`)).status).toBe('settled');
    expect(await get('/ledger/verify')).toMatchObject({ ok: true, problems: [] });

    figures.push(
      `[round trip ${format}] purchases=${bought.length} outlets=${shops.length} payoutTotal=${payoutTotal} statementLines=${movements.length} ` +
        `matchedAutomatically=${imported.body.matched} suggestionsAccepted=${open.length} importAndMatchMs=${importMs.toFixed(0)}`,
    );
  });

  it('a transfer rejected by the pain.002 is missing from the next statement: the run is partly-paid and that outlet is owed again', async () => {
    await purchases([[0, '11.00'], [1, '23.45'], [0, '4.50']]);
    const { run, msgId, transfers } = await paidRun([shops[0].outlet.id, shops[1].outlet.id]);
    const lineOf = (i: number) => run.lines.find((l: { outletId: string }) => l.outletId === shops[i].outlet.id);
    const [kept, rejected] = [lineOf(0), lineOf(1)];
    const answer = pain002(msgId, [
      { e2e: kept.endToEndId, status: 'ACCP' },
      { e2e: rejected.endToEndId, status: 'RJCT', reason: 'AC04', info: 'Compte clos' },
    ]);
    const res = await t.http.post(url(`/settlement-runs/${run.id}/status-report`)).set(bearer(tokens.treasurer)).attach('file', Buffer.from(answer), 'pain002.xml');
    expect([res.status, res.body.rejected]).toEqual([200, 1]);

    const next = addDays(day, 1);
    const movements = debits(msgId, transfers.filter((x) => x.endToEndId === kept.endToEndId), next);
    const statement: TestStatement = { id: `RLV-${format}-2`, sequence: '2', opening: closing1, openingOn: day, closingOn: next, movements };
    const imported = await uploadStatement(t, caisseId, tokens.treasurer, statementFile(format, IBAN, RIB, statement));
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ matched: 1, unmatched: 0 });

    const after = await get(`/settlement-runs/${run.id}`);
    expect(after.status).toBe('partly-paid');
    expect(after.lines.find((l: { id: string }) => l.id === kept.id).status).toBe('paid');
    expect(after.lines.find((l: { id: string }) => l.id === rejected.id).status).toBe('rejected');
    expect(await payables(run.until)).toEqual({ [shops[0].outlet.accountCode]: '0.00', [shops[1].outlet.accountCode]: '-23.45', [shops[2].outlet.accountCode]: '0.00' });
    const report = await get(`/reconciliation?bankAccount=512&asOf=${next}`);
    expect(report).toMatchObject({ difference: '0.00', unexplained: '0.00', reconciled: true, reconciledTo: next });
    expect(await get('/ledger/verify')).toMatchObject({ ok: true, problems: [] });
  });
});
