import { pain002 } from '../../test/support/settlement-fixtures.js';
import { parsePain002, Pain002Error } from './pain002.js';

const refusal = (xml: string): Pain002Error => {
  try {
    parsePain002(xml);
  } catch (e) {
    if (e instanceof Pain002Error) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('pain.002 reader', () => {
  it('reads the original message and each transaction status with reason code and text', () => {
    const r = parsePain002(pain002('REGabc', [{ e2e: 'SSA-1', status: 'ACCP' }, { e2e: 'SSA-2', status: 'RJCT', reason: 'AC01', info: 'Name does not match (VoP NOTM)' }]));
    expect(r.messageId).toBe('BANK-STS-1');
    expect(r.originalMessageId).toBe('REGabc');
    expect(r.originalMessageLine).toBe(5);
    expect(r.groupStatus).toBe('PART');
    expect(r.transactions).toEqual([
      { endToEndId: 'SSA-1', status: 'ACCP', reasonCode: null, reasonText: null, line: 8 },
      { endToEndId: 'SSA-2', status: 'RJCT', reasonCode: 'AC01', reasonText: 'Name does not match (VoP NOTM)', line: 12 },
    ]);
  });

  it.each([
    ['a DOCTYPE (external entity)', '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document>&x;</Document>', /DOCTYPE/, 2],
    ['a billion-laughs bomb', '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<Document>&b;</Document>', /DOCTYPE/, 2],
    ['an undeclared entity', '<Document>\n<CstmrPmtStsRpt>&x;</CstmrPmtStsRpt></Document>', /entity/i, 2],
    ['malformed XML', '<Document>\n<CstmrPmtStsRpt>\n</Document>', /./, 3],
    ['another message', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>', /CstmrPmtStsRpt/, 1],
    ['no original message id', '<Document><CstmrPmtStsRpt><GrpHdr><MsgId>A</MsgId></GrpHdr>\n<OrgnlGrpInfAndSts/></CstmrPmtStsRpt></Document>', /OrgnlMsgId/, 2],
    ['deep nesting', `<Document>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</Document>`, /deeper/, 1],
  ])('refuses %s with its line', (_, xml, message, line) => {
    const e = refusal(xml);
    expect(e.message).toMatch(message);
    expect(e.line).toBe(line);
  });
});
