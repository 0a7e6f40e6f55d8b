/** A bank's pain.002 status report on one of our pain.001 files (the transactions' statuses and reasons). */
export function pain002(originalMsgId: string, txs: { e2e: string; status: string; reason?: string; info?: string }[], group = 'PART'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>BANK-STS-1</MsgId><CreDtTm>2026-12-02T09:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>${group}</GrpSts></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>${originalMsgId}</OrgnlPmtInfId>
${txs
  .map(
    (t) => `      <TxInfAndSts>
        <OrgnlEndToEndId>${t.e2e}</OrgnlEndToEndId>
        <TxSts>${t.status}</TxSts>${t.reason ? `\n        <StsRsnInf><Rsn><Cd>${t.reason}</Cd></Rsn>${t.info ? `<AddtlInf>${t.info}</AddtlInf>` : ''}</StsRsnInf>` : ''}
      </TxInfAndSts>`,
  )
  .join('\n')}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
`;
}
