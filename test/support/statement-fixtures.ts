import { Decimal } from 'decimal.js';

/** One movement of a statement built by a test: signed amount (positive = money in). */
export interface TestMovement {
  amount: string;
  bookedOn: string;
  label?: string;
  endToEndIds?: string[];
  msgId?: string;
  reference?: string;
  counterparty?: string;
  /** The other party's account (camt RltdPties/CdtrAcct or DbtrAcct; CFONB 120 has no field for it). */
  counterpartyIban?: string;
  remittance?: string;
  family?: string;
}

export interface TestStatement {
  id: string;
  sequence?: string;
  opening: string;
  openingOn: string;
  closingOn: string;
  movements: TestMovement[];
}

const closingOf = (s: TestStatement) => s.movements.reduce((sum, m) => sum.plus(m.amount), new Decimal(s.opening)).toFixed(2);
const bal = (code: string, amount: string, on: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${new Decimal(amount).abs().toFixed(2)}</Amt><CdtDbtInd>${amount.startsWith('-') ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${on}</Dt></Dt></Bal>`;

/** A camt.053 of the given version (02, 04 or 08) for one account, as a bank would send it. */
export function camt053(iban: string, statements: TestStatement[], version: '02' | '04' | '08' = '02'): string {
  const stmts = statements.map((s) => {
    const entries = s.movements.map((m) => {
      const party = m.amount.startsWith('-') ? 'Cdtr' : 'Dbtr';
      const nm = m.counterparty ? (version === '08' ? `<${party}><Pty><Nm>${m.counterparty}</Nm></Pty></${party}>` : `<${party}><Nm>${m.counterparty}</Nm></${party}>`) : '';
      const name = nm + (m.counterpartyIban ? `<${party}Acct><Id><IBAN>${m.counterpartyIban}</IBAN></Id></${party}Acct>` : '');
      const txs = (m.endToEndIds?.length ? m.endToEndIds : ['NOTPROVIDED'])
        .map((e) => `<TxDtls><Refs>${m.msgId ? `<MsgId>${m.msgId}</MsgId>` : ''}<EndToEndId>${e}</EndToEndId></Refs>${name ? `<RltdPties>${name}</RltdPties>` : ''}${m.remittance ? `<RmtInf><Ustrd>${m.remittance}</Ustrd></RmtInf>` : ''}</TxDtls>`)
        .join('');
      return `<Ntry><Amt Ccy="EUR">${new Decimal(m.amount).abs().toFixed(2)}</Amt><CdtDbtInd>${m.amount.startsWith('-') ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>${version === '08' ? '<Cd>BOOK</Cd>' : 'BOOK'}</Sts><BookgDt><Dt>${m.bookedOn}</Dt></BookgDt><ValDt><Dt>${m.bookedOn}</Dt></ValDt>${m.reference ? `<AcctSvcrRef>${m.reference}</AcctSvcrRef>` : ''}<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${m.family ?? 'RCDT'}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>${txs}</NtryDtls>${m.label ? `<AddtlNtryInf>${m.label}</AddtlNtryInf>` : ''}</Ntry>`;
    });
    return `<Stmt><Id>${s.id}</Id>${s.sequence ? `<ElctrncSeqNb>${s.sequence}</ElctrncSeqNb>` : ''}<CreDtTm>${s.closingOn}T20:00:00</CreDtTm><Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', s.opening, s.openingOn)}${bal('CLBD', closingOf(s), s.closingOn)}${entries.join('\n')}</Stmt>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><GrpHdr><MsgId>T-${statements[0].id}</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>\n${stmts.join('\n')}\n</BkToCstmrStmt></Document>\n`;
}

const POS = '{ABCDEFGHI';
const NEG = '}JKLMNOPQR';
/** The 14-character CFONB amount: 13 digits and the overpunched sign/last digit, with `decimals` decimals. */
export function cfonbAmount(amount: string, decimals = 2): string {
  const scaled = new Decimal(amount).times(new Decimal(10).pow(decimals));
  const digits = scaled.abs().toFixed(0).padStart(14, '0');
  const last = Number(digits.slice(-1));
  return digits.slice(0, 13) + (scaled.isNegative() ? NEG[last] : POS[last]);
}
const ddmmyy = (iso: string) => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
const pad = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');

/** Records of a CFONB 120 statement for a RIB (bank 5, branch 5, account 11), each exactly 120 characters. */
export function cfonb120(rib: { bank: string; branch: string; account: string }, s: TestStatement): string[] {
  const head = (code: string, op = '    ') => `${code}${rib.bank}${op}${rib.branch}EUR2 ${rib.account}`;
  const out = [`${head('01')}  ${ddmmyy(s.openingOn)}${' '.repeat(50)}${cfonbAmount(s.opening)}${' '.repeat(16)}`];
  for (const m of s.movements) {
    out.push(`${head('04', '0001')}${m.family === 'CHRG' ? '62' : '05'}${ddmmyy(m.bookedOn)}  ${ddmmyy(m.bookedOn)}${pad(m.label ?? '', 32)} ${'0'.repeat(7)}  ${cfonbAmount(m.amount)}${pad(m.reference ?? '', 16)}`);
    const extra: [string, string][] = [];
    if (m.counterparty) extra.push(['NPY', m.counterparty]);
    for (const e of m.endToEndIds ?? []) extra.push(['RCN', e]);
    if (m.msgId) extra.push(['REF', m.msgId]);
    if (m.remittance) extra.push(['LCC', m.remittance]);
    for (const [q, text] of extra) out.push(`${head('05', '0001')}  ${ddmmyy(m.bookedOn)}     ${q}${pad(text, 70)}  `);
  }
  out.push(`${head('07')}  ${ddmmyy(s.closingOn)}${' '.repeat(50)}${cfonbAmount(closingOf(s))}${' '.repeat(16)}`);
  for (const r of out) if (r.length !== 120) throw new Error(`fixture record of ${r.length} characters: ${r}`);
  return out;
}

export type StatementFormat = 'camt053' | 'cfonb120';
/** The statement file of one account in either format: camt.053 names it by IBAN, CFONB 120 by the RIB in it. */
export function statementFile(format: StatementFormat, iban: string, rib: { bank: string; branch: string; account: string }, s: TestStatement): string {
  return format === 'camt053' ? camt053(iban, [s]) : `${cfonb120(rib, s).join('\r\n')}\r\n`;
}
