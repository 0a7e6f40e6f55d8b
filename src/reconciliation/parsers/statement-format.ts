import { MalformedStatement } from '../statement.errors.js';
import type { StatementFormat } from './statement.types.js';

/**
 * The format of an uploaded statement from its first bytes: XML → camt.053; records of 120 (or 240) characters
 * starting with a two-digit record code → CFONB; anything else with a delimiter on its first line → CSV.
 */
export function detectFormat(data: Buffer): StatementFormat {
  const head = data.subarray(0, 4096).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  const start = head.trimStart();
  if (start.startsWith('<')) return 'camt053';
  const first = start.split(/\r?\n/)[0] ?? '';
  if (/^\d{2}/.test(first) && first.length === 240) {
    throw new MalformedStatement(1, 'this is a CFONB 240 file (transfer or direct-debit remittance), not an account statement: send the CFONB 120 statement');
  }
  if (/^0[1457]\d{3}/.test(first) && first.length >= 100 && !/[;,\t]/.test(first.slice(0, 20))) return 'cfonb120';
  if (/[;,\t]/.test(first)) return 'csv';
  if (data.length === 0) throw new MalformedStatement(0, 'the file is empty');
  throw new MalformedStatement(1, 'unknown format: not camt.053 XML, not CFONB 120 and not a delimited CSV');
}
