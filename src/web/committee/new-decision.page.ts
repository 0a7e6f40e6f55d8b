import type { OutletDto } from '../../outlets/dto/outlet.dto.js';
import { field, type FieldErrors, formError, postForm, select } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import { SUBJECT_LABELS } from './decision.page.js';

/** The subjects a decision about an outlet may have, from where the outlet stands (governance checks it again). */
export const SUBJECTS_BY_STATUS: Record<string, string[]> = {
  'dossier-complete': ['conventionnement'],
  'renewal-due': ['renewal', 'suspension', 'revocation'],
  conventionne: ['suspension', 'revocation'],
  suspended: ['reinstatement', 'revocation'],
};

/** The methods offered here, with the parameters the form fills in for them (the API takes any). */
export const FORM_METHODS: { value: string; label: string }[] = [
  { value: 'consent', label: 'Consentement (objection motivée, vote à découvert)' },
  { value: 'simple-majority', label: 'Majorité simple des votes exprimés' },
  { value: 'absolute-majority', label: 'Majorité absolue des membres' },
  { value: 'qualified-majority', label: 'Majorité qualifiée des deux tiers des votes exprimés' },
  { value: 'majority-judgment', label: 'Jugement majoritaire (de « À rejeter » à « Excellent », admis à partir de « Assez bien »)' },
  { value: 'approval', label: 'Vote par approbation (chacun coche les options qu’il approuve ; adoptée si une option atteint θ % des participants)' },
];
export const MJ_GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];

export type NewDecisionValues = Partial<Record<'title' | 'subject' | 'method' | 'secret' | 'opensAt' | 'closesAt' | 'reviewOn' | 'validUntil' | 'replyDeadline' | 'options' | 'theta', string>>;

export function newDecisionPage(ctx: PageContext, o: OutletDto, p: { values: NewDecisionValues; errors?: FieldErrors; error?: string }): SafeHtml {
  const subjects = SUBJECTS_BY_STATUS[o.status] ?? [];
  const base = `/caisses/${ctx.caisse!.id}/comite/points-de-vente/${o.id}`;
  if (subjects.length === 0) {
    return html`<p>Aucune décision ne peut être mise au vote pour ce point de vente dans son état actuel.</p><p><a href="${base}">Retour au dossier</a></p>`;
  }
  const v = p.values;
  const e = p.errors;
  const secretErrors = e?.secret ?? [];
  const others = Object.entries(e ?? {}).filter(([k]) => !['title', 'subject', 'method', 'secret', 'opensAt', 'closesAt', 'reviewOn', 'validUntil', 'replyDeadline', 'options', 'theta'].includes(k));
  return html`${formError(p.error)}
${others.length > 0 && html`<ul class="error">${others.map(([k, m]) => html`<li>${k} : ${m.join(' ')}</li>`)}</ul>`}
<p>Le vote porte sur le point de vente <a href="${base}">${o.name}</a> (${o.code}). Les membres du comité en fonction à l’ouverture forment le corps électoral.</p>
${postForm(
  ctx,
  `${base}/mettre-au-vote`,
  html`${field({ name: 'title', label: 'Intitulé', value: v.title, errors: e, required: true })}
  ${select({ name: 'subject', label: 'Objet', value: v.subject, errors: e, required: true, options: subjects.map((s) => ({ value: s, label: SUBJECT_LABELS[s] ?? s })) })}
  ${select({ name: 'method', label: 'Méthode de décision', value: v.method, errors: e, required: true, options: FORM_METHODS })}
  <div class="field${secretErrors.length ? ' has-error' : ''}">
    ${secretErrors.length > 0 && html`<p class="error" id="f-secret-error">${secretErrors.join(' ')}</p>`}
    <label><input type="checkbox" id="f-secret" name="secret" value="1"${v.secret ? html` checked` : ''}${secretErrors.length ? html` aria-invalid="true" aria-describedby="f-secret-error"` : ''}> Vote secret (pas pour le consentement, délibéré à découvert)</label>
  </div>
  ${approvalFields(v, e)}
  ${field({ name: 'opensAt', label: 'Ouverture du vote (heure de Paris)', type: 'datetime-local', value: v.opensAt, errors: e, hint: 'Laisser vide pour ouvrir le vote dès maintenant.' })}
  ${field({ name: 'closesAt', label: 'Clôture du vote (heure de Paris)', type: 'datetime-local', value: v.closesAt, errors: e, required: true })}
  ${field({ name: 'reviewOn', label: 'Date du prochain réexamen', type: 'date', value: v.reviewOn, errors: e, hint: 'Obligatoire pour un conventionnement ou un renouvellement.' })}
  ${field({ name: 'validUntil', label: 'Fin de validité', type: 'date', value: v.validUntil, errors: e, hint: 'Facultatif : conventionnement, renouvellement ou rétablissement.' })}
  ${field({ name: 'replyDeadline', label: 'Fin du droit de réponse du point de vente (heure de Paris)', type: 'datetime-local', value: v.replyDeadline, errors: e, hint: 'Obligatoire pour une suspension ou un retrait ; au plus tard à l’ouverture du vote.' })}`,
  'Mettre au vote',
)}`;
}

/** The approval vote's own settings: its options (one a line) and θ. Ignored by the other methods. */
function approvalFields(v: NewDecisionValues, e: FieldErrors | undefined): SafeHtml {
  const messages = e?.options ?? [];
  const described = ['f-options-hint', messages.length ? 'f-options-error' : ''].filter(Boolean).join(' ');
  return html`<fieldset><legend>Vote par approbation seulement</legend>
  <div class="field${messages.length ? ' has-error' : ''}">
    <label for="f-options">Options soumises au vote</label>
    <p class="hint" id="f-options-hint">Une option par ligne (80 caractères au plus, 30 options au plus), par exemple « Conventionner pour un an ».</p>
    ${messages.length > 0 && html`<p class="error" id="f-options-error">${messages.join(' ')}</p>`}
    <textarea id="f-options" name="options" rows="4" aria-describedby="${described}"${messages.length ? html` aria-invalid="true"` : ''}>${v.options ?? ''}</textarea>
  </div>
  ${field({ name: 'theta', label: 'Seuil θ : pourcentage des participants qu’une option doit réunir', type: 'number', value: v.theta ?? '50', errors: e, inputmode: 'numeric', hint: 'Un entier de 1 à 100 ; 50 : la moitié des participants au moins.' })}
</fieldset>`;
}
