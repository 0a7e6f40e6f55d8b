import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { todayInFrance } from '../../src/common/dates.js';
import { bearer, createOutlet, iban } from './outlet-fixtures.js';
import type { TestApp } from './test-app.js';

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

export interface PayCaisse {
  caisseId: string;
  tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  bankIban: string;
  wallet: string;
}

/** A caisse whose default bank account 5121 has an IBAN, and one member wallet funded to buy with. */
export async function payCaisse(t: TestApp): Promise<PayCaisse> {
  const { caisseId, tokens } = await t.newCaisse();
  const bankIban = iban();
  const bank = await t.http.post(`/api/v1/caisses/${caisseId}/bank-accounts`).set(bearer(tokens.admin)).send({ account: '5121', label: 'Banque des payouts', iban: bankIban, bic: 'CCOPFRPP', isDefault: true });
  if (bank.status !== 201) throw new Error(`bank account failed: ${bank.status} ${JSON.stringify(bank.body)}`);
  const ledger = t.app.get(LedgerService);
  const wallet = await ledger.ensureAuxAccount({ caisseId, number: '4671', aux: `M${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`, label: 'Adhérent' });
  await ledger.post({ caisseId, journal: 'ALL', date: todayInFrance(), label: 'Allocation', pieceRef: 'ALL-1', idempotencyKey: `k-${randomUUID()}`, lines: [{ account: '6571', debit: '100000.00' }, { account: wallet, credit: '100000.00' }] });
  return { caisseId, tokens, bankIban, wallet };
}

/** An outlet with a structured address (town Lodève, country FR unless overridden). */
export function payee(t: TestApp, c: PayCaisse, overrides: Record<string, unknown> = {}) {
  return createOutlet(t, c.caisseId, c.tokens.admin, { streetName: 'Chemin des Oliviers', buildingNumber: '12', postcode: '34700', country: 'FR', ...overrides });
}

/** A purchase (D 4671 / C 401) or, with a negative amount, a refund (D 401 / C 4671), booked as the till does: journal ACH, pieceRef = receipt. */
export async function sale(t: TestApp, c: PayCaisse, accountCode: string, amount: string, receipt = `T-${randomUUID().slice(0, 8)}`) {
  const refund = amount.startsWith('-');
  const value = refund ? amount.slice(1) : amount;
  const lines = refund
    ? [{ account: accountCode, debit: value }, { account: c.wallet, credit: value }]
    : [{ account: c.wallet, debit: value }, { account: accountCode, credit: value }];
  await t.app.get(LedgerService).post({ caisseId: c.caisseId, journal: 'ACH', date: todayInFrance(), label: refund ? 'Remboursement' : 'Achat', pieceRef: receipt, idempotencyKey: `k-${randomUUID()}`, lines });
  return receipt;
}
