import type { Cell, CellKind, TabularDoc } from '../../common/tabular/tabular.types.js';
import { formatAmount, formatDate, formatInteger } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';

/** One cell in French: amounts, dates, counts; null is a suppressed or absent figure. */
export function formatCell(value: Cell, kind: CellKind = 'text'): string {
  if (value === null || value === '') return '—';
  if (kind === 'money') return formatAmount(String(value));
  if (kind === 'date') return formatDate(String(value));
  if (kind === 'int') return formatInteger(Number(value));
  if (kind === 'percent') return `${String(value).replace('.', ',')}\u00a0%`;
  return String(value);
}

const numeric = (kind?: CellKind) => kind === 'money' || kind === 'int' || kind === 'percent';

/** A report's document as HTML tables: the same model the CSV/XLSX/PDF downloads render. */
export function tabularView(doc: TabularDoc): SafeHtml {
  return html`${doc.subtitle && html`<p class="subtitle">${doc.subtitle}</p>`}
${doc.tables.map(
  (t, i) => html`<section aria-labelledby="tbl-${i}"><h2 id="tbl-${i}">${t.title ?? doc.title}</h2>
${t.rows.length === 0 && !t.totals
  ? html`<p>Aucune donnée sur la période.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr>${t.columns.map((c) => html`<th scope="col"${numeric(c.kind) ? html` class="num"` : ''}>${c.label}</th>`)}</tr></thead>
  <tbody>${t.rows.map((r) => html`<tr>${t.columns.map((c) => html`<td${numeric(c.kind) ? html` class="num"` : ''}>${formatCell(r[c.key] ?? null, c.kind)}</td>`)}</tr>`)}</tbody>
  ${t.totals && html`<tfoot><tr>${t.columns.map((c) => html`<td${numeric(c.kind) ? html` class="num"` : ''}><strong>${formatCell(t.totals![c.key] ?? null, c.kind)}</strong></td>`)}</tr></tfoot>`}
</table></div>`}
</section>`,
)}
${doc.notes?.length ? html`<ul class="notes">${doc.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
}
