import { bearer } from '../support/member-fixtures.js';
import { uploadStatement } from '../support/reconciliation-fixtures.js';
import { camt053, cfonb120 } from '../support/statement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const IBAN = 'FR7630004000031234567890143';
const RIB = { bank: '30004', branch: '00003', account: '12345678901' };
const stmt = { id: 'S-1', sequence: '1', opening: '0.00', openingOn: '2026-11-02', closingOn: '2026-11-03', movements: [{ amount: '12.50', bookedOn: '2026-11-03', label: 'VIR' }] };

/** Bad statement files over HTTP: 4xx problems naming the line, nothing imported, never a 500; CSV with a saved mapping. */
describe('bank statement input (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  const url = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
  const count = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM bank_statement_lines WHERE caisse_id = $1`, [caisseId]))[0].n;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    await t.http.patch(url('/bank-accounts/512')).set(bearer(token)).send({ iban: IBAN });
    // A cashier may not import statements.
    expect((await uploadStatement(t, caisseId, c.tokens.cashier, camt053(IBAN, [stmt]))).status).toBe(403);
  });
  afterAll(async () => t?.close());

  const lines = cfonb120(RIB, stmt);
  it.each<[string, string, number, string, RegExp]>([
    ['malformed XML', '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt><Stmt></BkToCstmrStmt>', 400, 'MALFORMED_STATEMENT', /^line 3: malformed XML/],
    ['an XML bomb', '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Document>&c;</Document>', 400, 'MALFORMED_STATEMENT', /^line 2: a DOCTYPE/],
    ['an external entity', '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>', 400, 'MALFORMED_STATEMENT', /DOCTYPE/],
    ['an amount with 3 decimals', camt053(IBAN, [stmt]).replace('>12.50<', '>12.505<'), 400, 'MALFORMED_STATEMENT', /more than 2 decimals/],
    ['a truncated CFONB line', [lines[0], lines[1].slice(0, 100), lines[2]].join('\n'), 400, 'MALFORMED_STATEMENT', /^line 2: 100 characters/],
    ['an over-long CFONB line', [lines[0], `${lines[1]}XX`, lines[2]].join('\n'), 400, 'MALFORMED_STATEMENT', /^line 2: 122 characters/],
    ['an unknown CFONB record', [lines[0], `09${lines[1].slice(2)}`, lines[2]].join('\n'), 400, 'MALFORMED_STATEMENT', /^line 2: unknown record code "09"/],
    ['a statement of an unknown IBAN', camt053('FR7630006000011234567890189', [stmt]), 422, 'UNKNOWN_BANK_ACCOUNT', /IBAN FR7630006000011234567890189/],
    ['a CSV without its bank account', 'Date;Libellé;Montant\n03/11/2026;VIR;12,50\n', 400, 'VALIDATION_FAILED', /./],
    ['binary garbage', '\u0000\u0001\u0002garbage', 400, 'MALFORMED_STATEMENT', /unknown format/],
  ])('refuses %s', async (_, content, status, code, why) => {
    const res = await uploadStatement(t, caisseId, token, content);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe(code);
    expect(Object.values(res.body.errors as Record<string, string[]>).flat()[0]).toMatch(why);
    expect(await count()).toBe(0);
  });

  it('refuses a request without a file', async () => {
    const res = await t.http.post(url('/bank-statements')).set(bearer(token)).field('bankAccount', '512');
    expect(res.status).toBe(400);
    expect(res.body.errors.file).toBeDefined();
  });

  it('imports a CSV through the mapping saved for the bank account; refuses missing columns with the line', async () => {
    const csv = 'Date;Libellé;Débit;Crédit;Référence\n03/11/2026;VIR DE JEANNE;;12,50;REF1\n04/11/2026;"FRAIS; CARTE";1,20;;REF2\n';
    const none = await uploadStatement(t, caisseId, token, csv, 'releve.csv', { bankAccount: '512' });
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('CSV_MAPPING_MISSING');
    const mapping = { delimiter: ';', decimalSeparator: ',', dateFormat: 'DD/MM/YYYY', columns: { date: 'Date', label: 'Libellé', debit: 'Débit', credit: 'Crédit', reference: 'Référence' } };
    expect((await t.http.put(url('/bank-accounts/512/csv-mapping')).set(bearer(token)).send(mapping)).status).toBe(200);
    const bad = await uploadStatement(t, caisseId, token, 'Date;Libellé;Montant\n03/11/2026;VIR;12,50\n', 'releve.csv', { bankAccount: '512' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.file[0]).toMatch(/^line 1: missing column\(s\) "Débit", "Crédit", "Référence"/);
    const short = await uploadStatement(t, caisseId, token, 'Date;Libellé;Débit;Crédit;Référence\n03/11/2026;VIR\n', 'releve.csv', { bankAccount: '512' });
    expect(short.body.errors.file[0]).toMatch(/^line 2: 2 fields/);
    const res = await uploadStatement(t, caisseId, token, csv, 'releve.csv', { bankAccount: '512' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'csv', statements: [{ bankAccount: '512', fromDate: '2026-11-03', toDate: '2026-11-04', opening: '0.00', closing: '11.30', lines: 2 }] });
    const listed = (await t.http.get(url('/bank-statement-lines?bankAccount=512')).set(bearer(token))).body;
    expect(listed.map((l: { amount: string; label: string; suggestion: string }) => [l.amount, l.label, l.suggestion])).toEqual([
      ['12.50', 'VIR DE JEANNE', 'suspense'],
      ['-1.20', 'FRAIS; CARTE', 'fee'],
    ]);
    expect((await uploadStatement(t, caisseId, token, csv, 'releve.csv', { bankAccount: '512' })).body.code).toBe('STATEMENT_ALREADY_IMPORTED');
  });

  it('answers the reconciliation query with field errors', async () => {
    const res = await t.http.get(url('/reconciliation?bankAccount=9999&asOf=2026-13-45')).set(bearer(token));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(['asOf', 'bankAccount']);
  });
});
