import { formatMoney, money } from '../common/money/money.js';
import { sepaText, xmlEscape } from '../common/sepa/sepa-text.js';

export type SequenceType = 'FRST' | 'RCUR';

export interface DirectDebitCreditor {
  name: string;
  iban: string;
  bic: string | null;
  /** Creditor identifier (ICS). */
  creditorId: string;
}

export interface DirectDebitLine {
  endToEndId: string;
  amount: string;
  sequenceType: SequenceType;
  mandateId: string;
  mandateSignedOn: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  remittance: string;
}

export interface Pain008Input {
  messageId: string;
  createdAt: Date;
  collectionDate: string;
  creditor: DirectDebitCreditor;
  lines: DirectDebitLine[];
}

const NS = 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02';

function el(name: string, content: string, attrs = ''): string {
  return `<${name}${attrs}>${content}</${name}>`;
}
const txt = (name: string, value: string) => el(name, xmlEscape(value));
/** Without a BIC (IBAN-only, allowed in SEPA since 2016) the agent is "NOTPROVIDED". */
const agent = (bic: string | null) => el('FinInstnId', bic ? txt('BIC', bic) : el('Othr', txt('Id', 'NOTPROVIDED')));
const sum = (lines: DirectDebitLine[]) => formatMoney(lines.reduce((s, l) => s.plus(l.amount), money(0)));

/** ISO date-time without fractions nor zone, as banks' SEPA checkers expect (local time of the caisse is not needed). */
function isoDateTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

function paymentInfo(input: Pain008Input, seq: SequenceType, lines: DirectDebitLine[]): string {
  const c = input.creditor;
  return el(
    'PmtInf',
    [
      txt('PmtInfId', `${input.messageId}-${seq}`.slice(0, 35)),
      txt('PmtMtd', 'DD'),
      txt('BtchBookg', 'true'),
      txt('NbOfTxs', String(lines.length)),
      txt('CtrlSum', sum(lines)),
      el('PmtTpInf', el('SvcLvl', txt('Cd', 'SEPA')) + el('LclInstrm', txt('Cd', 'CORE')) + txt('SeqTp', seq)),
      txt('ReqdColltnDt', input.collectionDate),
      el('Cdtr', txt('Nm', sepaText(c.name, 70))),
      el('CdtrAcct', el('Id', txt('IBAN', c.iban))),
      el('CdtrAgt', agent(c.bic)),
      txt('ChrgBr', 'SLEV'),
      el('CdtrSchmeId', el('Id', el('PrvtId', el('Othr', txt('Id', c.creditorId) + el('SchmeNm', txt('Prtry', 'SEPA')))))),
      ...lines.map((l) =>
        el(
          'DrctDbtTxInf',
          [
            el('PmtId', txt('EndToEndId', l.endToEndId)),
            el('InstdAmt', formatMoney(l.amount), ' Ccy="EUR"'),
            el('DrctDbtTx', el('MndtRltdInf', txt('MndtId', l.mandateId) + txt('DtOfSgntr', l.mandateSignedOn))),
            el('DbtrAgt', agent(l.debtorBic)),
            el('Dbtr', txt('Nm', sepaText(l.debtorName, 70))),
            el('DbtrAcct', el('Id', txt('IBAN', l.debtorIban))),
            el('RmtInf', txt('Ustrd', sepaText(l.remittance, 140))),
          ].join(''),
        ),
      ),
    ].join(''),
  );
}

/**
 * A SEPA Core direct debit initiation (pain.008.001.02): one payment information block per sequence type (a bank
 * needs FRST and RCUR apart), control sums and counts at both levels. The caller validates IBANs, ICS and amounts.
 */
export function buildPain008(input: Pain008Input): string {
  if (input.lines.length === 0) throw new RangeError('a direct-debit file needs at least one transaction');
  const groups = (['FRST', 'RCUR'] as const).map((seq) => [seq, input.lines.filter((l) => l.sequenceType === seq)] as const).filter(([, l]) => l.length > 0);
  const header = el(
    'GrpHdr',
    [
      txt('MsgId', input.messageId),
      txt('CreDtTm', isoDateTime(input.createdAt)),
      txt('NbOfTxs', String(input.lines.length)),
      txt('CtrlSum', sum(input.lines)),
      el('InitgPty', txt('Nm', sepaText(input.creditor.name, 70))),
    ].join(''),
  );
  const body = el('CstmrDrctDbtInitn', header + groups.map(([seq, lines]) => paymentInfo(input, seq, lines)).join(''));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el('Document', body, ` xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`)}\n`;
}
