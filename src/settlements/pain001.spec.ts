import { all, parseXml, text, validateWithXsd } from '../../test/support/xml-tree.js';
import { buildPain001, type CreditTransferLine, type Pain001Input, type Pain001Version } from './pain001.js';

const line = (i: number, overrides: Partial<CreditTransferLine> = {}): CreditTransferLine => ({
  endToEndId: `SSA-00001-O0000000${i}`,
  amount: ['30.86', '10.00', '0.14'][i - 1],
  creditorName: i === 1 ? 'Épicerie Ñúñez & Œuvre <bio>' : `Ferme ${i}`,
  creditorIban: 'FR7630006000011234567890189',
  creditorBic: i === 2 ? 'AGRIFRPP' : null,
  address:
    i === 1
      ? { street: 'Chemin des Oliviers', building: '12', postcode: '34700', town: 'Lodève', country: 'FR', line: null }
      : { street: null, building: null, postcode: null, town: 'Saint-Étienne', country: 'FR', line: '3 place du Marché' },
  remittance: `Releve 1-${i} periode 2026-11-01 au 2026-11-30 SSA`,
  ...overrides,
});

const input = (version: Pain001Version, instant = false): Pain001Input => ({
  version,
  messageId: 'REG0123456789abcdef0123456789abcdef',
  createdAt: new Date('2026-12-01T08:30:00.123Z'),
  executionDate: '2026-12-02',
  instant,
  debtor: { name: 'Caisse commune de l’alimentation', iban: 'FR7630004000031234567890143', bic: 'BNPAFRPP' },
  lines: [line(1), line(2), line(3)],
});

describe.each(['09', '03'] as const)('pain.001.001.%s writer', (version) => {
  const xml = buildPain001(input(version));
  const doc = parseXml(xml);
  const root = all(doc, 'CstmrCdtTrfInitn')[0];
  const bicTag = version === '09' ? 'BICFI' : 'BIC';

  it('declares its namespace and a header with id, time, count, control sum, initiating party', () => {
    expect(doc.attrs.xmlns).toBe(`urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}`);
    expect(text(root, 'GrpHdr/MsgId')).toBe('REG0123456789abcdef0123456789abcdef');
    expect(text(root, 'GrpHdr/CreDtTm')).toBe('2026-12-01T08:30:00');
    expect(text(root, 'GrpHdr/NbOfTxs')).toBe('3');
    expect(text(root, 'GrpHdr/CtrlSum')).toBe('41.00');
    expect(text(root, 'GrpHdr/InitgPty/Nm')).toBe("Caisse commune de l'alimentation");
  });

  it('debits the caisse account in one SEPA payment block with its own count and sum', () => {
    const [p] = all(root, 'PmtInf');
    expect(text(p, 'PmtInfId')).toBe(text(root, 'GrpHdr/MsgId'));
    expect([text(p, 'PmtMtd'), text(p, 'NbOfTxs'), text(p, 'CtrlSum'), text(p, 'PmtTpInf/SvcLvl/Cd'), text(p, 'ChrgBr')]).toEqual(['TRF', '3', '41.00', 'SEPA', 'SLEV']);
    expect(all(p, 'PmtTpInf/LclInstrm')).toHaveLength(0);
    expect(version === '09' ? text(p, 'ReqdExctnDt/Dt') : text(p, 'ReqdExctnDt')).toBe('2026-12-02');
    expect(text(p, 'DbtrAcct/Id/IBAN')).toBe('FR7630004000031234567890143');
    expect(text(p, `DbtrAgt/FinInstnId/${bicTag}`)).toBe('BNPAFRPP');
  });

  it('writes one transaction per outlet: EndToEndId, EUR amount, transliterated name, structured or hybrid address, remittance', () => {
    const txs = all(root, 'PmtInf/CdtTrfTxInf');
    expect(txs.map((t) => text(t, 'PmtId/EndToEndId'))).toEqual(['SSA-00001-O00000001', 'SSA-00001-O00000002', 'SSA-00001-O00000003']);
    expect(txs.map((t) => [text(t, 'Amt/InstdAmt'), all(t, 'Amt/InstdAmt')[0].attrs.Ccy])).toEqual([['30.86', 'EUR'], ['10.00', 'EUR'], ['0.14', 'EUR']]);
    expect(text(txs[0], 'Cdtr/Nm')).toBe('Epicerie Nunez OEuvre bio');
    expect(['StrtNm', 'BldgNb', 'PstCd', 'TwnNm', 'Ctry'].map((f) => text(txs[0], `Cdtr/PstlAdr/${f}`))).toEqual(['Chemin des Oliviers', '12', '34700', 'Lodeve', 'FR']);
    expect(all(txs[0], 'Cdtr/PstlAdr/AdrLine')).toHaveLength(0);
    expect(['TwnNm', 'Ctry', 'AdrLine'].map((f) => text(txs[1], `Cdtr/PstlAdr/${f}`))).toEqual(['Saint-Etienne', 'FR', '3 place du Marche']);
    expect(text(txs[1], `CdtrAgt/FinInstnId/${bicTag}`)).toBe('AGRIFRPP');
    expect(all(txs[0], 'CdtrAgt')).toHaveLength(0);
    expect(text(txs[2], 'RmtInf/Ustrd')).toBe('Releve 1-3 periode 2026-11-01 au 2026-11-30 SSA');
  });

  it('asks for an instant transfer (SCT Inst) when the run does', () => {
    const p = all(parseXml(buildPain001(input(version, true))), 'CstmrCdtTrfInitn/PmtInf')[0];
    expect(text(p, 'PmtTpInf/LclInstrm/Cd')).toBe('INST');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(buildPain001(input(version))).toBe(xml);
  });

  it('is valid against the ISO schema (xmllint with ../shared/xsd; required under CI)', () => {
    expect(() => validateWithXsd(xml, `pain.001.001.${version}.xsd`)).not.toThrow();
    expect(() => validateWithXsd(buildPain001(input(version, true)), `pain.001.001.${version}.xsd`)).not.toThrow();
  });
});

describe('pain.001.001.09 and the EPC SCT rulebook', () => {
  it('is valid against the EPC restricted schema, instant or not', () => {
    for (const instant of [false, true]) {
      expect(() => validateWithXsd(buildPain001(input('09', instant)), 'epc/EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd')).not.toThrow();
    }
  });

  it('refuses an empty file', () => {
    expect(() => buildPain001({ ...input('09'), lines: [] })).toThrow(RangeError);
  });
});
