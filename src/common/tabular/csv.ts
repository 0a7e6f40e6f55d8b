import type { Cell, Column, TabularDoc } from './tabular.types.js';
import { csvDecimal } from './french-format.js';

/** Formula injection: a cell starting with = + - @ (or tab/CR) is prefixed so a spreadsheet never evaluates it. */
function text(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cell(value: Cell | undefined, col: Column): string {
  if (value === null || value === undefined || value === '') return '';
  switch (col.kind) {
    case 'money':
      return csvDecimal(value);
    case 'percent':
      return csvDecimal(value, 1);
    case 'int':
      return String(value);
    default:
      return text(String(value));
  }
}

/**
 * CSV the way a French spreadsheet opens it without an import dialog: UTF-8 with BOM, `;` separator, decimal comma,
 * CR LF. Several tables follow each other, each under its title, separated by an empty line.
 */
export function toCsv(doc: TabularDoc): Buffer {
  const lines: string[] = [];
  doc.tables.forEach((table, i) => {
    if (i > 0) lines.push('');
    if (doc.tables.length > 1 && table.title) lines.push(text(table.title));
    lines.push(table.columns.map((c) => text(c.label)).join(';'));
    for (const row of table.rows) lines.push(table.columns.map((c) => cell(row[c.key], c)).join(';'));
    if (table.totals) lines.push(table.columns.map((c) => cell(table.totals![c.key], c)).join(';'));
  });
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}
