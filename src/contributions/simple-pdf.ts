/**
 * A one-page text PDF (PDF 1.4, Helvetica, WinAnsi): enough for a tax receipt, without a rendering dependency.
 * Characters outside WinAnsi are replaced by "?"; the few that WinAnsi places outside Latin-1 are mapped.
 */
const WIN_ANSI_EXTRA: Record<string, number> = { '€': 0x80, '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, œ: 0x9c, Œ: 0x8c, '…': 0x85 };

function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/\u202f|\u00a0/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (WIN_ANSI_EXTRA[ch] !== undefined) out += String.fromCharCode(WIN_ANSI_EXTRA[ch]);
    else if (code < 0x100 && (code >= 0x20 || code === 0x09)) out += ch;
    else out += '?';
  }
  return out.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
}

export interface PdfLine {
  text: string;
  size?: number;
  bold?: boolean;
}

/** Wraps long lines at spaces (Helvetica averages about half the font size per character). */
function wrap(line: PdfLine, width: number): PdfLine[] {
  const size = line.size ?? 10;
  const max = Math.floor(width / (size * 0.5));
  const words = line.text.split(' ');
  const out: PdfLine[] = [];
  let current = '';
  for (const w of words) {
    if (current && (current + ' ' + w).length > max) {
      out.push({ ...line, text: current });
      current = w;
    } else current = current ? `${current} ${w}` : w;
  }
  out.push({ ...line, text: current });
  return out;
}

export function renderPdf(lines: PdfLine[]): Buffer {
  const content: string[] = ['BT'];
  let y = 800;
  for (const line of lines.flatMap((l) => wrap(l, 495))) {
    const size = line.size ?? 10;
    y -= size + 4;
    content.push(`/${line.bold ? 'F2' : 'F1'} ${size} Tf 1 0 0 1 50 ${y} Tm (${winAnsi(line.text)}) Tj`);
  }
  content.push('ET');
  const stream = content.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  // Offsets are in bytes; every string here is Latin-1, one byte per character.
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
