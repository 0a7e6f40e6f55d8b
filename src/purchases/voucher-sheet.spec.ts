import { voucherSheet } from './voucher-sheet.js';

describe('voucher sheet PDF', () => {
  const vouchers = Array.from({ length: 12 }, (_, i) => ({ serial: `V${String(i + 1).padStart(8, '0')}`, code: '123456', faceValue: '10.00' }));

  it('has an xref table pointing at every object, and one page per ten vouchers', () => {
    const pdf = voucherSheet('Caisse (test) \\ Montpellier', vouchers).toString('latin1');
    const xrefAt = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const entries = [...pdf.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    entries.forEach((offset, i) => expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    expect(pdf).toContain('/Count 2');
    expect(pdf).toContain('(Caisse \\(test\\) \\\\ Montpellier)');
    expect(pdf).toContain('(Code : 123456)');
  });
});
