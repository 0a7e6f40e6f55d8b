import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { allLines, runPeriod } from '../support/allocation-fixtures.js';
import { createContributor, idemKey } from '../support/contribution-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { buy, type Shop, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * domain/accounting.md, "Posting of each event": every row of the table, produced through the HTTP API of one caisse,
 * with the exact entry it must give — journal, accounts (auxiliaries by pattern), amounts, and the fund where the row
 * has one. Rows run in order: each may rely on what the rows above it put in the books.
 */

/** [account (exact code or aux pattern), debit, credit] or with a 4th element: the fund every line must carry. */
type Line = [string | RegExp, string, string] | [string | RegExp, string, string, string | null];
interface Entry {
  journal: string;
  lines: Line[];
}
/** event of the table, how the API produces it (ids of the entries it posted), the entries expected. */
type Row = [string, () => Promise<string[]>, Entry[]];

const today = todayInFrance();
/** The month `back` months before the current one, YYYY-MM. */
const period = (back: number) => {
  const [y, m] = today.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return d.toISOString().slice(0, 7);
};
const year = Number(today.slice(0, 4));
const P0 = period(0);
const P1 = period(1);
const P2 = period(2);
const P3 = period(3);

describe('accounting.md posting table, row by row through the API (e2e)', () => {
  let t: TestApp;
  let s: Shop;
  let caisseId: string;
  let treasurer: string;
  let payer: CreatedMember;
  let debtor: CreatedMember;
  let region: { id: string; number: string };
  let grantId: string;
  let purchaseId: string;
  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;

  beforeAll(async () => {
    t = await createTestApp();
    // One caisse with a conventionné outlet (fruits-legumes covered at 1, epicerie at 0.70) and a till key.
    s = await shop(t);
    caisseId = s.caisseId;
    treasurer = s.tokens.treasurer;
    // Flat 100 a month, contributions at 2.5 % of income (floor 10), what a month brings above 100 a gift (7541),
    // unspent money expires at the next run, no contribution gate.
    const rules = await t.http
      .post(url('/rule-versions'))
      .set(bearer(s.tokens.admin))
      .send({
        effectiveFrom: `${P3}-01`,
        allocation: { formula: 'flat', amount: '100.00' },
        contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00', excessAsGift: true },
        rollover: { mode: 'expire' },
        gate: { requireContribution: false },
      });
    if (rules.status !== 201) throw new Error(`rule version failed: ${rules.status} ${JSON.stringify(rules.body)}`);
    payer = await createMember(t, caisseId, s.tokens.admin, { joinedOn: `${P3}-01`, pin: '4821', monthlyIncome: '1200.00' });
    debtor = await createMember(t, caisseId, s.tokens.admin, { joinedOn: `${P3}-01`, monthlyIncome: '1200.00' });
    region = await createContributor(t, caisseId, treasurer, { kind: 'public-funder', funderType: 'region', name: 'Région Occitanie' });
    const dd = await t.http.put(url('/direct-debit-settings')).set(bearer(treasurer)).send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse', creditorIban: 'FR7630004000031234567890143' });
    if (dd.status >= 300) throw new Error(`direct-debit settings failed: ${dd.status} ${JSON.stringify(dd.body)}`);
    const mandate = await t.http
      .post(url('/mandates'))
      .set(bearer(treasurer))
      .send({ memberId: debtor.id, reference: `RUM-${randomUUID().slice(0, 8)}`, signedOn: `${P3}-01`, debtorName: 'Adhérente', iban: 'FR7630006000011234567890189' });
    if (mandate.status !== 201) throw new Error(`mandate failed: ${mandate.status} ${JSON.stringify(mandate.body)}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** POST with an Idempotency-Key; any answer but 2xx fails the row with the request and the response. */
  async function send(path: string, body: Record<string, unknown>, headers: Record<string, string> = bearer(treasurer)) {
    const res = await t.http.post(url(path)).set(headers).set('Idempotency-Key', idemKey()).send(body);
    if (res.status >= 300) throw new Error(`POST ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const pay = async (body: Record<string, unknown>) => [(await send('/contributions', { receivedOn: today, ...body })).entryId as string];
  const manual = async (journal: string, label: string, lines: { account: string; debit?: string; credit?: string }[]) =>
    [(await send('/ledger/entries', { journal, date: today, label, pieceRef: `PT-${randomUUID().slice(0, 6)}`, lines })).id as string];
  const openAccount = async (body: Record<string, unknown>) => {
    const res = await t.http.post(url('/ledger/accounts')).set(bearer(treasurer)).send(body);
    if (res.status !== 201) throw new Error(`POST /ledger/accounts ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.code as string;
  };
  let batchId: string;
  const collectionDate = nextBusinessDay(today);
  const runLine = async (p: string) => {
    const run = await runPeriod(t, caisseId, s.tokens.admin, p);
    if (run.status !== 'completed') throw new Error(`run ${p} ${run.status}: ${JSON.stringify(run.errors)}`);
    const line = (await allLines(t, caisseId, s.tokens.admin, run.id)).find((l) => l.memberId === payer.id);
    if (!line) throw new Error(`run ${p}: no line for the member`);
    return line;
  };

  const rows: Row[] = [
    // --- member contributions (COT); flat allocation 100, excessAsGift: the month's sum above 100 goes to 7541
    ['member contribution by transfer (first payment of the month, under the allocation)', () => pay({ memberId: payer.id, period: P1, method: 'transfer', amount: '60.00' }), [
      { journal: 'COT', lines: [['512', '60.00', '0.00'], ['756', '0.00', '60.00']] },
    ]],
    ['member contribution by card (second payment of the same month: 20 above the allocation → 7541)', () => pay({ memberId: payer.id, period: P1, method: 'card', amount: '60.00' }), [
      { journal: 'COT', lines: [['512', '60.00', '0.00'], ['756', '0.00', '40.00'], ['7541', '0.00', '20.00']] },
    ]],
    ['member contribution by transfer, 240 at once (140 above the allocation → 7541)', () => pay({ memberId: payer.id, period: P0, method: 'transfer', amount: '240.00' }), [
      { journal: 'COT', lines: [['512', '240.00', '0.00'], ['756', '0.00', '100.00'], ['7541', '0.00', '140.00']] },
    ]],
    ['member contribution in cash', () => pay({ memberId: payer.id, period: P2, method: 'cash', amount: '30.00' }), [
      { journal: 'COT', lines: [['530', '30.00', '0.00'], ['756', '0.00', '30.00']] },
    ]],
    ['member contribution by cheque', () => pay({ memberId: payer.id, period: P3, method: 'cheque', amount: '45.50' }), [
      { journal: 'COT', lines: [['5112', '45.50', '0.00'], ['756', '0.00', '45.50']] },
    ]],
    // --- deposits at the bank (BQ): out of the till / drawer to 580, then 580 to the bank
    ['cash deposited at the bank', async () => {
      const d = await send('/deposits', { method: 'cash', amount: '30.00', depositedOn: today });
      return [d.outEntryId, d.inEntryId];
    }, [
      { journal: 'BQ', lines: [['580', '30.00', '0.00'], ['530', '0.00', '30.00']] },
      { journal: 'BQ', lines: [['512', '30.00', '0.00'], ['580', '0.00', '30.00']] },
    ]],
    ['cheques deposited at the bank', async () => {
      const d = await send('/deposits', { method: 'cheque', items: [{ reference: 'Chèque 0001234 Crédit Agricole', amount: '45.50' }], depositedOn: today });
      return [d.outEntryId, d.inEntryId];
    }, [
      { journal: 'BQ', lines: [['580', '45.50', '0.00'], ['5112', '0.00', '45.50']] },
      { journal: 'BQ', lines: [['512', '45.50', '0.00'], ['580', '0.00', '45.50']] },
    ]],
    // --- SEPA direct debit through 411 (2.5 % of 1200 = 30 called)
    ['direct-debit batch built (dues called)', async () => {
      const b = await send('/direct-debit-batches', { period: P0, collectionDate });
      batchId = b.id;
      const contributions = await t.http.get(url(`/contributions?period=${P0}&memberId=${debtor.id}`)).set(bearer(treasurer));
      return [contributions.body[0].entryId];
    }, [
      { journal: 'COT', lines: [[/^411-/, '30.00', '0.00'], ['756', '0.00', '30.00']] },
    ]],
    ['direct-debit batch settled by the bank', async () => [(await send(`/direct-debit-batches/${batchId}/settle`, { settledOn: collectionDate })).settlementEntryId], [
      { journal: 'BQ', lines: [['512', '30.00', '0.00'], [/^411-/, '0.00', '30.00']] },
    ]],
    ['direct-debit line returned (R-transaction) with a reject fee', async () => {
      const batch = (await t.http.get(url(`/direct-debit-batches/${batchId}`)).set(bearer(treasurer))).body;
      const item = batch.items[0];
      const returned = await send(`/direct-debit-batches/${batchId}/returns`, { endToEndId: item.endToEndId, reasonCode: 'AM04', returnedOn: collectionDate, fee: '0.50' });
      const call = (await t.http.get(url(`/contributions/${item.contributionId}`)).set(bearer(treasurer))).body.entryId;
      const reversal = (await t.http.get(url(`/ledger/entries/${call}`)).set(bearer(treasurer))).body.reversedBy;
      return [reversal, returned.items[0].returnEntryId];
    }, [
      // The call reversed (D 756 / C 411), then the money taken back off the bank with the fee on 627.
      { journal: 'COT', lines: [[/^411-/, '0.00', '30.00'], ['756', '30.00', '0.00']] },
      { journal: 'BQ', lines: [[/^411-/, '30.00', '0.00'], ['627', '0.50', '0.00'], ['512', '0.00', '30.50']] },
    ]],
    // --- grants and other funders (fund and grant on every line)
    ['public grant notified', async () => {
      const g = await t.http
        .post(url('/grants'))
        .set(bearer(treasurer))
        .send({ contributorId: region.id, amount: '1200.00', from: `${year}-07-01`, to: `${year + 1}-06-30`, fund: 'allocations', reference: `OCC-${randomUUID().slice(0, 6)}`, notifiedOn: today });
      if (g.status !== 201) throw new Error(`POST /grants → ${g.status} ${JSON.stringify(g.body)}`);
      grantId = g.body.id;
      return [g.body.entryId];
    }, [
      { journal: 'COT', lines: [[/^441-/, '1200.00', '0.00', 'allocations'], [/^741-/, '0.00', '1200.00', 'allocations']] },
    ]],
    ['grant tranche received', async () => [(await send(`/grants/${grantId}/tranches`, { amount: '400.00', receivedOn: today })).tranches[0].entryId], [
      { journal: 'BQ', lines: [['512', '400.00', '0.00', 'allocations'], [/^441-/, '0.00', '400.00', 'allocations']] },
    ]],
    ['employer contribution received', async () => {
      const employer = await createContributor(t, caisseId, treasurer, { kind: 'employer', name: 'Biocoop SARL', siret: '73282932000074' });
      return pay({ contributorId: employer.id, method: 'transfer', amount: '1000.00', fund: 'allocations' });
    }, [
      { journal: 'COT', lines: [['512', '1000.00', '0.00', 'allocations'], ['7551', '0.00', '1000.00', 'allocations']] },
    ]],
    ['foundation contribution received', async () => {
      const foundation = await createContributor(t, caisseId, treasurer, { kind: 'foundation', name: 'Fondation Carasso' });
      return pay({ contributorId: foundation.id, method: 'transfer', amount: '500.00', fund: 'allocations' });
    }, [
      { journal: 'COT', lines: [['512', '500.00', '0.00', 'allocations'], ['7551', '0.00', '500.00', 'allocations']] },
    ]],
    ['foundation contribution pledged (grant agreement of a non-public funder)', async () => {
      const foundation = await createContributor(t, caisseId, treasurer, { kind: 'foundation', name: 'Fondation de France' });
      const g = await t.http
        .post(url('/grants'))
        .set(bearer(treasurer))
        .send({ contributorId: foundation.id, amount: '800.00', from: `${year}-01-01`, to: `${year}-12-31`, fund: 'ingenierie', reference: `FDF-${randomUUID().slice(0, 6)}` });
      if (g.status !== 201) throw new Error(`POST /grants → ${g.status} ${JSON.stringify(g.body)}`);
      return [g.body.entryId];
    }, [
      { journal: 'COT', lines: [[/^4687-/, '800.00', '0.00', 'ingenierie'], ['7551', '0.00', '800.00', 'ingenierie']] },
    ]],
    ['company patronage received', async () => {
      const company = await createContributor(t, caisseId, treasurer, { kind: 'company', name: 'Mécène SA' });
      return pay({ contributorId: company.id, method: 'transfer', amount: '300.00' });
    }, [
      { journal: 'COT', lines: [['512', '300.00', '0.00', null], ['7542', '0.00', '300.00', null]] },
    ]],
    // --- allocations and purchases
    ['monthly allocation credited', async () => [(await runLine(P1)).entryId!], [
      { journal: 'ALL', lines: [['6571', '100.00', '0.00', 'allocations'], [/^4671-/, '0.00', '100.00', null]] },
    ]],
    ['purchase at an outlet (covered part only: 10 × 1 + 10 × 0.70)', async () => {
      const p = await buy(t, s, { card: payer.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '10.00' }, { category: 'epicerie', amount: '10.00' }] });
      if (p.status !== 201) throw new Error(`POST /purchases → ${p.status} ${JSON.stringify(p.body)}`);
      purchaseId = p.body.id;
      return [p.body.entryId];
    }, [
      { journal: 'ACH', lines: [[/^4671-/, '17.00', '0.00'], [/^401-/, '0.00', '17.00']] },
    ]],
    ['refund of a purchase', async () => [(await send(`/purchases/${purchaseId}/refunds`, { amount: '5.00', reason: 'Cagette abîmée' }, { 'X-Api-Key': s.apiKey })).entryId], [
      { journal: 'ACH', lines: [[/^401-/, '5.00', '0.00'], [/^4671-/, '0.00', '5.00']] },
    ]],
    ['allocation expired (policy "expire"), back to the fund that paid it', async () => [(await runLine(P0)).expireEntryId!], [
      // 100 − 17 + 5 left on the wallet at the next run
      { journal: 'OD', lines: [[/^4671-/, '88.00', '0.00', null], ['6571', '0.00', '88.00', 'allocations']] },
    ]],
    // --- bank and running costs: manual entries (and the open chart)
    ['bank fee', () => manual('BQ', 'Frais de tenue de compte', [{ account: '627', debit: '1.20' }, { account: '512', credit: '1.20' }]), [
      { journal: 'BQ', lines: [['627', '1.20', '0.00'], ['512', '0.00', '1.20']] },
    ]],
    ['bank line not yet explained', () => manual('BQ', 'Virement reçu sans libellé', [{ account: '512', debit: '15.00' }, { account: '471', credit: '15.00' }]), [
      { journal: 'BQ', lines: [['512', '15.00', '0.00'], ['471', '0.00', '15.00']] },
    ]],
    ['multi-year grant: the part for the next fiscal year deferred', () => manual('OD', 'PCA subvention région', [{ account: `741-${region.number}`, debit: '600.00' }, { account: '487', credit: '600.00' }]), [
      { journal: 'OD', lines: [[/^741-/, '600.00', '0.00'], ['487', '0.00', '600.00']] },
    ]],
    ['other running costs: coordination salary', () => manual('OD', 'Salaire coordination', [{ account: '641', debit: '800.00' }, { account: '421', credit: '800.00' }]), [
      { journal: 'OD', lines: [['641', '800.00', '0.00'], ['421', '0.00', '800.00']] },
    ]],
    // 401 is kept for outlets (chart-rules FIXED_PREFIXES): the open chart gives a supplier its auxiliary under an
    // account of the caisse's own, here 408 — accounting.md's "401<supplier>" has no API yet.
    ['other running costs: rent billed by a supplier (auxiliary account of the open chart)', async () => {
      await openAccount({ number: '408', label: 'Fournisseurs', auxiliaryKind: 'supplier' });
      const supplier = await openAccount({ number: '408', aux: 'SLOYER', label: 'SCI du Marché' });
      return manual('OD', 'Loyer local', [{ account: '613', debit: '450.00' }, { account: supplier, credit: '450.00' }]);
    }, [
      { journal: 'OD', lines: [['613', '450.00', '0.00'], [/^408-/, '0.00', '450.00']] },
    ]],
    ['other running costs: rent paid from the bank', () => manual('BQ', 'Loyer local', [{ account: '613', debit: '450.00' }, { account: '512', credit: '450.00' }]), [
      { journal: 'BQ', lines: [['613', '450.00', '0.00'], ['512', '0.00', '450.00']] },
    ]],
    // --- payouts: a settlement run over what the outlet is owed (17 purchased − 5 refunded), approved by a second person
    ['payout to an outlet', async () => {
      const patch = async (path: string, body: Record<string, unknown>) => expect((await t.http.patch(url(path)).set(bearer(s.tokens.admin)).send(body)).status).toBe(200);
      await patch('/bank-accounts/512', { iban: 'FR7630004000031234567890143' });
      await patch(`/outlets/${s.outlet.id}`, { country: 'FR' });
      const run = await send('/settlement-runs', { until: today, outlets: [s.outlet.id] });
      await send(`/settlement-runs/${run.id}/approve`, {}, bearer(s.tokens.admin));
      const exported = await send(`/settlement-runs/${run.id}/export`, {});
      return [exported.lines[0].payoutEntryId as string];
    }, [
      { journal: 'REG', lines: [[/^401-/, '12.00', '0.00'], ['512', '0.00', '12.00']] },
    ]],
  ];

  it.each(rows)('%s', async (_event, produce, expected) => {
    const ids = await produce();
    const entries = [];
    for (const id of ids) {
      const res = await t.http.get(url(`/ledger/entries/${id}`)).set(bearer(treasurer));
      expect(res.status).toBe(200);
      entries.push(res.body as { journal: string; lines: { account: string; debit: string; credit: string; fund: string | null }[] });
    }
    const got = entries.map((e, i) => ({
      journal: e.journal,
      lines: e.lines.map((l, j) => {
        const withFund = (expected[i]?.lines[j]?.length ?? 3) === 4;
        return withFund ? [l.account, l.debit, l.credit, l.fund] : [l.account, l.debit, l.credit];
      }),
    }));
    const want = expected.map((e) => ({ journal: e.journal, lines: e.lines.map(([account, ...rest]) => [typeof account === 'string' ? account : expect.stringMatching(account), ...rest]) }));
    expect(got).toEqual(want);
  });

  // Rows of accounting.md not produced yet, because their features come with later work (no test pretends otherwise):
  // - year end, unspent restricted grant: D 6894 / C 194<funder>, OD, and its release next year: D 194 / C 7894 (closing).

  it('leaves the books verifiable', async () => {
    const res = await t.http.get(url('/ledger/verify')).set(bearer(treasurer));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, problems: [] });
  });
});
