import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from '../support/outlet-fixtures.js';
import { payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { all, parseXml, text, validateWithXsd } from '../support/xml-tree.js';
import { todayInFrance } from '../../src/common/dates.js';

describe('Settlement runs: preparation, four-eyes, export (e2e)', () => {
  let t: TestApp;
  let c: PayCaisse;
  // An app, a caisse with five users (password hashes) and a bank account: slow on a loaded machine.
  beforeAll(async () => {
    t = await createTestApp();
    c = await payCaisse(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix = '') => `/api/v1/caisses/${c.caisseId}/settlement-runs${suffix}`;
  const today = todayInFrance();
  const create = (body: Record<string, unknown>, token = c.tokens.treasurer) => t.http.post(url()).set(bearer(token)).send({ until: today, ...body });
  const approve = (id: string, body: Record<string, unknown> = {}, token = c.tokens.admin) => t.http.post(url(`/${id}/approve`)).set(bearer(token)).send(body);
  const exportRun = (id: string, body: Record<string, unknown> = {}) => t.http.post(url(`/${id}/export`)).set(bearer(c.tokens.treasurer)).send(body);
  const open401 = (account: string) => t.app.get(LedgerService).bookLines(c.caisseId, account, { lettered: false });
  const balance = async (account: string) => (await t.app.get(LedgerService).account(c.caisseId, account)).balance;

  it('pays per outlet its purchases − refunds up to until, carries an outlet below minAmount, refuses bad input and other roles', async () => {
    const a = await payee(t, c);
    const b = await payee(t, c);
    await sale(t, c, a.accountCode, '40.00', 'R-A1');
    await sale(t, c, a.accountCode, '12.50', 'R-A2');
    await sale(t, c, a.accountCode, '-2.50', 'R-A3');
    await sale(t, c, b.accountCode, '9.99', 'R-B1');
    expect((await create({}, c.tokens.cashier)).status).toBe(403);
    const bad = await create({ until: '2026-02-30', minAmount: '1.234', outlets: ['x'] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['minAmount', 'outlets', 'until']);
    const res = await create({ minAmount: '10.00', outlets: [a.id, b.id] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'draft', progress: 100, total: '50.00', lineCount: 1, bankAccount: '5121' });
    expect(res.body.lines[0]).toMatchObject({ outletId: a.id, amount: '50.00', items: 3, status: 'pending', ibanFlagged: false, endToEndId: `REG-${String(res.body.runNo).padStart(5, '0')}-${a.code}` });
    // b (9.99 < 10.00) is carried: a run without minimum pays it, but not a's purchases, held by the first run.
    const next = await create({ outlets: [a.id, b.id] });
    expect(next.status).toBe(202);
    expect(next.body.lines.map((l: { outletId: string; amount: string }) => [l.outletId, l.amount])).toEqual([[b.id, '9.99']]);
    const none = await create({ outlets: [a.id, b.id] });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('NOTHING_TO_PAY');
    for (const id of [res.body.id, next.body.id]) expect((await t.http.post(url(`/${id}/cancel`)).set(bearer(c.tokens.admin))).body.status).toBe('cancelled');
    expect((await create({ outlets: [a.id, b.id] })).body.total).toBe('59.99');
  });

  it('two runs prepared at once never hold the same purchase', async () => {
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '30.00');
    const [r1, r2] = await Promise.all([create({ outlets: [o.id] }), create({ outlets: [o.id] })]);
    expect([r1.status, r2.status].sort()).toEqual([202, 409]);
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM settlement_items i JOIN settlement_lines l ON l.id = i.line_id WHERE l.outlet_id = $1`, [o.id]);
    expect(n).toBe(1);
  });

  it('four-eyes: the creator cannot approve; a second treasurer or admin does, once', async () => {
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '15.00');
    const run = (await create({ outlets: [o.id] })).body;
    const self = await approve(run.id, {}, c.tokens.treasurer);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('FOUR_EYES');
    expect((await exportRun(run.id)).body.code).toBe('RUN_STATE_CONFLICT');
    const ok = await approve(run.id);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved' });
    expect(ok.body.approvedBy).not.toBe(run.createdBy);
    expect((await approve(run.id)).body.code).toBe('RUN_STATE_CONFLICT');
  });

  it('flags a line whose outlet IBAN changed within the window: approval needs its explicit confirmation, audited', async () => {
    const o = await payee(t, c);
    const patched = await t.http.patch(`/api/v1/caisses/${c.caisseId}/outlets/${o.id}`).set(bearer(c.tokens.treasurer)).send({ iban: 'FR7630004000031234567890143' });
    expect(patched.status).toBe(200);
    expect(patched.body.ibanChangedAt).not.toBeNull();
    await sale(t, c, o.accountCode, '21.00');
    const run = (await create({ outlets: [o.id] })).body;
    const [line] = run.lines;
    expect(line).toMatchObject({ ibanFlagged: true, iban: 'FR7630004000031234567890143' });
    const unconfirmed = await approve(run.id);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body).toMatchObject({ code: 'IBAN_CHANGE_UNCONFIRMED', lines: [{ lineId: line.id, outletCode: o.code }] });
    const ok = await approve(run.id, { confirmIbanChanges: [line.id] });
    expect(ok.status).toBe(200);
    expect(ok.body.lines[0].ibanConfirmedBy).toBe(ok.body.approvedBy);
    const audit = await t.sql(`SELECT actor_id, after FROM audit_log WHERE caisse_id = $1 AND action = 'settlement.iban-change-confirmed' AND target_id = $2`, [c.caisseId, o.id]);
    expect(audit).toEqual([{ actor_id: ok.body.approvedBy, after: expect.objectContaining({ lineId: line.id, iban: 'FR7630004000031234567890143', amount: '21.00' }) }]);
    // With a window of 0 days nothing is flagged any more.
    expect((await t.http.put(`/api/v1/caisses/${c.caisseId}/settlement-settings`).set(bearer(c.tokens.admin)).send({ ibanChangeWindowDays: 0 })).body).toEqual({ ibanChangeWindowDays: 0 });
    await sale(t, c, o.accountCode, '1.00');
    expect((await create({ outlets: [o.id] })).body.lines[0].ibanFlagged).toBe(false);
    await t.http.put(`/api/v1/caisses/${c.caisseId}/settlement-settings`).set(bearer(c.tokens.admin)).send({ ibanChangeWindowDays: 30 });
  });

  it('refuses to export (422 naming the outlet and field) a line whose outlet has no country', async () => {
    const o = await payee(t, c, { country: undefined });
    await sale(t, c, o.accountCode, '8.00');
    const run = (await create({ outlets: [o.id] })).body;
    await approve(run.id);
    const res = await exportRun(run.id);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'OUTLET_ADDRESS_INCOMPLETE', outletId: o.id, field: 'country' });
    expect(await balance(o.accountCode)).toBe('-8.00');
    await t.http.patch(`/api/v1/caisses/${c.caisseId}/outlets/${o.id}`).set(bearer(c.tokens.admin)).send({ country: 'FR' });
    expect((await exportRun(run.id)).status).toBe(200);
  });

  it('exports once under concurrency: one REG entry per line (D 401 / C 512x), purchases lettered, pain.001 v09 and v03 valid and stable', async () => {
    const a = await payee(t, c, { name: 'Épicerie Ñúñez & Fils' });
    const b = await payee(t, c, { streetName: undefined, buildingNumber: undefined, address: '3 place du Marché' });
    await sale(t, c, a.accountCode, '40.00', 'R-100');
    await sale(t, c, a.accountCode, '-5.25', 'R-101');
    await sale(t, c, b.accountCode, '17.30', 'R-200');
    const run = (await create({ outlets: [a.id, b.id], instant: true })).body;
    await approve(run.id);
    const [e1, e2] = await Promise.all([exportRun(run.id), exportRun(run.id)]);
    expect([e1.status, e2.status]).toEqual([200, 200]);
    expect([e1.headers['idempotent-replayed'], e2.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    const exported = e1.body;
    expect(exported).toMatchObject({ status: 'exported', executionDate: today, total: '52.05' });
    expect(exported.messageId).toMatch(/^REG[0-9a-f]{32}$/);
    const entries = await t.sql<{ idempotency_key: string; piece_ref: string; journal: string }>(
      `SELECT idempotency_key, piece_ref, journal FROM journal_entries WHERE caisse_id = $1 AND idempotency_key LIKE $2 ORDER BY piece_ref`,
      [c.caisseId, `payout:${exported.messageId}:%`],
    );
    expect(entries).toEqual(exported.lines.map((l: { endToEndId: string }) => ({ idempotency_key: `payout:${exported.messageId}:${l.endToEndId}`, piece_ref: l.endToEndId, journal: 'REG' })));
    expect([await balance(a.accountCode), await balance(b.accountCode)]).toEqual(['0.00', '0.00']);
    expect([await open401(a.accountCode), await open401(b.accountCode)]).toEqual([[], []]);

    const files: Record<string, string> = {};
    for (const version of ['09', '03']) {
      const res = await t.http.get(url(`/${run.id}/pain001?version=${version}`)).set(bearer(c.tokens.treasurer));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/xml');
      files[version] = res.text;
      expect(() => validateWithXsd(res.text, `pain.001.001.${version}.xsd`)).not.toThrow();
    }
    expect(() => validateWithXsd(files['09'], 'epc/EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd')).not.toThrow();
    expect((await t.http.get(url(`/${run.id}/pain001`)).set(bearer(c.tokens.treasurer))).text).toBe(files['09']);
    const root = all(parseXml(files['09']), 'CstmrCdtTrfInitn')[0];
    expect([text(root, 'GrpHdr/MsgId'), text(root, 'GrpHdr/NbOfTxs'), text(root, 'GrpHdr/CtrlSum')]).toEqual([exported.messageId, '2', '52.05']);
    expect(text(root, 'PmtInf/DbtrAcct/Id/IBAN')).toBe(c.bankIban);
    expect(text(root, 'PmtInf/PmtTpInf/LclInstrm/Cd')).toBe('INST');
    const txs = all(root, 'PmtInf/CdtTrfTxInf');
    expect(txs.map((x) => [text(x, 'PmtId/EndToEndId'), text(x, 'Amt/InstdAmt')])).toEqual(exported.lines.map((l: { endToEndId: string; amount: string }) => [l.endToEndId, l.amount]));
    const byTown = txs.map((x) => all(x, 'Cdtr/PstlAdr')[0].children.map((n) => n.name));
    expect(byTown).toEqual(expect.arrayContaining([['StrtNm', 'BldgNb', 'PstCd', 'TwnNm', 'Ctry'], ['PstCd', 'TwnNm', 'Ctry', 'AdrLine']]));
    expect(text(txs[0], 'RmtInf/Ustrd')).toMatch(new RegExp(`^Releve ${run.runNo}-O\\d{8} achats du ${today} au ${today}`));
    expect((await t.http.get(url(`/${run.id}/pain001?version=04`)).set(bearer(c.tokens.treasurer))).status).toBe(400);
  });

  it('refuses the pain.001 of a run not exported, and unknown runs', async () => {
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '3.00');
    const run = (await create({ outlets: [o.id] })).body;
    expect((await t.http.get(url(`/${run.id}/pain001`)).set(bearer(c.tokens.treasurer))).status).toBe(409);
    expect((await t.http.get(url('/6f1c1c1e-1111-4111-8111-111111111111')).set(bearer(c.tokens.treasurer))).status).toBe(404);
  });
});
