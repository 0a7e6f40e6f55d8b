import { toCsv } from './csv.js';
import { toPdf } from './pdf.js';
import { TABULAR_CONTENT_TYPES, type TabularDoc, type TabularFormat } from './tabular.types.js';
import { toXlsx } from './xlsx.js';

export interface RenderedFile {
  body: Buffer;
  contentType: string;
  /** For Content-Disposition: `attachment; filename="<name>"`. */
  filename: string;
}

/** Renders a document in one of the download formats; `basename` without extension, ASCII (e.g. "balance-2026-11"). */
export async function renderTabular(doc: TabularDoc, format: TabularFormat, basename: string): Promise<RenderedFile> {
  const body = format === 'csv' ? toCsv(doc) : format === 'xlsx' ? await toXlsx(doc) : await toPdf(doc);
  return { body, contentType: TABULAR_CONTENT_TYPES[format], filename: `${basename.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}` };
}
