import type { IssuedVoucherDto } from './dto/voucher.dto.js';

const PER_PAGE = 10;

/** PDF strings are Latin-1 here (Helvetica, WinAnsi): keep printable ASCII + Latin-1, escape the delimiters. */
function pdfText(s: string): string {
  return s.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').replace(/([\\()])/g, '\\$1');
}

/**
 * A printable A4 sheet of vouchers, ten per page, each a framed box with caisse, serial, value and check code. Written
 * by hand (a few objects and an xref table) rather than with a PDF library: the layout is fixed and tiny.
 */
export function voucherSheet(caisseName: string, vouchers: IssuedVoucherDto[]): Buffer {
  const pages: string[] = [];
  for (let p = 0; p < Math.max(1, Math.ceil(vouchers.length / PER_PAGE)); p++) {
    const ops: string[] = [];
    vouchers.slice(p * PER_PAGE, (p + 1) * PER_PAGE).forEach((v, i) => {
      const x = 40 + (i % 2) * 270;
      const y = 760 - Math.floor(i / 2) * 150;
      ops.push(`0.5 w ${x} ${y - 120} 250 130 re S`);
      const line = (dy: number, size: number, text: string) => ops.push(`BT /F1 ${size} Tf ${x + 12} ${y - dy} Td (${pdfText(text)}) Tj ET`);
      line(-2, 9, caisseName);
      line(22, 12, 'Bon alimentaire');
      line(50, 20, `${v.faceValue} EUR`);
      line(78, 11, `N° ${v.serial}`);
      line(98, 11, `Code : ${v.code}`);
    });
    pages.push(ops.join('\n'));
  }
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((content, i) => {
    const id = pageIds[i];
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
