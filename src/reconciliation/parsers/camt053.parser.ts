import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { formatMoney, money } from '../../common/money/money.js';
import { isIban, normalizeIban } from '../../common/validation/identifiers.js';
import { MalformedStatement } from '../statement.errors.js';
import { assertBalances, checkedAmount, checkedDate } from './statement-checks.js';
import { CamtEntryBuilder } from './camt-entry.builder.js';
import type { ParsedStatement } from './statement.types.js';

export const CAMT053_VERSIONS = ['camt.053.001.02', 'camt.053.001.04', 'camt.053.001.08'];
const CHUNK = 64 * 1024;
const AMOUNT = /^\d{1,13}(\.\d+)?$/;

interface Balance {
  type: string;
  amount: string;
  ccy: string;
  sign: string;
  date: string;
  line: number;
}

/**
 * camt.053 (.001.02, .04, .08) read as a stream with saxes: only the elements the import needs are kept, one entry
 * at a time, so a 100,000-entry file never becomes a tree in memory. A DOCTYPE is refused outright (no DTD, no
 * entity declarations: no XML bomb, no external entity); saxes itself knows only the five predefined entities.
 */
export function parseCamt053(data: Buffer): ParsedStatement[] {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const path: string[] = [];
  const statements: ParsedStatement[] = [];
  const finished: (() => void)[] = [];
  let text = '';
  let stmt: ParsedStatement | undefined;
  let balances: Balance[] = [];
  let bal: Balance | undefined;
  let entry: CamtEntryBuilder | undefined;
  let stmtLine = 0;

  const at = () => parser.line;
  // Thrown at once: saxes would otherwise go on closing elements (and checking statements) before reporting.
  parser.on('error', (e) => {
    throw new MalformedStatement(at(), `malformed XML: ${e.message.replace(/^[^:]*:\d+:\d+: /, '')}`);
  });
  parser.on('doctype', () => {
    throw new MalformedStatement(at(), 'a DOCTYPE (DTD) is not accepted in a bank statement (entity declarations are refused)');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name.slice(tag.name.indexOf(':') + 1);
    path.push(name);
    text = '';
    const p = path.join('/');
    if (path.length === 1) {
      if (name !== 'Document') throw new MalformedStatement(at(), `root element <${tag.name}> is not a camt.053 Document`);
      const prefix = tag.name.includes(':') ? `xmlns:${tag.name.slice(0, tag.name.indexOf(':'))}` : 'xmlns';
      const ns = tag.attributes[prefix] ?? '';
      const version = CAMT053_VERSIONS.find((v) => String(ns).endsWith(`:${v}`));
      if (!version) throw new MalformedStatement(at(), `namespace "${String(ns)}" is not camt.053.001.02, .04 or .08`);
    } else if (p === 'Document/BkToCstmrStmt/Stmt') {
      stmtLine = at();
      stmt = { format: 'camt053', sourceLine: stmtLine, statementRef: '', sequence: '', account: {}, fromDate: '', toDate: '', opening: '', closing: '', lines: [] };
      balances = [];
    } else if (p === 'Document/BkToCstmrStmt/Stmt/Bal') {
      bal = { type: '', amount: '', ccy: '', sign: '', date: '', line: at() };
    } else if (p === 'Document/BkToCstmrStmt/Stmt/Ntry') {
      entry = new CamtEntryBuilder(at());
    } else if (entry && name === 'Amt' && path.length === 5) {
      entry.currency = String(tag.attributes.Ccy ?? '');
    } else if (bal && name === 'Amt' && path.length === 5) {
      bal.ccy = String(tag.attributes.Ccy ?? '');
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const p = path.join('/');
    const value = text.trim();
    text = '';
    const rel = p.replace(/^Document\/BkToCstmrStmt\/Stmt\/?/, '');
    if (stmt && p.startsWith('Document/BkToCstmrStmt/Stmt')) {
      if (entry && rel.startsWith('Ntry/')) entry.take(rel.slice(5), value, at());
      else if (rel === 'Ntry' && entry) {
        const line = entry.build();
        if (line) stmt.lines.push(line);
        entry = undefined;
      } else if (bal && rel.startsWith('Bal/')) {
        const k = rel.slice(4);
        if (k === 'Tp/CdOrPrtry/Cd' || k === 'Tp/CdOrPrtry/Prtry') bal.type = value;
        else if (k === 'Amt') bal.amount = value;
        else if (k === 'CdtDbtInd') bal.sign = value;
        else if (k === 'Dt/Dt' || k === 'Dt/DtTm') bal.date = value.slice(0, 10);
      } else if (rel === 'Bal' && bal) {
        balances.push(bal);
        bal = undefined;
      } else if (rel === 'Id') stmt.statementRef = value;
      else if (rel === 'ElctrncSeqNb') stmt.sequence = value;
      else if (rel === 'LglSeqNb') stmt.sequence ||= value;
      else if (rel === 'Acct/Id/IBAN') stmt.account.iban = normalizeIban(value);
      // Some banks (.04/.08 samples) put the IBAN under Othr: accepted only when it is a valid IBAN.
      else if (rel === 'Acct/Id/Othr/Id' && isIban(normalizeIban(value))) stmt.account.iban ||= normalizeIban(value);
      else if (rel === '') {
        // Checked once the whole file is well-formed: saxes calls this handler before reporting a mismatched close tag.
        const done = { stmt, balances, line: stmtLine, end: at() };
        finished.push(() => finishStatement(done.stmt, done.balances, done.line, done.end));
        statements.push(stmt);
        stmt = undefined;
      }
    }
    path.pop();
  });
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < data.length; i += CHUNK) parser.write(decoder.decode(data.subarray(i, i + CHUNK), { stream: true }));
    parser.write(decoder.decode());
    parser.close();
  } catch (e) {
    if (e instanceof MalformedStatement) throw e;
    if (e instanceof TypeError) throw new MalformedStatement(at(), 'the file is not valid UTF-8');
    // saxes: "file:line:col: message" — the message is kept, the position is ours.
    throw new MalformedStatement(at(), `malformed XML: ${(e as Error).message.replace(/^[^:]*:\d+:\d+: /, '')}`);
  }
  for (const check of finished) check();
  if (statements.length === 0) throw new MalformedStatement(0, 'the file holds no statement (no BkToCstmrStmt/Stmt)');
  return statements;
}

