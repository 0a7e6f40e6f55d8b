import type { DecisionRecordDto } from '../../governance/dto/decision-record.dto.js';
import type { DecisionDto } from '../../governance/dto/decision.dto.js';
import { formatDateTime } from '../view/format.js';
import { csrfField, formError, notice } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import { DECISION_OUTCOME_FR } from '../view/labels.js';
import { hasRole, type PageContext } from '../view/page-context.js';
import { share, tallyDetail } from './tally.view.js';

export const METHOD_LABELS: Record<string, string> = {
  consensus: 'Consensus (issue d’une réunion, sans bulletin)',
  consent: 'Consentement (objection motivée)',
  'simple-majority': 'Majorité simple des votes exprimés',
  'absolute-majority': 'Majorité absolue des membres',
  'qualified-majority': 'Majorité qualifiée',
  approval: 'Vote par approbation',
  'majority-judgment': 'Jugement majoritaire',
};
export const STATE_LABELS: Record<string, string> = { scheduled: 'À venir', open: 'Vote ouvert', closed: 'Clos' };
export const SUBJECT_LABELS: Record<string, string> = {
  conventionnement: 'Conventionnement',
  renewal: 'Renouvellement',
  suspension: 'Suspension',
  revocation: 'Retrait',
  reinstatement: 'Rétablissement',
  motion: 'Motion',
};

export interface DecisionPageData {
  decision: DecisionDto;
  /** The governance log event of its close (null while open). */
  record?: DecisionRecordDto | null;
  receipt?: string | null;
  voted?: boolean;
  error?: string;
}

function methodRule(d: DecisionDto): string {
  const m = d.method;
  if (m.kind === 'qualified-majority') return `${m.a}/${m.b} ${m.basis === 'members' ? 'des membres' : 'des votes exprimés'}`;
  if (m.kind === 'approval') return `une option passe avec l’approbation d’au moins ${m.theta} % des participants`;
  if (m.kind === 'majority-judgment' && m.grades && m.threshold !== undefined) return `admis à partir de la mention « ${m.grades[m.threshold]} »`;
  return '';
}

/** The ballot of each method, as a plain form (the field names are the API's, arrays as repeated fields). */
function ballotForm(ctx: PageContext, d: DecisionDto): SafeHtml {
  const m = d.method;
  const action = `/caisses/${ctx.caisse!.id}/comite/decisions/${d.id}/vote`;
  const radio = (name: string, value: string, label: string) => html`<div><input type="radio" id="v-${name}-${value}" name="${name}" value="${value}" required> <label for="v-${name}-${value}">${label}</label></div>`;
  let body: SafeHtml;
  if (m.kind === 'consent') {
    body = html`<fieldset><legend>Votre position</legend>
      ${radio('position', 'consent', 'Je consens')}${radio('position', 'objection', 'J’objecte (motif obligatoire)')}${radio('position', 'stand-aside', 'Je me tiens à l’écart')}
    </fieldset>
    <div class="field"><label for="v-reason">Motif de l’objection</label><p class="hint" id="v-reason-hint">Obligatoire pour une objection : en quoi la proposition nuit-elle à la caisse ?</p>
      <textarea id="v-reason" name="reason" rows="3" aria-describedby="v-reason-hint"></textarea></div>`;
  } else if (m.kind === 'approval') {
    body = html`<fieldset><legend>Les options que vous approuvez (aucune, une ou plusieurs)</legend>
      ${(m.options ?? []).map((o, i) => html`<div><input type="checkbox" id="v-opt-${i}" name="approved" value="${o}"> <label for="v-opt-${i}">${o}</label></div>`)}
    </fieldset>`;
  } else if (m.kind === 'majority-judgment') {
    const grades = m.grades ?? [];
    body = html`${(m.options ?? []).map(
      (o, i) => html`<fieldset><legend>Votre mention pour « ${o} »</legend>
        ${grades.map((g, j) => html`<div><input type="radio" id="v-g-${i}-${j}" name="grade.${o}" value="${String(j)}" required> <label for="v-g-${i}-${j}">${g}</label></div>`)}
      </fieldset>`,
    )}`;
  } else {
    body = html`<fieldset><legend>Votre vote</legend>${radio('choice', 'for', 'Pour')}${radio('choice', 'against', 'Contre')}${radio('choice', 'abstain', 'Abstention')}</fieldset>`;
  }
  return html`<form method="post" action="${action}">${csrfField(ctx)}${body}<button type="submit">Voter</button></form>`;
}

function quorumRule(d: DecisionDto): string {
  return d.quorumPercent === null ? 'plus de la moitié des membres appelés à voter' : `au moins ${d.quorumPercent} % des membres appelés à voter`;
}

