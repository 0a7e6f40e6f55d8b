import type { DecisionDto } from '../../governance/dto/decision.dto.js';
import type { GridItemDto, OutletGridDto } from '../../outlets/dto/criteria.dto.js';
import type { OutletDto } from '../../outlets/dto/outlet.dto.js';
import type { TransitionDto } from '../../outlets/dto/transition.dto.js';
import { formatDate, formatDateTime } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import { DECISION_OUTCOME_FR, OUTLET_STATUS_FR } from '../view/labels.js';
import { hasRole, type PageContext } from '../view/page-context.js';
import { METHOD_LABELS, STATE_LABELS, SUBJECT_LABELS } from './decision.page.js';
import { SUBJECTS_BY_STATUS } from './new-decision.page.js';

export interface DossierData {
  outlet: OutletDto;
  grid: OutletGridDto;
  history: TransitionDto[];
  decisions: DecisionDto[];
}

const ANSWERS: Record<string, string> = { yes: 'Oui', partly: 'En partie', no: 'Non', 'not-applicable': 'Sans objet' };
const MEDIA: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG' };

/** "1,2 Ko": sizes for reading only. */
function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} o` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1).replace('.', ',')} Ko` : `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`;
}

function criterion(base: string, c: GridItemDto): SafeHtml {
  const missing = c.evidenceRequired && !c.evidence.some((e) => !e.expired);
  return html`<section class="criterion" aria-labelledby="crit-${c.code}">
<h3 id="crit-${c.code}">${c.label}</h3>
${c.description && html`<p class="hint">${c.description}</p>`}
<p>Réponse : <strong>${c.answer ? (ANSWERS[c.answer.answer] ?? c.answer.answer) : 'pas encore renseignée'}</strong>${c.answer && html` (le ${formatDateTime(c.answer.answeredAt)}, grille v${c.answer.version})`}${c.answer?.comment && html` — ${c.answer.comment}`}</p>
${missing && html`<p class="error">Pièce justificative attendue : aucune pièce en cours de validité.</p>`}
${c.evidence.length === 0
  ? html`<p>Aucune pièce justificative.</p>`
  : html`<ul>${c.evidence.map(
      (e) => html`<li><a href="${base}/pieces/${e.id}" download="${e.fileName}">${e.fileName}</a> (${MEDIA[e.mediaType] ?? e.mediaType}, ${size(e.sizeBytes)}) — ${e.issuer}${e.reference && html`, réf. ${e.reference}`}${e.issuedOn && html`, émise le ${formatDate(e.issuedOn)}`}${e.validUntil && html`, valable jusqu’au ${formatDate(e.validUntil)}`}${e.expired && html` <strong>(expirée)</strong>`}
        <br><span class="hint">SHA-256 <code>${e.sha256}</code></span></li>`,
    )}</ul>`}
</section>`;
}

function history(h: TransitionDto[], caisseId: string): SafeHtml {
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="Étapes du conventionnement, la plus ancienne d’abord"><table><caption class="sr-only">Étapes du conventionnement, la plus ancienne d’abord</caption>
  <thead><tr><th scope="col">Date d’effet</th><th scope="col">Statut</th><th scope="col">Motif</th><th scope="col">Décision</th></tr></thead>
  <tbody>${h.map(
    (s) => html`<tr><td>${formatDateTime(s.effectiveAt)}</td><td>${s.from ? `${OUTLET_STATUS_FR[s.from] ?? s.from} → ` : ''}${OUTLET_STATUS_FR[s.to] ?? s.to}</td><td>${s.reason === 'registered' ? 'Inscription' : s.reason}</td>
      <td>${s.decisionId ? html`<a href="/caisses/${caisseId}/comite/decisions/${s.decisionId}">décision du comité</a>` : (s.decisionRef ?? '—')}</td></tr>`,
  )}</tbody></table></div>`;
}

export function dossierPage(ctx: PageContext, d: DossierData): SafeHtml {
  const caisseId = ctx.caisse!.id;
  const base = `/caisses/${caisseId}/comite/points-de-vente/${d.outlet.id}`;
  const o = d.outlet;
  return html`<dl>
  <dt>Code</dt><dd>${o.code}</dd>
  <dt>Raison sociale</dt><dd>${o.legalName} (SIRET ${o.siret})</dd>
  <dt>Commune</dt><dd>${o.communeName ?? o.commune}</dd>
  <dt>Statut</dt><dd>${OUTLET_STATUS_FR[o.status] ?? o.status} depuis le ${formatDate(o.statusSince)} — ${o.accepting ? 'accepte les paiements' : 'n’accepte pas les paiements'}</dd>
  ${o.pendingTransition && html`<dt>Changement prévu</dt><dd>${OUTLET_STATUS_FR[o.pendingTransition.to] ?? o.pendingTransition.to} le ${formatDateTime(o.pendingTransition.effectiveAt)}</dd>`}
  <dt>Prochain réexamen</dt><dd>${o.reviewOn ? formatDate(o.reviewOn) : '—'}</dd>
  <dt>Fin de validité</dt><dd>${o.validUntil ? formatDate(o.validUntil) : '—'}</dd>
</dl>
<h2>Critères et pièces justificatives</h2>
${d.grid.version === null
  ? html`<p>Aucune grille de critères n’est en vigueur.</p>`
  : html`<p>Grille de critères en vigueur : version ${d.grid.version}.</p>${d.grid.items.map((c) => criterion(base, c))}`}
<h2>Décisions du comité sur ce point de vente</h2>
${d.decisions.length === 0
  ? html`<p>Aucune décision.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Décisions sur ce point de vente, la plus récente d’abord"><table><caption class="sr-only">Décisions sur ce point de vente, la plus récente d’abord</caption>
  <thead><tr><th scope="col">Décision</th><th scope="col">Objet</th><th scope="col">Méthode</th><th scope="col">État</th><th scope="col">Clôture</th><th scope="col">Résultat</th></tr></thead>
  <tbody>${d.decisions.map(
    (x) => html`<tr><td><a href="/caisses/${caisseId}/comite/decisions/${x.id}">${x.title}</a></td><td>${SUBJECT_LABELS[x.subject] ?? x.subject}</td><td>${METHOD_LABELS[x.method.kind] ?? x.method.kind}</td>
      <td>${STATE_LABELS[x.state] ?? x.state}</td><td>${formatDateTime(x.closesAt)}</td><td>${x.tally ? (DECISION_OUTCOME_FR[x.tally.outcome] ?? x.tally.outcome) : '—'}</td></tr>`,
  )}</tbody></table></div>`}
${hasRole(ctx, 'admin', 'committee') && SUBJECTS_BY_STATUS[o.status] &&
html`<p><a href="${base}/mettre-au-vote">Mettre au vote une décision sur ce point de vente</a> (${SUBJECTS_BY_STATUS[o.status].map((s) => SUBJECT_LABELS[s] ?? s).join(', ').toLowerCase()})</p>`}
<h2>Historique du conventionnement</h2>
${history(d.history, caisseId)}`;
}