function finishStatement(s: ParsedStatement, balances: Balance[], line: number, endLine: number): void {
  if (!s.account.iban) throw new MalformedStatement(line, `statement ${s.statementRef || '(no Id)'}: Acct/Id has no IBAN (other account identifiers are not accepted)`);
  if (!s.statementRef) throw new MalformedStatement(line, 'statement without Id');
  const opening = balances.find((b) => b.type === 'OPBD') ?? balances.find((b) => b.type === 'PRCD');
  const closing = balances.find((b) => b.type === 'CLBD');
  if (!opening || !closing) throw new MalformedStatement(line, `statement ${s.statementRef}: an opening (OPBD or PRCD) and a closing (CLBD) balance are required`);
  for (const b of [opening, closing]) {
    if (b.ccy !== 'EUR') throw new MalformedStatement(b.line, `${b.type} balance in ${b.ccy || 'no currency'}: only EUR statements are accepted`);
    if (!AMOUNT.test(b.amount)) throw new MalformedStatement(b.line, `${b.type} balance amount "${b.amount}" is not a decimal amount`);
    if (b.sign !== 'CRDT' && b.sign !== 'DBIT') throw new MalformedStatement(b.line, `${b.type} balance CdtDbtInd "${b.sign}" is neither CRDT nor DBIT`);
    b.date = checkedDate(b.date, b.line, `${b.type} balance date`);
    checkedAmount(money(b.amount), b.line, `${b.type} balance`);
  }
  const signed = (b: Balance) => formatMoney(money(b.amount).times(b.sign === 'DBIT' ? -1 : 1));
  s.opening = signed(opening);
  s.closing = signed(closing);
  s.fromDate = opening.date;
  s.toDate = closing.date;
  assertBalances(s, endLine);
}
