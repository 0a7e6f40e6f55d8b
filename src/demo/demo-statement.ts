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

/** One statement (a month of the account) in camt.053 form. */
function statementXml(id: string, sequence: number, iban: string, opening: Decimal, from: string, to: string, movements: Movement[]): { xml: string; closing: Decimal } {
  const closing = movements.reduce((sum, m) => sum.plus(m.amount), opening);
  const xml = `<Stmt><Id>${id}</Id><ElctrncSeqNb>${sequence}</ElctrncSeqNb><CreDtTm>${to}T20:00:00</CreDtTm><Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${balance('OPBD', opening, from)}${balance('CLBD', closing, to)}\n${movements.map(entry).join('\n')}</Stmt>`;
  return { xml, closing };
}

const lastDayOf = (period: string) => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * The bank's camt.053 for the year, one statement a month, as the bank would send them: each movement the books show
 * on the account (members' transfers carrying the receipt reference they were given, the payouts the EndToEndIds of
 * the exported pain.001), and in the current month two the books do not know yet — the bank's fee and a transfer from
 * someone unknown — which the matching screen leaves to the treasurer with a suggested entry each.
 */
export function buildStatements(ctx: DemoContext, iban: string, lines: BookLine[], run: ExportedRun): { xml: string; movements: number } {
  const payout = new Map(run.lines.map((l) => [l.endToEndId, l]));
  const movementOf = (l: BookLine): Movement => {
    const amount = new Decimal(l.debit).minus(l.credit).toFixed(2);
    const paid = payout.get(l.pieceRef);
    if (paid) return { amount, bookedOn: l.date, label: `VIR SEPA ${paid.payeeName}`.slice(0, 60), endToEndId: paid.endToEndId, counterparty: paid.payeeName, counterpartyIban: paid.iban };
    // The reference is the remittance only: written twice on a line, it would read as two candidates to the matcher.
    const label = `${amount.startsWith('-') ? 'VIR SEPA EMIS' : 'VIR SEPA RECU'} ${l.label.replace(l.pieceRef, '').trim()}`;
    return { amount, bookedOn: l.date, label: label.slice(0, 60), remittance: l.pieceRef };
  };
  let opening = lines.filter((l) => l.date < `${ctx.periods[0]}-01`).reduce((sum, l) => sum.plus(l.debit).minus(l.credit), new Decimal(0));
  const statements: string[] = [];
  let count = 0;
  for (const [i, period] of ctx.periods.entries()) {
    const current = i === ctx.periods.length - 1;
    const to = current ? ctx.today : lastDayOf(period);
    const movements = lines.filter((l) => l.date.startsWith(period) && l.date <= to).map(movementOf);
    if (current) {
      movements.push({ amount: '-7.90', bookedOn: ctx.today, label: 'FRAIS TENUE DE COMPTE', family: 'CHRG' });
      movements.push({ amount: '63.17', bookedOn: ctx.today, label: 'VIR SEPA RECU', counterparty: 'M OU MME DUPONT CLAUDE (FICTIF)', remittance: 'DON' });
    }
    const s = statementXml(`RLV-${period}`, i + 1, iban, opening, `${period}-01`, to, movements);
    statements.push(s.xml);
    opening = s.closing;
    count += movements.length;
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-RLV-${ctx.today}</MsgId><CreDtTm>${ctx.today}T20:00:00</CreDtTm></GrpHdr>
${statements.join('\n')}
</BkToCstmrStmt></Document>
`;
  return { xml, movements: count };
}

/** The statements built and uploaded as one file, matched automatically on import; returns what the matching did. */
export async function importStatement(ctx: DemoContext, bank: { account: string; iban: string }, run: ExportedRun): Promise<{ lines: number; matched: number; unmatched: number }> {
  const { xml, movements } = buildStatements(ctx, bank.iban, await accountLines(ctx, bank.account), run);
  const form = new FormData();
  form.append('file', new Blob([xml], { type: 'application/xml' }), `releves-${ctx.today}.xml`);
  const result = await ctx.http.must<{ matched: number; unmatched: number }>(201, 'POST', `${ctx.base}/bank-statements`, { token: ctx.tokens.treasurer, form });
  return { lines: movements, matched: result.matched, unmatched: result.unmatched };
}
