import { bearer } from '../support/member-fixtures.js';
import { download, reportCaisse, type ReportCaisse } from '../support/report-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';


/** General ledger and balance of the fixture caisse (report-fixtures.ts), figures by hand. */
describe('general ledger and balance (e2e)', () => {
  let t: TestApp;
  let c: ReportCaisse;
  let period: string;
  beforeAll(async () => {
    t = await createTestApp();
    c = await reportCaisse(t);
    period = `from=${c.month}-01&to=${c.monthEnd}`;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (book: string, query: string, token = c.tokens.treasurer) => t.http.get(`/api/v1/caisses/${c.caisseId}/books/${book}?${query}`).set(bearer(token));

  it('balances the period per general account, brought forward, movements and closing', async () => {
    const res = await get('balance', period);
    expect(res.status).toBe(200);
    expect(res.body.totals.debit).toBe(res.body.totals.credit);
    expect(res.body.totals.closingDebit).toBe(res.body.totals.closingCredit);
    const row = (code: string) => res.body.accounts.find((a: { code: string }) => a.code === code);
    // Bank: 200 (members) + 600 (REG-1) + 500 (FSE-1) in, 120 out.
    expect(row('512')).toMatchObject({ openingDebit: '0.00', debit: '1300.00', credit: '120.00', closingDebit: '1180.00', closingCredit: '0.00' });
    // Wallets: 300 credited, 80 spent; outlets owed 80; allocations expensed 300.
    expect(row('4671')).toMatchObject({ debit: '80.00', credit: '300.00', closingCredit: '220.00' });
    expect(row('401')).toMatchObject({ closingCredit: '80.00' });
    expect(row('6571')).toMatchObject({ closingDebit: '300.00' });
    expect(row('441')).toMatchObject({ debit: '1500.00', credit: '1100.00', closingDebit: '400.00' });
    // The next period brings it all forward.
    const [y, m] = c.month.split('-').map(Number);
    const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`;
    const later = await get('balance', `from=${next}&to=${next}`);
    expect(later.body.accounts.find((a: { code: string }) => a.code === '512')).toMatchObject({ openingDebit: '1180.00', debit: '0.00', credit: '0.00', closingDebit: '1180.00' });
  });

  it('lists the member sub-ledger (?account=4671) per pseudonymous auxiliary, never by name', async () => {
    const res = await get('balance', `${period}&account=4671`);
    expect(res.status).toBe(200);
    const pseudonyms = (await t.sql<{ pseudonym: string; last_name: string }>(`SELECT pseudonym, last_name FROM members WHERE caisse_id = $1 ORDER BY number`, [c.caisseId]));
    expect(res.body.accounts.map((a: { code: string; label: string; closingCredit: string }) => [a.code, a.label, a.closingCredit])).toEqual([
      [`4671-${pseudonyms[0].pseudonym}`, `Adhérent ${pseudonyms[0].pseudonym}`, '50.00'],
      [`4671-${pseudonyms[1].pseudonym}`, `Adhérent ${pseudonyms[1].pseudonym}`, '70.00'],
      [`4671-${pseudonyms[2].pseudonym}`, `Adhérent ${pseudonyms[2].pseudonym}`, '100.00'],
    ]);
    expect(res.body.totals).toMatchObject({ debit: '80.00', credit: '300.00', closingCredit: '220.00' });
    const ledger = await get('general-ledger', `${period}&account=4671`);
    expect(ledger.status).toBe(200);
    const a = ledger.body.accounts[0];
    expect(a).toMatchObject({ code: `4671-${pseudonyms[0].pseudonym}`, opening: '0.00', debit: '50.00', credit: '100.00', closing: '-50.00' });
    expect(a.lines.map((l: { journal: string; debit: string; credit: string; balance: string }) => [l.journal, l.debit, l.credit, l.balance])).toEqual([
      ['ALL', '0.00', '100.00', '-100.00'],
      ['ACH', '50.00', '0.00', '-50.00'],
    ]);
    const text = JSON.stringify(ledger.body) + (await get('general-ledger', `${period}&account=4671&format=csv`)).text;
    for (const m of pseudonyms) expect(text).not.toContain(m.last_name);
  });

  it('gives the whole general ledger, balanced, as JSON, CSV, XLSX and PDF', async () => {
    const res = await get('general-ledger', period);
    expect(res.status).toBe(200);
    expect(res.body.totals.debit).toBe(res.body.totals.credit);
    expect(res.body.accounts.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(['512', '627', '6571', '756']));
    const csv = await get('general-ledger', `${period}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('Compte;Date;Journal;N°;Pièce;Libellé;Débit;Crédit;Solde');
    expect(csv.text).toContain('Frais de coordination FSE;120,00;');
    const xlsx = await download(get('balance', `${period}&format=xlsx`));
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const pdf = await download(get('general-ledger', `${period}&format=pdf`));
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses other roles and bad filters', async () => {
    expect((await get('balance', period, c.tokens.cashier)).status).toBe(403);
    expect((await get('general-ledger', period, c.tokens.member)).status).toBe(403);
    expect((await t.http.get(`/api/v1/caisses/${c.caisseId}/books/balance`)).status).toBe(401);
    for (const [query, field] of [['account=abc', 'account'], ['account=8000', 'account'], ['from=0001-01-01', 'from'], ['from=2026-02-30', 'from'], ['format=ods', 'format']]) {
      const res = await get('balance', query);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty(field);
    }
  });
});
