import { readFileSync } from 'node:fs';
import { bearer } from '../support/member-fixtures.js';
import { frenchIban, uploadStatement } from '../support/reconciliation-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SAMPLES = '../shared/samples';

/** [file, IBANs the caisse holds, expected status, code, what the refusal must say (or the statements imported)]. */
const CASES: [string, string[], number, string, RegExp | number][] = [
  ['camt053/genkgo-camt053.v2.minimal.xml', ['NL26VAYB8060476890'], 400, 'MALFORMED_STATEMENT', /line 54: CLBD balance in SEK: only EUR/],
  ['camt053/genkgo-camt053.v2.multi.statement.xml', ['NL26VAYB8060476890'], 201, '', 2],
  ['camt053/genkgo-camt053.v2.wrong.xml', [], 400, 'MALFORMED_STATEMENT', /no statement/],
  ['camt053/genkgo-camt053.v4.xml', ['NL26VAYB8060476890'], 400, 'MALFORMED_STATEMENT', /line 74: CLBD balance in SEK/],
  ['camt053/genkgo-camt053.v8.xml', ['NL26VAYB8060476890'], 400, 'MALFORMED_STATEMENT', /line 74: CLBD balance in SEK/],
  ['camt053/oca-test-camt053-txdtls.xml', [], 400, 'MALFORMED_STATEMENT', /line 53: entry amount in CHF/],
  ['camt053/oca-test-camt053.xml', ['NL77ABNA0574908765'], 400, 'MALFORMED_STATEMENT', /line 287: .*opening balance 15568\.27 \+ movements -12\.99 = 15555\.28, but the closing balance is 15121\.12/],
  ['camt053/subite-BE-account_statement.camt053v02.xml', ['BE86463768548050'], 201, '', 1],
  ['camt053/subite-LT-2024-03-07.camt053v08.xml', [], 400, 'MALFORMED_STATEMENT', /no booking date/],
  ['camt053/tryton-camt.053.001.02.xml', ['BE55442968847144'], 201, '', 1],
  ['cfonb120/akretion-bank_statement.cfo', [], 400, 'MALFORMED_STATEMENT', /line 1: currency " {3}"/],
  ['cfonb120/pennylane-example.txt', [frenchIban('15589', '00000', '98765432100'), frenchIban('18706', '00000', '00123456789')], 201, '', 2],
  ['cfonb120/pennylane-invalid_date.txt', [], 400, 'MALFORMED_STATEMENT', /line 1: 116 characters/],
  ['cfonb120/silarhi-cfonb240-complex-test.txt', [], 400, 'MALFORMED_STATEMENT', /line 1: this is a CFONB 240 file/],
  ['cfonb120/silarhi-complex-test.txt', [frenchIban('10278', '02204', '00012345603'), frenchIban('10278', '02204', '00020427603')], 409, 'STATEMENT_OUT_OF_SEQUENCE', /line 25: .*opens at 584353\.02, but the previous statement of 512\d+ .* closed at 11484\.75/],
  ['cfonb120/silarhi-simple-test.txt', [frenchIban('10278', '02204', '00012345603')], 201, '', 1],
];

/** Every real-world sample beside the project imports, or is refused with a reason naming its line; never a 500. */
describe('bank statement samples (../shared/samples) (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  // One caisse holds every account of the samples: the files that import are for distinct accounts, refusals write nothing.
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    for (const iban of new Set(CASES.flatMap((c) => c[1]))) {
      const res = await t.http.post(`/api/v1/caisses/${caisseId}/bank-accounts`).set(bearer(token)).send({ label: iban, iban });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  const count = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM bank_statements WHERE caisse_id = $1`, [caisseId]))[0].n;

  it.each(CASES)('%s', async (file, _ibans, status, code, expected) => {
    const before = await count();
    const res = await uploadStatement(t, caisseId, token, readFileSync(`${SAMPLES}/${file}`), file.split('/')[1]);
    expect(res.status).toBe(status);
    if (status === 201) {
      expect(res.body.statements).toHaveLength(expected as number);
      expect(await count()).toBe(before + (expected as number));
    } else {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect(res.body.errors.file[0]).toMatch(expected as RegExp);
      expect(await count()).toBe(before);
    }
  });

  it('refuses a statement for an IBAN the caisse does not have (422, nothing imported)', async () => {
    const other = await t.newCaisse();
    const res = await uploadStatement(t, other.caisseId, other.tokens.treasurer, readFileSync(`${SAMPLES}/camt053/tryton-camt.053.001.02.xml`));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_BANK_ACCOUNT', errors: { file: [expect.stringMatching(/IBAN BE55442968847144 is not the IBAN\/RIB of an open bank account/)] } });
  });
});
