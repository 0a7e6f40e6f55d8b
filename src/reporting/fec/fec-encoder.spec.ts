import iconv from 'iconv-lite';
import { encodeLatin9, FecBatchEncoder, LATIN9_LOOKALIKES } from './fec-encoder.js';

describe('ISO-8859-15 table encoder', () => {
  it('writes every other UTF-16 code unit exactly as iconv-lite does', () => {
    // Lone surrogates left out: iconv-lite's UTF-16 handling of those is not what a FEC field can hold anyway.
    const all = Array.from({ length: 0x10000 }, (_, i) => (i >= 0xd800 && i < 0xe000) || LATIN9_LOOKALIKES[String.fromCharCode(i)] ? '' : String.fromCharCode(i)).join('');
    expect(all.length).toBeGreaterThan(60000);
    expect(encodeLatin9(all).equals(iconv.encode(all, 'iso-8859-15'))).toBe(true);
  });

  it('writes typographic quotes, dashes and thin spaces as their ASCII look-alikes, not "?"', () => {
    expect(encodeLatin9('Adhérents — cotisations d’autres « x » “y” 1\u202f234 – 5').toString('latin1')).toBe(`Adhérents - cotisations d'autres « x » "y" 1 234 - 5`);
  });

  it.each([
    ['€ Œ œ Š š Ž ž Ÿ', [0xa4, 0x20, 0xbc, 0x20, 0xbd, 0x20, 0xa6, 0x20, 0xa8, 0x20, 0xb4, 0x20, 0xb8, 0x20, 0xbe]],
    ['¤¦¨´¸¼½¾', [0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f]],
    ['Épicerie à 3,50', [...Buffer.from('Épicerie à 3,50', 'latin1')]],
    ['✓ 😀', [0x3f, 0x20, 0x3f, 0x3f]],
  ])('encodes %j', (text, bytes) => {
    expect([...encodeLatin9(text)]).toEqual(bytes);
    expect(encodeLatin9(text).equals(iconv.encode(text, 'iso-8859-15'))).toBe(true);
  });

  it('writes several parts into one batch and reuses itself for the next', () => {
    const encoder = new FecBatchEncoder();
    encoder.start(6);
    encoder.write('ab');
    encoder.write('é€');
    encoder.write('\r\n');
    expect([...encoder.finish()]).toEqual([0x61, 0x62, 0xe9, 0xa4, 0x0d, 0x0a]);
    encoder.start(1);
    encoder.write('z');
    expect([...encoder.finish()]).toEqual([0x7a]);
  });

  it('refuses a batch shorter than announced', () => {
    const encoder = new FecBatchEncoder();
    encoder.start(3);
    encoder.write('ab');
    expect(() => encoder.finish()).toThrow('2 bytes written, 3 announced');
  });
});
