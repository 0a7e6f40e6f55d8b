import { chart } from '../view/chart.js';
import { formatAmount, formatInteger, formatPeriod } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import { RUN_STATUS_FR } from './allocations.page.js';
import type { DashboardView } from './dashboard.data.js';

const CONTRIBUTION_FR: Record<string, string> = { due: 'à régler', paid: 'réglées', partial: 'réglées en partie', waived: 'dispensées' };

export function dashboardPage(ctx: PageContext, v: DashboardView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}`;
  const amount = (a: string) => html`<span class="amount">${formatAmount(a)}</span>`;
  return html`<div class="cards">
  <section class="card" aria-labelledby="k-cash"><h2 id="k-cash">Trésorerie</h2><p class="figure">${amount(v.cash)}</p></section>
  <section class="card" aria-labelledby="k-commit"><h2 id="k-commit">Engagements</h2><p class="figure">${amount(v.funds.commitments)}</p><p class="hint">Soldes des membres et dû aux points de vente.</p></section>
  <section class="card" aria-labelledby="k-avail"><h2 id="k-avail">Disponible pour les allocations</h2><p class="figure">${amount(v.funds.available)}</p><p class="hint">Trésorerie et créances des fonds utilisables, moins les engagements.</p></section>
  <section class="card" aria-labelledby="k-runway"><h2 id="k-runway">Autonomie</h2>
    <p class="figure">${v.runwayMonths ? html`${v.runwayMonths.replace('.', ',')} mois` : '—'}</p>
    <p class="hint">${v.monthlyNeed ? html`Au rythme du dernier versement (${amount(v.monthlyNeed)} par mois).` : 'Mesurée après un premier versement d’allocations.'}</p></section>
</div>
<section aria-labelledby="banques">
  <h2 id="banques">Comptes bancaires</h2>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">Compte</th><th scope="col">Intitulé</th><th scope="col" class="num">Solde</th></tr></thead>
    <tbody>${v.banks.map((b) => html`<tr><td>${b.code}</td><td>${b.label}</td><td class="num amount">${formatAmount(b.balance)}</td></tr>`)}</tbody>
  </table></div>
</section>
<section aria-labelledby="projection">
  <h2 id="projection">Le fonds dans le temps</h2>
  ${chart({
    id: 'fund-projection',
    title: 'Fonds disponible projeté, si rien d’autre n’entre (€)',
    type: 'line',
    labels: v.projection.map(([p]) => formatPeriod(p)),
    series: [{ label: 'Disponible', values: v.projection.map(([, a]) => a) }],
    format: (x) => formatAmount(String(x)),
    labelHeader: 'Mois',
  })}
</section>
<section aria-labelledby="cotisations">
  <h2 id="cotisations">Cotisations de ${formatPeriod(v.period)}</h2>
  <p>Reçues ${amount(v.contributions.paid)} sur ${amount(v.contributions.due)} dues.
  ${Object.entries(v.contributions.counts).map(([s, n]) => html`<span class="badge">${formatInteger(n)} ${CONTRIBUTION_FR[s] ?? s}</span> `)}</p>
  ${chart({
    id: 'contributions-month',
    title: 'Cotisations du mois : dues et reçues (€)',
    type: 'bar',
    labels: ['Dues', 'Reçues'],
    series: [{ label: 'Montant', values: [v.contributions.due, v.contributions.paid] }],
    format: (x) => formatAmount(String(x)),
    labelHeader: 'Cotisations',
  })}
</section>
<section aria-labelledby="allocations">
  <h2 id="allocations">Allocations de ${formatPeriod(v.period)}</h2>
  ${v.runs.length === 0
    ? html`<p>Aucun calcul d’allocations ce mois-ci. <a href="${base}/allocations">Lancer les allocations</a></p>`
    : html`<ul>${v.runs.map(
        (r) => html`<li><a href="${base}/allocations/${r.id}">${r.dryRun ? 'Simulation' : 'Versement'}</a> — ${RUN_STATUS_FR[r.status]} : ${formatInteger(r.totals.members)} membres, ${amount(r.totals.amount)}</li>`,
      )}</ul>`}
</section>`;
}
