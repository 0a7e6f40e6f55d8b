import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { runPeriod } from './allocation-fixtures.js';
import { createContributor, idemKey } from './contribution-fixtures.js';
import { bearer, createMember, type CreatedMember } from './member-fixtures.js';
import { conventionnedOutlet } from './outlet-fixtures.js';
import { buy, terminalKey } from './purchase-fixtures.js';
import type { Test } from 'supertest';
import type { TestApp } from './test-app.js';

export interface ReportCaisse {
  caisseId: string;
  tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  month: string;
  /** Last day of the month. */
  monthEnd: string;
  /** The day the three members joined (first of the month three months earlier). */
  joinedOn: string;
  members: CreatedMember[];
}

async function ok(res: { status: number; body: unknown }, expected: number, what: string) {
  if (res.status !== expected) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A small caisse with figures known by hand, all in the current month M (purchases can only be dated today):
 * grid bands ≤ 1000 / ≤ 2000 / above; flat allocation 100.00; three single-adult members who joined 3 months ago
 * with incomes 800 (A, commune 34172), 1500 (B, 34172), 3000 (C, 34142), paying 10, 40 and 150 for M;
 * Region grant REG-1 of 1000.00 for allocations (600.00 received); FSE grant FSE-1 of 500.00 for coordination
 * (all received, 120.00 spent on 627 under its code); the run of M credits 300.00; A buys 50.00 at an organic
 * producer (34172), B 30.00 at a grocery (34142, the caisse's territory); C buys nothing.
 */
export async function reportCaisse(t: TestApp): Promise<ReportCaisse> {
  const { caisseId, tokens } = await t.newCaisse();
  const today = todayInFrance();
  const month = today.slice(0, 7);
  const day1 = `${month}-01`;
  const url = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
  const treasurer = bearer(tokens.treasurer);
  await t.sql(`UPDATE caisses SET territory = '{34142}' WHERE id = $1`, [caisseId]);
  await ok(
    await t.http.post(url('/rule-versions')).set(bearer(tokens.admin)).send({
      effectiveFrom: '2026-01-01',
      allocation: { formula: 'flat', amount: '100.00' },
      contribution: { rule: 'grid', bands: [{ upTo: '1000.00', amount: '10.00' }, { upTo: '2000.00', amount: '40.00' }, { amount: '80.00' }] },
      rollover: { mode: 'rollover' },
      gate: { requireContribution: false },
    }),
    201,
    'rules',
  );
  const [y, m] = month.split('-').map(Number);
  const joined = new Date(Date.UTC(y, m - 4, 1)).toISOString().slice(0, 10);
  const members: CreatedMember[] = [];
  for (const [income, commune] of [['800.00', '34172'], ['1500.00', '34172'], ['3000.00', '34142']]) {
    members.push(await createMember(t, caisseId, tokens.admin, { monthlyIncome: income, commune, joinedOn: joined, household: { adults: 1, childrenBirthYears: [] }, pin: '4821' }));
  }
  for (const [member, amount] of [[members[0], '10.00'], [members[1], '40.00'], [members[2], '150.00']] as const) {
    const res = await t.http.post(url('/contributions')).set(treasurer).set('Idempotency-Key', idemKey()).send({ memberId: member.id, amount, period: month, method: 'transfer', receivedOn: day1 });
    await ok(res, 201, 'contribution');
  }
  const region = await createContributor(t, caisseId, tokens.treasurer, { kind: 'public-funder', funderType: 'region', name: 'Région Occitanie' });
  const fse = await createContributor(t, caisseId, tokens.treasurer, { kind: 'public-funder', funderType: 'eu-fse-plus', name: 'FSE+ Occitanie' });
  const grant = async (contributorId: string, reference: string, amount: string, fund: string, received: string) => {
    const g = await t.http.post(url('/grants')).set(treasurer).send({ contributorId, amount, from: day1, to: `${y}-12-31`, fund, reference, notifiedOn: day1 });
    await ok(g, 201, 'grant');
    const tr = await t.http.post(url(`/grants/${g.body.id}/tranches`)).set(treasurer).set('Idempotency-Key', idemKey()).send({ amount: received, receivedOn: day1 });
    await ok(tr, 201, 'tranche');
  };
  await grant(region.id, 'REG-1', '1000.00', 'allocations', '600.00');
  await grant(fse.id, 'FSE-1', '500.00', 'ingenierie', '500.00');
  const fee = await t.app.get(LedgerService).post({
    caisseId,
    journal: 'BQ',
    date: day1,
    label: 'Frais de coordination FSE',
    pieceRef: `FSE-${randomUUID().slice(0, 6)}`,
    idempotencyKey: `fse-${randomUUID()}`,
    lines: [
      { account: '627', debit: '120.00', fund: 'ingenierie', grant: 'FSE-1' },
      { account: '512', credit: '120.00', fund: 'ingenierie', grant: 'FSE-1' },
    ],
  });
  if (!fee.entry) throw new Error('fee failed');
  const run = await runPeriod(t, caisseId, tokens.treasurer, month);
  if (run.status !== 'completed') throw new Error(`run ${run.status}: ${JSON.stringify(run)}`);

  const producer = await conventionnedOutlet(t, caisseId, tokens.admin, { kind: 'producer', labels: ['ab'], commune: '34172', communeName: 'Lodève' });
  const grocery = await conventionnedOutlet(t, caisseId, tokens.admin, { kind: 'grocery', commune: '34142', communeName: 'Clermont-l’Hérault' });
  for (const [outlet, member, amount] of [[producer, members[0], '50.00'], [grocery, members[1], '30.00']] as const) {
    await ok(await t.http.post(url(`/outlets/${outlet.id}/coverage`)).set(bearer(tokens.admin)).send({ effectiveFrom: today, rates: [{ category: '*', rate: '1' }] }), 201, 'coverage');
    const apiKey = await terminalKey(t, caisseId, outlet.id, tokens.admin);
    const shop = { caisseId, tokens, outlet: { id: outlet.id, accountCode: outlet.accountCode, name: outlet.name }, apiKey };
    await ok(await buy(t, shop, { card: member.cardNumber, pin: '4821', amount }), 201, 'purchase');
  }
  const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { caisseId, tokens, month, monthEnd, joinedOn: joined, members };
}

/** A download read whole as bytes (XLSX, PDF), whatever its content type. */
export function download(req: Test) {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}
