/**
 * A document made of tables — what every report, statement and export of the caisse is — rendered the same way as
 * CSV, XLSX or PDF. Money cells are decimal strings ("1234.50"), never JS numbers; dates are ISO "YYYY-MM-DD".
 */
export type CellKind = 'text' | 'money' | 'int' | 'date' | 'percent';
export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  kind?: CellKind;
  /** Relative width in the PDF (default 1; text columns often want 2–3). */
  width?: number;
}

export interface Table {
  title?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** A last row in bold (totals), keyed like the rows. */
  totals?: Record<string, Cell>;
}

export interface TabularDoc {
  title: string;
  subtitle?: string;
  tables: Table[];
  /** Sentences printed under the tables (method, sources, "données fictives"…). */
  notes?: string[];
}

export type TabularFormat = 'csv' | 'xlsx' | 'pdf';
export const TABULAR_FORMATS: readonly TabularFormat[] = ['csv', 'xlsx', 'pdf'];
export const TABULAR_CONTENT_TYPES: Record<TabularFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};
