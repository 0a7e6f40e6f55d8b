import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { csrfField, notice } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import { tabularView } from './tabular-view.js';

export const REPORTS = { funders: 'Financeurs', runway: 'Autonomie financière', solidarity: 'Solidarité', spending: 'Dépenses', activity: 'Activité' } as const;
export type WebReportName = keyof typeof REPORTS;
export const BOOKS = { balance: 'Balance', 'grand-livre': 'Grand livre' } as const;
export type WebBookName = keyof typeof BOOKS;

export interface FilterView {
  action: string;
  from: string;
  to: string;
  account?: string | null;
  /** The download URL without the format. */
  download: string;
}

/** The period (and account) filter, GET so the URL can be bookmarked, and the download links of the same figures. */
export function filterForm(f: FilterView): SafeHtml {
  const sep = f.download.includes('?') ? '&' : '?';
  return html`<form method="get" action="${f.action}" class="filters">
  <div class="field"><label for="f-from">Du</label><input id="f-from" name="from" type="date" value="${f.from}"></div>
  <div class="field"><label for="f-to">Au</label><input id="f-to" name="to" type="date" value="${f.to}"></div>
  ${f.account !== undefined ? html`<div class="field"><label for="f-account">Compte (numéro ou préfixe)</label><input id="f-account" name="account" inputmode="numeric" value="${f.account ?? ''}"></div>` : ''}
  <button type="submit">Afficher</button>
</form>
<p>Télécharger : <a href="${f.download}${sep}format=csv" download>CSV</a> · <a href="${f.download}${sep}format=xlsx" download>XLSX</a> · <a href="${f.download}${sep}format=pdf" download>PDF</a></p>`;
}

export function reportPage(filter: FilterView, doc: TabularDoc, chartHtml: SafeHtml, publicAudience: boolean): SafeHtml {
  return html`${publicAudience ? html`<p class="hint">Rapport public : les effectifs trop petits sont masqués (—).</p>` : ''}
${filterForm(filter)}
${chartHtml}
${tabularView(doc)}`;
}

/** The reports and books, and for the admin which reports anyone may read without logging in. */
export function reportsIndex(ctx: PageContext, publicReports: string[], canConfigure: boolean, saved?: string): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}`;
  return html`${notice(saved)}
<h2>Rapports de gestion</h2>
<ul>${Object.entries(REPORTS).map(([k, label]) => html`<li><a href="${base}/rapports/${k}">${label}</a>${publicReports.includes(k) ? ' (public)' : ''}</li>`)}</ul>
<h2>Livres comptables</h2>
<ul>${Object.entries(BOOKS).map(([k, label]) => html`<li><a href="${base}/livres/${k}">${label}</a></li>`)}</ul>
${canConfigure
  ? html`<h2>Publication</h2>
<form method="post" action="${base}/rapports/publication">${csrfField(ctx)}
  <fieldset><legend>Rapports lisibles sans connexion</legend>
  ${Object.entries(REPORTS).map(([k, label]) => html`<div class="field"><input type="checkbox" id="p-${k}" name="publicReports" value="${k}"${publicReports.includes(k) ? html` checked` : ''}> <label for="p-${k}">${label}</label></div>`)}
  </fieldset>
  <button type="submit">Enregistrer la publication</button>
</form>`
  : ''}`;
}
