import { LedgerService } from '../../src/ledger/ledger.service.js';
import { todayInFrance } from '../../src/common/dates.js';
import { bearer } from '../support/outlet-fixtures.js';
import { pain002, payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Line {
  id: string;
  outletId: string;
  endToEndId: string;
  amount: string;
  status: string;
  payoutEntryId: string;
  reversalEntryId: string | null;
  reasonCode: string | null;
  reasonText: string | null;
}

describe('Settlement runs: bank answers and remittance statements (e2e)', () => {
  let t: TestApp;
  let c: PayCaisse;
  let ledger: LedgerService;
  // An app, a caisse with five users (password hashes) and a bank account: slow on a loaded machine.
  beforeAll(async () => {
    t = await createTestApp();
    c = await payCaisse(t);
    ledger = t.app.get(LedgerService);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const today = todayInFrance();
  const url = (suffix = '') => `/api/v1/caisses/${c.caisseId}/settlement-runs${suffix}`;
  const report = (runId: string, xml: string | Buffer) => t.http.post(url(`/${runId}/status-report`)).set(bearer(c.tokens.treasurer)).attach('file', Buffer.from(xml), 'pain002.xml');
  const get = async (runId: string) => (await t.http.get(url(`/${runId}`)).set(bearer(c.tokens.treasurer))).body;
  const balance = async (account: string) => (await ledger.account(c.caisseId, account)).balance;

  /** Outlets with purchases, a run over them approved by the admin and exported. */
  async function exportedRun(amounts: string[]) {
    const outlets = [];
    for (const amount of amounts) {
      const o = await payee(t, c);
      await sale(t, c, o.accountCode, amount, `R-${o.code}-1`);
      outlets.push(o);
    }
    const created = await t.http.post(url()).set(bearer(c.tokens.treasurer)).send({ until: today, outlets: outlets.map((o) => o.id) });
    expect(created.status).toBe(202);
    expect((await t.http.post(url(`/${created.body.id}/approve`)).set(bearer(c.tokens.admin)).send({})).status).toBe(200);
    const run = await t.http.post(url(`/${created.body.id}/export`)).set(bearer(c.tokens.treasurer)).send({});
    expect(run.status).toBe(200);
    return { run: run.body as { id: string; messageId: string; runNo: number; lines: Line[] }, outlets };
  }
  const lineOf = (run: { lines: Line[] }, outletId: string) => run.lines.find((l) => l.outletId === outletId)!;

  it('a rejected transfer (Verification-of-Payee mismatch) reverses its payout: the purchases are owed again and paid by the next run', async () => {
    const { run, outlets } = await exportedRun(['25.00', '14.20']);
    const [a, b] = outlets;
    const la = lineOf(run, a.id);
    const lb = lineOf(run, b.id);
    const xml = pain002(run.messageId, [
      { e2e: la.endToEndId, status: 'ACCP' },
      { e2e: lb.endToEndId, status: 'RJCT', reason: 'AC01', info: 'Verification of Payee: name does not match (NOTM)' },
    ]);
    const res = await report(run.id, xml);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reportId: 'BANK-STS-1', rejected: 1, accepted: 1 });
    const after = res.body.run;
    expect(lineOf(after, a.id)).toMatchObject({ status: 'pending', reversalEntryId: null });
    expect(lineOf(after, b.id)).toMatchObject({ status: 'rejected', reasonCode: 'AC01', reasonText: 'Verification of Payee: name does not match (NOTM)' });
    const reversal = await ledger.entry(c.caisseId, lineOf(after, b.id).reversalEntryId!);
    expect(reversal).toMatchObject({ reverses: lb.payoutEntryId, journal: 'REG', idempotencyKey: `payout-return:${run.messageId}:${lb.endToEndId}` });
    expect([await balance(a.accountCode), await balance(b.accountCode)]).toEqual(['0.00', '-14.20']);
    // The purchase is open again; the payout and its reversal are lettered together, so they are not.
    expect((await ledger.bookLines(c.caisseId, b.accountCode, { lettered: false })).map((l) => [l.pieceRef, l.credit])).toEqual([[`R-${b.code}-1`, '14.20']]);
    // The same report again changes nothing.
    expect((await report(run.id, xml)).body).toMatchObject({ rejected: 0 });
    const next = await t.http.post(url()).set(bearer(c.tokens.treasurer)).send({ until: today, outlets: [a.id, b.id] });
    expect(next.body.lines.map((l: Line) => [l.outletId, l.amount])).toEqual([[b.id, '14.20']]);
    await t.http.post(url(`/${next.body.id}/cancel`)).set(bearer(c.tokens.treasurer));
  });

  it('derives paid from the bank reconciliation (lettered 512x line), partly-paid once the rest is rejected or returned; a return reverses like a rejection', async () => {
    const { run, outlets } = await exportedRun(['10.00', '20.00']);
    const [a, b] = outlets;
    const la = lineOf(run, a.id);
    // What the reconciliation does when the bank statement shows the transfer: letters the payout's 512x line.
    const payout = await ledger.entry(c.caisseId, la.payoutEntryId);
    await ledger.letter(c.caisseId, [{ entryId: payout.id, lineNo: payout.lines.find((l) => l.account === '5121')!.lineNo }], today);
    let now = await get(run.id);
    expect([now.status, lineOf(now, a.id).status, lineOf(now, b.id).status]).toEqual(['exported', 'paid', 'pending']);
    const lb = lineOf(run, b.id);
    const bad = await t.http.post(url(`/${run.id}/lines/${lb.id}/return`)).set(bearer(c.tokens.treasurer)).send({ reason: 'AC04', returnedOn: '2000-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('returnedOn');
    const ret = await t.http.post(url(`/${run.id}/lines/${lb.id}/return`)).set(bearer(c.tokens.treasurer)).set('Idempotency-Key', `ret-${lb.id}`).send({ reason: 'AC04', returnedOn: today });
    expect(ret.status).toBe(200);
    const replay = await t.http.post(url(`/${run.id}/lines/${lb.id}/return`)).set(bearer(c.tokens.treasurer)).set('Idempotency-Key', `ret-${lb.id}`).send({ reason: 'AC04', returnedOn: today });
    expect([replay.status, replay.headers['idempotent-replayed'], replay.body.id]).toEqual([200, 'true', run.id]);
    now = ret.body;
    expect([now.status, lineOf(now, a.id).status, lineOf(now, b.id).status]).toEqual(['partly-paid', 'paid', 'returned']);
    expect(await balance(b.accountCode)).toBe('-20.00');
    expect((await t.http.post(url(`/${run.id}/lines/${lb.id}/return`)).set(bearer(c.tokens.treasurer)).send({ reason: 'AC04', returnedOn: today })).body.code).toBe('LINE_ALREADY_REVERSED');
    // A paid transfer is not rejected by a late pain.002: nothing of the report is applied.
    const late = await report(run.id, pain002(run.messageId, [{ e2e: la.endToEndId, status: 'RJCT', reason: 'AM04' }]));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('LINE_ALREADY_PAID');
  });

  it('refuses bad status reports with a problem naming the line, and applies nothing', async () => {
    const { run } = await exportedRun(['5.00', '6.00']);
    const [l1] = run.lines;
    const cases: [string, string, number, string, number][] = [
      ['external entity', '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document>&x;</Document>', 400, 'MALFORMED_STATUS_REPORT', 2],
      ['XML bomb', `<?xml version="1.0"?>\n<!DOCTYPE l [${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')}<!ENTITY l0 "lol">]>\n<Document>&l9;</Document>`, 400, 'MALFORMED_STATUS_REPORT', 2],
      ['malformed XML', '<Document>\n<CstmrPmtStsRpt>\n</Document>', 400, 'MALFORMED_STATUS_REPORT', 3],
      ['unknown message', pain002('REGffffffffffffffffffffffffffffffff', [{ e2e: l1.endToEndId, status: 'RJCT' }]), 422, 'UNKNOWN_MESSAGE', 5],
      ['unknown transaction', pain002(run.messageId, [{ e2e: l1.endToEndId, status: 'RJCT' }, { e2e: 'REG-99999-O99999999', status: 'RJCT' }]), 422, 'UNKNOWN_TRANSACTION', 12],
    ];
    for (const [what, xml, status, code, line] of cases) {
      const res = await report(run.id, xml);
      expect([what, res.status, res.body.code, res.body.line]).toEqual([what, status, code, line]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.file[0]).toMatch(new RegExp(`^line ${line}: `));
    }
    expect((await t.http.post(url(`/${run.id}/status-report`)).set(bearer(c.tokens.treasurer)).field('x', 'y')).status).toBe(400);
    expect((await get(run.id)).lines.map((l: Line) => l.status)).toEqual(['pending', 'pending']);
    // A whole-file rejection without transactions rejects every line.
    const all = await report(run.id, pain002(run.messageId, [], 'RJCT'));
    expect(all.body).toMatchObject({ rejected: 2, run: { status: 'partly-paid' } });
  });

  it('remittance statement (CSV and PDF): purchases and refunds with dates, receipts, amounts, total and transfer reference; for the treasurer and the outlet staff only', async () => {
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '31.40', 'TICKET-0001');
    await sale(t, c, o.accountCode, '-1.40', 'TICKET-0003');
    const created = await t.http.post(url()).set(bearer(c.tokens.treasurer)).send({ until: today, outlets: [o.id] });
    const run = created.body;
    await t.http.post(url(`/${run.id}/approve`)).set(bearer(c.tokens.admin)).send({});
    const exported = (await t.http.post(url(`/${run.id}/export`)).set(bearer(c.tokens.treasurer)).send({})).body;
    const ref = exported.lines[0].endToEndId;
    const statement = (token: string, format: string) => t.http.get(url(`/${run.id}/statements/${o.id}?format=${format}`)).set(bearer(token)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const csv = await statement(c.tokens.treasurer, 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = (csv.body as Buffer).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((r) => r.split(';'));
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Référence du virement', ref],
        ['Période', today, today],
        [today, 'achat', 'TICKET-0001', 'Achat', '31.40'],
        [today, 'remboursement', 'TICKET-0003', 'Remboursement', '-1.40'],
        ['Total', '', '', '', '30.00'],
      ]),
    );
    const pdf = await statement(c.tokens.treasurer, 'pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const body = (pdf.body as Buffer).toString('latin1');
    expect(body.startsWith('%PDF-')).toBe(true);
    const shown = pdfText(body);
    for (const s of ['TICKET-0001', 'TICKET-0003', '31.40', '-1.40', '30.00', ref, `Relevé de règlement ${run.runNo}-${o.code}`]) expect(shown).toContain(s);

    // The outlet's own cashier reads it; a cashier of another outlet and a member do not.
    expect((await statement(c.tokens.cashier, 'csv')).status).toBe(404);
    const me = (await t.http.get('/api/v1/auth/me').set(bearer(c.tokens.cashier))).body.userId;
    expect((await t.http.post(`/api/v1/caisses/${c.caisseId}/outlets/${o.id}/staff`).set(bearer(c.tokens.admin)).send({ userId: me })).status).toBe(201);
    expect((await statement(c.tokens.cashier, 'csv')).status).toBe(200);
    expect((await statement(c.tokens.member, 'csv')).status).toBe(403);
    expect((await t.http.get(url(`/${run.id}`)).set(bearer(c.tokens.cashier))).status).toBe(403);
  });
});

/** Text shown by a pdfkit page: hex strings of TJ arrays, joined per array (WinAnsi). */
function pdfText(pdf: string): string {
  const out: string[] = [];
  for (const m of pdf.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?\d*\.?\d*\s*)+)\]\s*TJ/g)) {
    out.push([...m[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
  }
  return out.join('\n').replace(/\x92/g, '’');
}
