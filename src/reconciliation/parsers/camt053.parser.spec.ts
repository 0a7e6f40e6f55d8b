import { camt053 } from '../../../test/support/statement-fixtures.js';
import { MalformedStatement } from '../statement.errors.js';
import { parseCamt053 } from './camt053.parser.js';
import { detectFormat } from './statement-format.js';

const IBAN = 'FR7630004000031234567890143';
const stmt = {
  id: 'STMT-1',
  sequence: '42',
  opening: '-10.00',
  openingOn: '2026-11-01',
  closingOn: '2026-11-30',
  movements: [
    { amount: '25.50', bookedOn: '2026-11-03', counterparty: 'Jeanne Martin', endToEndIds: ['E2E-1'], remittance: 'COTISATION NOV', reference: 'BANKREF1' },
    { amount: '-300.00', bookedOn: '2026-11-05', endToEndIds: ['PAY-1-00001', 'PAY-1-00002'], msgId: 'PAY-1', label: 'Virements groupés' },
  ],
};
const refusal = (xml: string): MalformedStatement => {
  try {
    parseCamt053(Buffer.from(xml));
  } catch (e) {
    if (e instanceof MalformedStatement) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('camt.053 parser', () => {
  it.each(['02', '04', '08'] as const)('reads version .001.%s: balances, entries, references, parties', (version) => {
    const [s] = parseCamt053(Buffer.from(camt053(IBAN, [stmt], version)));
    expect(s).toMatchObject({ account: { iban: IBAN }, statementRef: 'STMT-1', sequence: '42', fromDate: '2026-11-01', toDate: '2026-11-30', opening: '-10.00', closing: '-284.50' });
    expect(s.lines).toMatchObject([
      { amount: '25.50', bookedOn: '2026-11-03', endToEndIds: ['E2E-1'], counterpartyName: 'Jeanne Martin', remittance: 'COTISATION NOV', reference: 'BANKREF1', bankCode: 'PMNT/RCDT/ESCT' },
      { amount: '-300.00', endToEndIds: ['PAY-1-00001', 'PAY-1-00002'], batchRefs: ['PAY-1'], label: 'Virements groupés' },
    ]);
  });

  it('is detected as camt.053', () => {
    expect(detectFormat(Buffer.from(camt053(IBAN, [stmt])))).toBe('camt053');
  });

  it.each<[string, string, RegExp]>([
    ['a DOCTYPE (XML bomb)', `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>`, /DOCTYPE/],
    ['an external entity', `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document>&xxe;</Document>`, /line 2: .*DOCTYPE/],
    ['an undeclared entity', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>&xxe;</BkToCstmrStmt></Document>`, /line 2: malformed XML/],
    ['malformed XML', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n</Document>`, /line 3: malformed XML/],
    ['another message', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>`, /namespace .* is not camt\.053/],
    ['no statement', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>`, /no statement/],
    ['an amount with 3 decimals', camt053(IBAN, [stmt]).replace('25.50</Amt>', '25.505</Amt>'), /more than 2 decimals/],
    ['another currency', camt053(IBAN, [stmt]).replace('Ccy="EUR">25.50', 'Ccy="USD">25.50'), /in USD: only EUR/],
    ['balances that do not add up', camt053(IBAN, [stmt]).replace('>284.50<', '>284.60<'), /closing balance is -284\.60/],
    ['an impossible booking date', camt053(IBAN, [stmt]).replace('<BookgDt><Dt>2026-11-03', '<BookgDt><Dt>2026-02-30'), /"2026-02-30" is not a date/],
  ])('refuses %s', (_, xml, why) => {
    expect(refusal(xml).message).toMatch(why);
  });
});
