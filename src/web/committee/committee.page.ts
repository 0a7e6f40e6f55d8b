import type { AgendaDto } from '../../governance/dto/agenda.dto.js';
import type { DecisionDto } from '../../governance/dto/decision.dto.js';
import { formatDate, formatDateTime } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import { DECISION_OUTCOME_FR, OUTLET_STATUS_FR } from '../view/labels.js';
import type { PageContext } from '../view/page-context.js';
import { METHOD_LABELS, STATE_LABELS } from './decision.page.js';

const REASONS: Record<string, string> = {
  RENEWAL_DUE: 'renouvellement à décider',
  REVIEW_DATE_NEAR: 'réexamen proche',
  REVIEW_OVERDUE: 'réexamen en retard',
  VALIDITY_ENDS: 'fin de validité',
  EVIDENCE_EXPIRED: 'pièce justificative expirée',
  EVIDENCE_EXPIRING: 'pièce justificative bientôt expirée',
};

const decisionLink = (ctx: PageContext, id: string, title: string) => html`<a href="/caisses/${ctx.caisse!.id}/comite/decisions/${id}">${title}</a>`;

export function agendaPage(ctx: PageContext, a: AgendaDto): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}`;
  return html`<h2>Décisions ouvertes ou à venir</h2>
${a.decisions.length === 0
  ? html`<p>Aucune décision n’ouvre ni ne ferme dans les 30 prochains jours.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Décisions à l’ordre du jour, la plus proche de sa clôture d’abord"><table><caption class="sr-only">Décisions à l’ordre du jour, la plus proche de sa clôture d’abord</caption>
  <thead><tr><th scope="col">Décision</th><th scope="col">État</th><th scope="col">Ouverture</th><th scope="col">Clôture</th><th scope="col" class="num">Participation</th></tr></thead>
  <tbody>${a.decisions.map((d) => html`<tr><td>${decisionLink(ctx, d.decisionId, d.title)}</td><td>${STATE_LABELS[d.state] ?? d.state}</td><td>${formatDateTime(d.opensAt)}</td><td>${formatDateTime(d.closesAt)}</td><td class="num">${d.participants} / ${d.electorate}</td></tr>`)}</tbody>
</table></div>`}
<h2>Points de vente à réexaminer</h2>
${a.outletsDueForReview.length === 0
  ? html`<p>Aucun point de vente n’arrive à échéance.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Points de vente à réexaminer, l’échéance la plus proche d’abord"><table><caption class="sr-only">Points de vente à réexaminer, l’échéance la plus proche d’abord</caption>
  <thead><tr><th scope="col">Point de vente</th><th scope="col">Statut</th><th scope="col">Échéances</th></tr></thead>
  <tbody>${a.outletsDueForReview.map(
    (o) => html`<tr><td><a href="${base}/comite/points-de-vente/${o.outletId}">${o.name}</a> (${o.code})</td><td>${OUTLET_STATUS_FR[o.status] ?? o.status}</td>
      <td>${o.reasons.map((r) => `${REASONS[r.code] ?? r.code}${r.criterion ? ` (${r.criterion})` : ''} : ${formatDate(r.date)}`).join(' ; ')}</td></tr>`,
  )}</tbody></table></div>`}
<p><a href="${base}/comite/decisions">Toutes les décisions</a> · <a href="${base}/points-de-vente">Tous les points de vente</a> · <a href="${base}/comite/mandats">Mandats et tirages au sort</a></p>`;
}

export function decisionsPage(ctx: PageContext, list: DecisionDto[]): SafeHtml {
  return list.length === 0
    ? html`<p>Aucune décision pour l’instant.</p>`
    : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Décisions, la plus récente d’abord"><table><caption class="sr-only">Décisions, la plus récente d’abord</caption>
  <thead><tr><th scope="col">Décision</th><th scope="col">Méthode</th><th scope="col">État</th><th scope="col">Clôture</th><th scope="col">Résultat</th></tr></thead>
  <tbody>${list.map(
    (d) => html`<tr><td>${decisionLink(ctx, d.id, d.title)}</td><td>${METHOD_LABELS[d.method.kind] ?? d.method.kind}</td><td>${STATE_LABELS[d.state] ?? d.state}</td>
      <td>${formatDateTime(d.closesAt)}</td><td>${d.tally ? (DECISION_OUTCOME_FR[d.tally.outcome] ?? d.tally.outcome) : '—'}</td></tr>`,
  )}</tbody></table></div>`;
}
