import { Decimal } from 'decimal.js';
import type { DemoContext } from './demo-context.js';
import type { ExportedRun } from './demo-payouts.js';

interface Movement {
  /** Signed: positive is money in. */
  amount: string;
  bookedOn: string;
  label: string;
  endToEndId?: string;
  counterparty?: string;
  counterpartyIban?: string;
  remittance?: string;
  family?: string;
}

interface BookLine {
  date: string;
  pieceRef: string;
  label: string;
  debit: string;
  credit: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const balance = (code: string, amount: Decimal, on: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount.abs().toFixed(2)}</Amt><CdtDbtInd>${amount.isNegative() ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${on}</Dt></Dt></Bal>`;

function entry(m: Movement): string {
  const on = m.bookedOn;
  const out = m.amount.startsWith('-');
  const party = out ? 'Cdtr' : 'Dbtr';
  const related = m.counterparty ? `<RltdPties><${party}><Nm>${esc(m.counterparty)}</Nm></${party}>${m.counterpartyIban ? `<${party}Acct><Id><IBAN>${m.counterpartyIban}</IBAN></Id></${party}Acct>` : ''}</RltdPties>` : '';
  const remittance = m.remittance ? `<RmtInf><Ustrd>${esc(m.remittance)}</Ustrd></RmtInf>` : '';
  return `<Ntry><Amt Ccy="EUR">${new Decimal(m.amount).abs().toFixed(2)}</Amt><CdtDbtInd>${out ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${on}</Dt></BookgDt><ValDt><Dt>${on}</Dt></ValDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${m.family ?? (out ? 'ICDT' : 'RCDT')}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>${m.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>${related}${remittance}</TxDtls></NtryDtls><AddtlNtryInf>${esc(m.label)}</AddtlNtryInf></Ntry>`;
}

/** Every line of a ledger account, page after page (the general ledger is read 200 lines at a time). */
async function accountLines(ctx: DemoContext, account: string): Promise<BookLine[]> {
  const lines: BookLine[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: BookLine[]; nextCursor: string | null } = await ctx.http.must(200, 'GET', `${ctx.base}/ledger/accounts/${account}/lines?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: ctx.tokens.treasurer });
    lines.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return lines;
}

/**
 * The bank's camt.053 for the current month, as the bank would send it: each movement the books show on the account
 * this month (members' transfers carrying the receipt reference they were given, the payouts carrying the EndToEndIds
 * of the exported pain.001), and two the books do not know yet — the bank's monthly fee and a transfer from someone
 * unknown — which the matching screen leaves to the treasurer with a suggested entry each.
 */
export function buildStatement(ctx: DemoContext, iban: string, lines: BookLine[], run: ExportedRun): { xml: string; movements: number } {
  const start = `${ctx.today.slice(0, 7)}-01`;
  const payout = new Map(run.lines.map((l) => [l.endToEndId, l]));
  const opening = lines.filter((l) => l.date < start).reduce((sum, l) => sum.plus(l.debit).minus(l.credit), new Decimal(0));
  const movements: Movement[] = lines
    .filter((l) => l.date >= start && l.date <= ctx.today)
    .map((l) => {
      const amount = new Decimal(l.debit).minus(l.credit).toFixed(2);
      const paid = payout.get(l.pieceRef);
      if (paid) return { amount, bookedOn: l.date, label: `VIR SEPA ${paid.payeeName}`.slice(0, 60), endToEndId: paid.endToEndId, counterparty: paid.payeeName, counterpartyIban: paid.iban };
      return { amount, bookedOn: l.date, label: amount.startsWith('-') ? `VIR SEPA ${l.label}`.slice(0, 60) : 'VIR SEPA RECU', remittance: l.pieceRef };
    });
  movements.push({ amount: '-7.90', bookedOn: ctx.today, label: 'FRAIS TENUE DE COMPTE', family: 'CHRG' });
  movements.push({ amount: '63.17', bookedOn: ctx.today, label: 'VIR SEPA RECU', counterparty: 'M OU MME DUPONT CLAUDE (FICTIF)', remittance: 'DON' });
  const closing = movements.reduce((sum, m) => sum.plus(m.amount), opening);
  const id = `RLV-${ctx.today.slice(0, 7)}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-${id}</MsgId><CreDtTm>${ctx.today}T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${id}</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>${ctx.today}T20:00:00</CreDtTm><Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${balance('OPBD', opening, start)}${balance('CLBD', closing, ctx.today)}
${movements.map(entry).join('\n')}
</Stmt></BkToCstmrStmt></Document>
`;
  return { xml, movements: movements.length };
}

/** The statement built and uploaded as a file, matched automatically on import; returns what the matching did. */
export async function importStatement(ctx: DemoContext, bank: { account: string; iban: string }, run: ExportedRun): Promise<{ lines: number; matched: number; unmatched: number }> {
  const { xml, movements } = buildStatement(ctx, bank.iban, await accountLines(ctx, bank.account), run);
  const form = new FormData();
  form.append('file', new Blob([xml], { type: 'application/xml' }), `releve-${ctx.today.slice(0, 7)}.xml`);
  const result = await ctx.http.must<{ matched: number; unmatched: number }>(201, 'POST', `${ctx.base}/bank-statements`, { token: ctx.tokens.treasurer, form });
  return { lines: movements, matched: result.matched, unmatched: result.unmatched };
}
