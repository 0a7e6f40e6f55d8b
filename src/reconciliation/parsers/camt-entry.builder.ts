import { formatMoney, money } from '../../common/money/money.js';
import { MalformedStatement } from '../statement.errors.js';
import { checkedAmount, checkedDate } from './statement-checks.js';
import type { ParsedLine } from './statement.types.js';

const AMOUNT = /^\d{1,13}(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Collects the elements of one camt.053 Ntry (paths relative to it) into a statement line. */
export class CamtEntryBuilder {
  currency = '';
  private amount = '';
  private sign = '';
  private status = '';
  private bookedOn = '';
  private valueOn: string | null = null;
  private reference = '';
  private readonly e2e = new Set<string>();
  private readonly batch = new Set<string>();
  private readonly debtor = { name: '', iban: '' };
  private readonly creditor = { name: '', iban: '' };
  private readonly remittance: string[] = [];
  private readonly codes: string[] = [];
  private label: string[] = [];

  constructor(readonly line: number) {}

  take(rel: string, value: string, line: number): void {
    if (rel === 'Amt') this.amount = value;
    else if (rel === 'CdtDbtInd') this.sign = value;
    else if (rel === 'Sts' || rel === 'Sts/Cd') this.status = value;
    else if (rel === 'BookgDt/Dt' || rel === 'BookgDt/DtTm') this.bookedOn = value.slice(0, 10);
    else if (rel === 'ValDt/Dt' || rel === 'ValDt/DtTm') this.valueOn = value.slice(0, 10);
    else if (rel === 'AcctSvcrRef') this.reference = value;
    else if (rel === 'BkTxCd/Domn/Cd' || rel === 'BkTxCd/Domn/Fmly/Cd' || rel === 'BkTxCd/Domn/Fmly/SubFmlyCd' || rel === 'BkTxCd/Prtry/Cd') this.codes.push(value);
    else if (rel === 'AddtlNtryInf') this.label.push(value);
    else if (rel.startsWith('NtryDtls/')) this.details(rel.replace(/^NtryDtls\/(TxDtls|Btch)\//, '$1/'), value, line);
  }

  private details(rel: string, value: string, line: number): void {
    if (!value) return;
    const party = /^TxDtls\/RltdPties\/(Dbtr|Cdtr)(Acct)?\/(?:Pty\/)?(Nm|Id\/IBAN)$/.exec(rel);
    if (party) {
      const who = party[1] === 'Dbtr' ? this.debtor : this.creditor;
      if (party[3] === 'Nm' && !party[2]) who.name ||= value;
      else if (party[3] === 'Id/IBAN' && party[2]) who.iban ||= value.replace(/\s+/g, '').toUpperCase();
    } else if (rel === 'TxDtls/Refs/EndToEndId') {
      if (value.toUpperCase() !== 'NOTPROVIDED') this.e2e.add(value);
    } else if (rel === 'TxDtls/Refs/MsgId' || rel === 'TxDtls/Refs/PmtInfId' || rel === 'Btch/MsgId' || rel === 'Btch/PmtInfId') {
      this.batch.add(value);
    } else if (rel === 'TxDtls/Refs/MndtId' || rel.startsWith('TxDtls/RmtInf/')) {
      this.remittance.push(value);
    } else if (rel === 'TxDtls/AddtlTxInf') {
      this.label.push(value);
    } else if (rel === 'TxDtls/Refs/AcctSvcrRef' && !this.reference) {
      this.reference = value;
    }
    void line;
  }

  /** The line, or null for an entry that is not booked (pending or information only: not in the balances). */
  build(): ParsedLine | null {
    if (this.status && this.status !== 'BOOK') return null;
    if (this.currency !== 'EUR') throw new MalformedStatement(this.line, `entry amount in ${this.currency || 'no currency'}: only EUR statements are accepted`);
    if (!AMOUNT.test(this.amount)) throw new MalformedStatement(this.line, `entry amount "${this.amount}" is not a decimal amount`);
    if (this.sign !== 'CRDT' && this.sign !== 'DBIT') throw new MalformedStatement(this.line, `entry CdtDbtInd "${this.sign}" is neither CRDT nor DBIT`);
    if (!this.bookedOn) throw new MalformedStatement(this.line, 'entry has no booking date (BookgDt): a booked entry must have one');
    const bookedOn = checkedDate(this.bookedOn, this.line, 'entry booking date (BookgDt)');
    const amount = checkedAmount(money(this.amount), this.line, 'entry amount');
    if (amount.isZero()) return null;
    // Money in: the debtor is the other party; money out: the creditor.
    const other = this.sign === 'CRDT' ? this.debtor : this.creditor;
    return {
      sourceLine: this.line,
      bookedOn,
      valueOn: this.valueOn && DATE.test(this.valueOn) ? checkedDate(this.valueOn, this.line, 'entry value date (ValDt)') : null,
      amount: formatMoney(this.sign === 'DBIT' ? amount.negated() : amount),
      reference: this.reference,
      endToEndIds: [...this.e2e],
      batchRefs: [...this.batch],
      counterpartyName: other.name,
      counterpartyIban: other.iban,
      remittance: this.remittance.join(' '),
      bankCode: this.codes.join('/'),
      label: this.label.join(' '),
    };
  }
}
