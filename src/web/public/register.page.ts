import type { ChainCheckDto, RegisterDecisionDto, RegisterDto } from '../../governance/dto/register.dto.js';
import { formatDate, formatInteger } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import { DECISION_OUTCOME_FR, OUTLET_STATUS_FR } from '../view/labels.js';
import type { PageContext } from '../view/page-context.js';


function decisionRow(d: RegisterDecisionDto): SafeHtml {
  return html`<tr>
  <td>${formatDate(d.closedAt)}</td>
  <td>${d.title}</td>
  <td>${DECISION_OUTCOME_FR[d.outcome] ?? d.outcome}</td>
  <td class="num">${formatInteger(d.tally.participants)} / ${formatInteger(d.tally.electorate)}</td>
  <td>${d.tally.quorumMet ? 'Atteint' : 'Non atteint'}</td>
</tr>`;
}

export function registerPage(ctx: PageContext, o: { register: RegisterDto; check: ChainCheckDto }): SafeHtml {
  const api = `/api/v1/caisses/${ctx.caisse!.id}/register`;
  const { register, check } = o;
  return html`<p>Les commerces et producteurs où les membres peuvent dépenser leur allocation sont conventionnés par un comité citoyen. Chaque décision et son résultat sont publics ; le journal des décisions est chaîné par empreintes (SHA-256), ce qui permet à chacun de vérifier qu’il n’a pas été réécrit.</p>
<section aria-labelledby="verification" class="card">
  <h2 id="verification">Vérification du journal</h2>
  ${check.ok
    ? html`<p role="status"><strong>Journal intègre</strong> : ${formatInteger(check.events)} événement(s) vérifié(s).</p>`
    : html`<p role="alert" class="error">Le journal est rompu à l’événement n° ${check.brokenAt ?? '?'} : ${check.problem ?? ''}</p>`}
  <p>Empreinte du dernier événement : <code class="hash">${check.head}</code></p>
  <p class="hint">Pour vérifier vous-même : <a href="${api}/log">le journal complet (JSON)</a>, <a href="${api}/log/verify">sa vérification par la caisse</a>.</p>
</section>
<section aria-labelledby="conventionnes">
  <h2 id="conventionnes">Points de vente conventionnés</h2>
  ${register.outlets.length === 0
    ? html`<p>Aucun point de vente conventionné pour l’instant.</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Nom</th><th scope="col">Statut</th><th scope="col">Depuis</th><th scope="col">Prochain examen</th><th scope="col">Valable jusqu’au</th></tr></thead>
    <tbody>${register.outlets.map(
      (o) => html`<tr><td>${o.name}</td><td>${OUTLET_STATUS_FR[o.status] ?? o.status}</td><td>${o.since ? formatDate(o.since) : '—'}</td>
        <td>${o.reviewOn ? formatDate(o.reviewOn) : '—'}</td><td>${o.validUntil ? formatDate(o.validUntil) : '—'}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>
<section aria-labelledby="decisions">
  <h2 id="decisions">Décisions du comité</h2>
  ${register.decisions.length === 0
    ? html`<p>Aucune décision pour l’instant.</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Date</th><th scope="col">Décision</th><th scope="col">Résultat</th><th scope="col" class="num">Votants / inscrits</th><th scope="col">Quorum</th></tr></thead>
    <tbody>${register.decisions.map(decisionRow)}</tbody>
  </table></div>`}
</section>`;
}
