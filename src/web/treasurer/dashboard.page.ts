import { formatAmount, formatPeriod } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import type { DashboardView } from './dashboard.data.js';

export function dashboardPage(ctx: PageContext, v: DashboardView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}`;
  return html`<section aria-labelledby="tresorerie">
  <h2 id="tresorerie">Trésorerie</h2>
  <p class="figure"><span class="amount">${formatAmount(v.cash)}</span></p>
  <div class="table-wrap"><table>
    <caption class="sr-only">Solde par compte bancaire</caption>
    <thead><tr><th scope="col">Compte</th><th scope="col">Intitulé</th><th scope="col" class="num">Solde</th></tr></thead>
    <tbody>${v.banks.map((b) => html`<tr><td>${b.code}</td><td>${b.label}</td><td class="num amount">${formatAmount(b.balance)}</td></tr>`)}</tbody>
  </table></div>
</section>
<section aria-labelledby="allocations">
  <h2 id="allocations">Allocations de ${formatPeriod(v.period)}</h2>
  ${v.runs.length === 0 ? html`<p>Aucun calcul d’allocations ce mois-ci. <a href="${base}/allocations">Lancer les allocations</a></p>` : html`<ul>${v.runs.map((r) => html`<li><a href="${base}/allocations/${r.id}">${r.dryRun ? 'Simulation' : 'Versement'} — ${r.status}</a></li>`)}</ul>`}
</section>`;
}
