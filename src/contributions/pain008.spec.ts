import { all, parseXml, text, validateWithXsd } from '../../test/support/xml-tree.js';
import { buildPain008, type DirectDebitLine, type Pain008Input } from './pain008.js';
import { sepaIdError, sepaText } from '../common/sepa/sepa-text.js';
import { icsError } from '../common/validation/identifiers.js';

const line = (i: number, seq: 'FRST' | 'RCUR', amount: string): DirectDebitLine => ({
  endToEndId: `E2E-${i}`,
  amount,
  sequenceType: seq,
  mandateId: `RUM-${i}`,
  mandateSignedOn: '2026-01-15',
  debtorName: i === 1 ? 'Zoé Ñúñez & Œuvre <test>' : `Adhérent ${i}`,
  debtorIban: 'FR7630006000011234567890189',
  debtorBic: i === 2 ? 'AGRIFRPP' : null,
  remittance: 'Cotisation 2026-02',
});

const input: Pain008Input = {
  messageId: 'DD-2026-02-0001',
  createdAt: new Date('2026-02-01T08:30:00.123Z'),
  collectionDate: '2026-02-05',
  creditor: { name: 'Caisse commune de l’alimentation', iban: 'FR7630004000031234567890143', bic: 'BNPAFRPP', creditorId: 'FR72ZZZ123456' },
  lines: [line(1, 'FRST', '30.86'), line(2, 'RCUR', '10.00'), line(3, 'RCUR', '0.14')],
};

describe('pain.008.001.02 writer', () => {
  const xml = buildPain008(input);
  const doc = parseXml(xml);
  const root = all(doc, 'CstmrDrctDbtInitn')[0];

  it('declares the pain.008.001.02 namespace', () => {
    expect(doc.name).toBe('Document');
    expect(doc.attrs.xmlns).toBe('urn:iso:std:iso:20022:tech:xsd:pain.008.001.02');
  });

  it('has a group header with id, time, count, control sum and initiating party', () => {
    expect(text(root, 'GrpHdr/MsgId')).toBe('DD-2026-02-0001');
    expect(text(root, 'GrpHdr/CreDtTm')).toBe('2026-02-01T08:30:00');
    expect(text(root, 'GrpHdr/NbOfTxs')).toBe('3');
    expect(text(root, 'GrpHdr/CtrlSum')).toBe('41.00');
    expect(text(root, 'GrpHdr/InitgPty/Nm')).toBe("Caisse commune de l'alimentation");
  });

  it('groups transactions per sequence type with their own counts and sums', () => {
    const blocks = all(root, 'PmtInf');
    expect(blocks.map((b) => text(b, 'PmtTpInf/SeqTp'))).toEqual(['FRST', 'RCUR']);
    expect(blocks.map((b) => [text(b, 'NbOfTxs'), text(b, 'CtrlSum'), all(b, 'DrctDbtTxInf').length])).toEqual([
      ['1', '30.86', 1],
      ['2', '10.14', 2],
    ]);
    for (const b of blocks) {
      expect(text(b, 'PmtMtd')).toBe('DD');
      expect(text(b, 'PmtTpInf/SvcLvl/Cd')).toBe('SEPA');
      expect(text(b, 'PmtTpInf/LclInstrm/Cd')).toBe('CORE');
      expect(text(b, 'ReqdColltnDt')).toBe('2026-02-05');
      expect(text(b, 'CdtrAcct/Id/IBAN')).toBe('FR7630004000031234567890143');
      expect(text(b, 'CdtrAgt/FinInstnId/BIC')).toBe('BNPAFRPP');
      expect(text(b, 'ChrgBr')).toBe('SLEV');
      expect(text(b, 'CdtrSchmeId/Id/PrvtId/Othr/Id')).toBe('FR72ZZZ123456');
      expect(text(b, 'CdtrSchmeId/Id/PrvtId/Othr/SchmeNm/Prtry')).toBe('SEPA');
      expect(text(b, 'PmtInfId').length).toBeLessThanOrEqual(35);
    }
  });

  it('carries every mandatory transaction element, in EUR with two decimals, SEPA characters only', () => {
    const txs = all(root, 'PmtInf/DrctDbtTxInf');
    expect(txs.map((t) => text(t, 'PmtId/EndToEndId'))).toEqual(['E2E-1', 'E2E-2', 'E2E-3']);
    expect(txs.map((t) => all(t, 'InstdAmt')[0].attrs.Ccy)).toEqual(['EUR', 'EUR', 'EUR']);
    expect(txs.map((t) => text(t, 'InstdAmt'))).toEqual(['30.86', '10.00', '0.14']);
    expect(text(txs[0], 'DrctDbtTx/MndtRltdInf/MndtId')).toBe('RUM-1');
    expect(text(txs[0], 'DrctDbtTx/MndtRltdInf/DtOfSgntr')).toBe('2026-01-15');
    expect(text(txs[0], 'DbtrAgt/FinInstnId/Othr/Id')).toBe('NOTPROVIDED');
    expect(text(txs[1], 'DbtrAgt/FinInstnId/BIC')).toBe('AGRIFRPP');
    expect(text(txs[0], 'Dbtr/Nm')).toBe('Zoe Nunez OEuvre test');
    expect(text(txs[0], 'DbtrAcct/Id/IBAN')).toBe('FR7630006000011234567890189');
    expect(text(txs[0], 'RmtInf/Ustrd')).toBe('Cotisation 2026-02');
  });

  it('is valid against the ISO schema (xmllint with ../shared/xsd; required under CI)', () => {
    expect(() => validateWithXsd(xml, 'pain.008.001.02.xsd')).not.toThrow();
  });

  it('refuses an empty file', () => {
    expect(() => buildPain008({ ...input, lines: [] })).toThrow(RangeError);
  });
});

describe('SEPA identifiers and text', () => {
  it.each<[string, boolean]>([
    ['FR72ZZZ123456', true],
    ['FR19ZZZ654321', true],
    ['FR73ZZZ123456', false],
    ['FR72ZZZ12345', false],
    ['fr72zzz123456', false],
  ])('ICS %s valid: %s', (ics, valid) => {
    expect(icsError(ics) === undefined).toBe(valid);
  });

  it.each<[string, boolean]>([
    ['RUM-2026-000042', true],
    ['/RUM', false],
    ['A//B', false],
    ['x'.repeat(36), false],
    ['RUM_1', false],
  ])('mandate id %s valid: %s', (id, valid) => {
    expect(sepaIdError(id) === undefined).toBe(valid);
  });

  it('transliterates and truncates', () => {
    expect(sepaText('Épicerie « Chez Mœ » & fils', 70)).toBe('Epicerie Chez Moe fils');
    expect(sepaText('a'.repeat(80), 70)).toHaveLength(70);
  });
});
