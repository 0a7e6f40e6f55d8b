import { safeFileName, sniffMediaType } from './evidence-file.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe('sniffMediaType', () => {
  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf'],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'image/png'],
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46), 'image/jpeg'],
    ['a JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 16), 'image/jpeg'],
  ])('recognises %s', (_name, content, type) => expect(sniffMediaType(content)).toBe(type));

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['plain text named .pdf', Buffer.from('not really a pdf')],
    ['a GIF', Buffer.from('GIF89a')],
    ['a ZIP (docx, odt)', bytes(0x50, 0x4b, 0x03, 0x04)],
    ['an HTML page', Buffer.from('<!doctype html><script>')],
    ['a truncated PNG signature', bytes(0x89, 0x50, 0x4e)],
    ['PDF magic not at the start', Buffer.from(' %PDF-1.4')],
  ])('refuses %s', (_name, content) => expect(sniffMediaType(content)).toBeUndefined());
});

describe('safeFileName', () => {
  it.each([
    ['certificat-ab.pdf', 'application/pdf', 'certificat-ab.pdf'],
    ['C:\\Users\\x\\scan.png', 'image/png', 'scan.png'],
    ['../../etc/passwd', 'application/pdf', 'passwd'],
    ['bad\u0000name\n.jpg', 'image/jpeg', 'badname.jpg'],
    ['', 'image/jpeg', 'document.jpg'],
    [undefined, 'application/pdf', 'document.pdf'],
  ] as const)('%j → %s', (name, type, expected) => expect(safeFileName(name, type)).toBe(expected));

  it('keeps at most 200 characters, from the end (the extension)', () => {
    expect(safeFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(200);
    expect(safeFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf').endsWith('.pdf')).toBe(true);
  });
});
