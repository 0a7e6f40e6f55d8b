import { formatMoney, money } from '../common/money/money.js';
import { sepaText, xmlEscape } from '../common/sepa/sepa-text.js';

export type Pain001Version = '09' | '03';
export const PAIN001_VERSIONS: readonly Pain001Version[] = ['09', '03'];

/** A postal address as banks want it since November 2026: town and country at least, structured where known. */
export interface CreditorAddress {
  street: string | null;
  building: string | null;
  postcode: string | null;
  town: string;
  country: string;
  /** Free text kept as an address line (hybrid address) when the street is not known apart. */
  line: string | null;
}

export interface CreditTransferLine {
  endToEndId: string;
  amount: string;
  creditorName: string;
  creditorIban: string;
  creditorBic: string | null;
  address: CreditorAddress;
  remittance: string;
}

export interface Pain001Input {
  version: Pain001Version;
  messageId: string;
  createdAt: Date;
  executionDate: string;
  /** SCT Inst (LclInstrm/Cd INST) instead of a standard SEPA credit transfer. */
  instant: boolean;
  debtor: { name: string; iban: string; bic: string | null };
  lines: CreditTransferLine[];
}

const NS = (v: Pain001Version) => `urn:iso:std:iso:20022:tech:xsd:pain.001.001.${v}`;

function el(name: string, content: string, attrs = ''): string {
  return `<${name}${attrs}>${content}</${name}>`;
}
const txt = (name: string, value: string) => el(name, xmlEscape(value));
const sum = (lines: CreditTransferLine[]) => formatMoney(lines.reduce((s, l) => s.plus(l.amount), money(0)));

/** .09 names the BIC element BICFI; without a BIC (IBAN-only) the agent is omitted for creditors, NOTPROVIDED for us. */
function agent(v: Pain001Version, bic: string): string {
  return el('FinInstnId', txt(v === '09' ? 'BICFI' : 'BIC', bic));
}

/** Structured fields first, then the hybrid line (schema order is the same in PostalAddress6 and PostalAddress24). */
function address(a: CreditorAddress): string {
  const parts = [
    a.street ? txt('StrtNm', sepaText(a.street, 70)) : '',
    a.street && a.building ? txt('BldgNb', sepaText(a.building, 16)) : '',
    a.postcode ? txt('PstCd', sepaText(a.postcode, 16)) : '',
    txt('TwnNm', sepaText(a.town, 35)),
    txt('Ctry', a.country),
    !a.street && a.line ? txt('AdrLine', sepaText(a.line, 70)) : '',
  ];
  return el('PstlAdr', parts.join(''));
}

function transaction(v: Pain001Version, l: CreditTransferLine): string {
  return el(
    'CdtTrfTxInf',
    [
      el('PmtId', txt('EndToEndId', l.endToEndId)),
      el('Amt', el('InstdAmt', formatMoney(l.amount), ' Ccy="EUR"')),
      l.creditorBic ? el('CdtrAgt', agent(v, l.creditorBic)) : '',
      el('Cdtr', txt('Nm', sepaText(l.creditorName, 70)) + address(l.address)),
      el('CdtrAcct', el('Id', txt('IBAN', l.creditorIban))),
      el('RmtInf', txt('Ustrd', sepaText(l.remittance, 140))),
    ].join(''),
  );
}

/**
 * A SEPA credit transfer initiation (EPC SCT / SCT Inst rulebook), pain.001.001.09 (banks' default) or .03 (legacy):
 * one payment information block debiting the caisse's account, one transaction per outlet, control sums at both
 * levels, SEPA Latin characters only. Deterministic: the same input always gives the same bytes.
 */
export function buildPain001(input: Pain001Input): string {
  if (input.lines.length === 0) throw new RangeError('a credit transfer file needs at least one transaction');
  const v = input.version;
  const count = String(input.lines.length);
  const total = sum(input.lines);
  const debtorName = sepaText(input.debtor.name, 70);
  const header = el(
    'GrpHdr',
    [txt('MsgId', input.messageId), txt('CreDtTm', input.createdAt.toISOString().slice(0, 19)), txt('NbOfTxs', count), txt('CtrlSum', total), el('InitgPty', txt('Nm', debtorName))].join(''),
  );
  const paymentType = el('SvcLvl', txt('Cd', 'SEPA')) + (input.instant ? el('LclInstrm', txt('Cd', 'INST')) : '');
  const payment = el(
    'PmtInf',
    [
      // One block per message: the PmtInfId may equal the MsgId (what the reconciliation expects).
      txt('PmtInfId', input.messageId),
      txt('PmtMtd', 'TRF'),
      // One statement line per transfer, each with its EndToEndId: the reconciliation matches them one by one.
      txt('BtchBookg', 'false'),
      txt('NbOfTxs', count),
      txt('CtrlSum', total),
      el('PmtTpInf', paymentType),
      v === '09' ? el('ReqdExctnDt', txt('Dt', input.executionDate)) : txt('ReqdExctnDt', input.executionDate),
      el('Dbtr', txt('Nm', debtorName)),
      el('DbtrAcct', el('Id', txt('IBAN', input.debtor.iban))),
      el('DbtrAgt', input.debtor.bic ? agent(v, input.debtor.bic) : el('FinInstnId', el('Othr', txt('Id', 'NOTPROVIDED')))),
      txt('ChrgBr', 'SLEV'),
      ...input.lines.map((l) => transaction(v, l)),
    ].join(''),
  );
  const doc = el('Document', el('CstmrCdtTrfInitn', header + payment), ` xmlns="${NS(v)}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${doc}\n`;
}