function verification(ctx: PageContext, d: DecisionDto, record: DecisionRecordDto | null | undefined): SafeHtml {
  const register = `/api/v1/caisses/${ctx.caisse!.id}/register`;
  return html`<h2>Vérifier</h2>
${record
  ? html`<p>Le résultat est inscrit au journal public de gouvernance, événement n° ${record.seq} du ${formatDateTime(record.recordedAt)}.</p>
<dl>
  <dt>Empreinte de l’événement (SHA-256)</dt><dd><code>${record.hash}</code></dd>
  <dt>Empreinte de l’événement précédent</dt><dd><code>${record.prevHash}</code></dd>
  ${record.tieBreak && html`<dt>Aléa de départage (engagé à la création, révélé à la clôture)</dt><dd>engagement <code>${record.tieBreak.commitment}</code>, valeur <code>${record.tieBreak.nonce}</code></dd>`}
</dl>`
  : html`<p>L’inscription de ce résultat au journal n’a pas été trouvée.</p>`}
<ul>
  ${record && html`<li><a href="${register}/log?after=${String(record.seq - 1)}&amp;limit=1">L’événement du journal (JSON)</a></li>`}
  <li><a href="${register}/log/verify">Vérifier la chaîne du journal de gouvernance</a> (chaque décision y est inscrite, chaînée par empreintes).</li>
  <li><a href="${register}/log">Journal public de gouvernance (JSON)</a> : enregistrez-le (toutes les pages, dans l’ordre) et vérifiez-le chez vous, dans une copie du code source de la caisse : <code>npm run verify-log -- journal.json</code>.</li>
  ${d.secret && html`<li><a href="${register}/decisions/${d.id}/ballots">Bulletins publiés, par code de reçu</a> : retrouvez le vôtre avec le code reçu en votant.</li>`}
</ul>`;
}

function tallyBlock(ctx: PageContext, d: DecisionDto, record: DecisionRecordDto | null | undefined): SafeHtml {
  const t = d.tally!;
  return html`<h2>Résultat</h2>
<p class="figure">${DECISION_OUTCOME_FR[t.outcome] ?? t.outcome}</p>
<table><caption>Participation et quorum</caption><tbody>
  <tr><th scope="row">Membres appelés à voter (E)</th><td class="num">${t.electorate}</td></tr>
  <tr><th scope="row">Participants (P)</th><td class="num">${share(t.participants, t.electorate)}</td></tr>
  <tr><th scope="row">Quorum (${quorumRule(d)})</th><td>${t.quorumMet ? 'atteint' : 'non atteint'}</td></tr>
</tbody></table>
<h3>Décompte détaillé</h3>
${tallyDetail(d, record ?? null)}
${d.transitionId && d.outletId && html`<p>En conséquence, le statut du point de vente a changé : voir son historique${hasRole(ctx, 'admin', 'committee') ? html` dans le <a href="/caisses/${ctx.caisse!.id}/comite/points-de-vente/${d.outletId}">dossier</a>` : ''}.</p>`}
${d.consequenceError && html`<p class="error">Adoptée, mais le point de vente n’a pas pu changer de statut : ${d.consequenceError}</p>`}
${verification(ctx, d, record)}`;
}

export function decisionPage(ctx: PageContext, p: DecisionPageData): SafeHtml {
  const d = p.decision;
  const canClose = hasRole(ctx, 'admin', 'committee') && d.state === 'open' && d.method.kind !== 'consensus';
  return html`${notice(p.voted ? (p.receipt ? `Vote enregistré. Votre code de reçu (notez-le, il n’est montré qu’une fois) : ${p.receipt}` : 'Vote enregistré. Vous pouvez le modifier tant que le vote est ouvert.') : undefined)}
${formError(p.error)}
<dl>
  <dt>Objet</dt><dd>${SUBJECT_LABELS[d.subject] ?? d.subject}${d.outletId && hasRole(ctx, 'admin', 'committee') && html` — <a href="/caisses/${ctx.caisse!.id}/comite/points-de-vente/${d.outletId}">dossier du point de vente</a>`}</dd>
  <dt>État</dt><dd>${STATE_LABELS[d.state] ?? d.state}</dd>
  <dt>Méthode</dt><dd>${METHOD_LABELS[d.method.kind] ?? d.method.kind}${methodRule(d) && html` : ${methodRule(d)}`}${d.secret ? ' — vote secret' : ' — vote à découvert'}</dd>
  <dt>Vote</dt><dd>du ${formatDateTime(d.opensAt)} au ${formatDateTime(d.closesAt)}</dd>
  ${d.reply && html`<dt>Réponse du point de vente</dt><dd>${d.reply}</dd>`}
</dl>
${d.state === 'open' && d.method.kind !== 'consensus' && html`<h2>Voter</h2>${ballotForm(ctx, d)}`}
${canClose && html`<h2>Clore le vote</h2><form method="post" action="/caisses/${ctx.caisse!.id}/comite/decisions/${d.id}/cloture">${csrfField(ctx)}<button type="submit" class="secondary">Clore et dépouiller maintenant</button></form>`}
${d.tally && tallyBlock(ctx, d, p.record)}
${d.state !== 'closed' && html`<p>Le résultat est publié à la clôture du vote.</p>`}`;
}
