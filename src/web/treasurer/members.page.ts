import type { ImportReportDto } from '../../members/dto/import.dto.js';
import type { MemberDto } from '../../members/dto/member.dto.js';
import { formatAmount, formatDate } from '../view/format.js';
import { csrfField, field, formError, notice, select, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import { hasRole, type PageContext } from '../view/page-context.js';

export const STATUS_FR: Record<string, string> = { applicant: 'Candidat', waitlisted: 'Liste d’attente', active: 'Actif', suspended: 'Suspendu', left: 'Parti' };

function cardState(m: MemberDto): string {
  if (!m.card) return 'Aucune carte';
  if (m.card.locked) return 'Verrouillée (codes faux)';
  if (m.card.state === 'blocked') return 'Bloquée';
  return m.card.pinSet ? 'Active' : 'Active, sans code';
}

export function membersPage(ctx: PageContext, o: { members: MemberDto[]; search: string; status: string; next: string | null }): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/membres`;
  const nextUrl = o.next ? `${base}?${new URLSearchParams({ q: o.search, statut: o.status, curseur: o.next }).toString()}` : null;
  return html`${hasRole(ctx, 'admin') && html`<p><a class="button" href="${base}/nouveau">Inscrire un membre</a> <a class="button" href="${base}/import">Importer un fichier CSV</a></p>`}
<form method="get" action="${base}" role="search" class="search">
  ${field({ name: 'q', label: 'Nom, e-mail ou numéro de membre', type: 'search', value: o.search })}
  ${select({ name: 'statut', label: 'Statut', value: o.status, options: [{ value: '', label: 'Tous' }, ...Object.entries(STATUS_FR).map(([value, label]) => ({ value, label }))] })}
  <button type="submit">Rechercher</button>
</form>
${o.members.length === 0
  ? html`<p>Aucun membre ne correspond.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Numéro</th><th scope="col">Nom</th><th scope="col">Commune</th><th scope="col">Statut</th><th scope="col">Carte</th></tr></thead>
  <tbody>${o.members.map(
    (m) => html`<tr><td><a href="${base}/${m.id}">${m.number}</a></td><td>${m.firstName} ${m.lastName}</td><td>${m.commune}</td><td>${STATUS_FR[m.status] ?? m.status}</td><td>${cardState(m)}</td></tr>`,
  )}</tbody>
</table></div>`}
${nextUrl && html`<p><a href="${nextUrl}">Membres suivants</a></p>`}`;
}

export interface MemberPageOptions {
  pin?: string | null;
  message?: string;
  error?: string;
  /** Field errors of the card forms: `blockReason`, `replaceReason`. */
  errors?: FieldErrors;
  values?: Partial<Record<'blockReason' | 'replaceReason', string>>;
}

export function memberPage(ctx: PageContext, m: MemberDto, o: MemberPageOptions = {}): SafeHtml {
  const admin = hasRole(ctx, 'admin');
  return html`${notice(o.message)}${formError(o.error)}
${o.pin && html`<div class="alert alert-ok" role="status"><p>Code de la carte : <strong class="pin">${o.pin}</strong>. Il n’est affiché qu’une fois : remettez-le au membre.</p></div>`}
<dl class="facts">
  <dt>Nom</dt><dd>${m.firstName} ${m.lastName}</dd>
  <dt>Statut</dt><dd>${STATUS_FR[m.status] ?? m.status} depuis le ${formatDate(m.statusHistory.at(-1)?.effectiveOn ?? m.joinedOn)}</dd>
  <dt>Commune</dt><dd>${m.commune}</dd>
  <dt>Foyer</dt><dd>${m.household.adults} adulte(s), ${m.household.childrenBirthYears.length} enfant(s)</dd>
  ${m.monthlyIncome && html`<dt>Revenu mensuel déclaré</dt><dd class="amount">${formatAmount(m.monthlyIncome)}</dd>`}
  <dt>Carte</dt><dd>${m.cardNumber ?? '—'} (${cardState(m)})</dd>
  <dt>Portefeuille</dt><dd>${m.walletAccount ?? '—'}</dd>
</dl>
${hasRole(ctx, 'admin', 'treasurer') && html`<p><a href="/caisses/${ctx.caisse!.id}/prelevements/mandats/nouveau?membre=${m.id}">Enregistrer un mandat de prélèvement</a></p>`}
${admin && (m.card || m.status === 'active' || m.status === 'suspended') && cardSection(ctx, m, o)}`;
}

/** Admin actions on the card: new PIN, unlock, block (lost, stolen) while active; a replacement card in any case. */
function cardSection(ctx: PageContext, m: MemberDto, o: MemberPageOptions): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/membres/${m.id}`;
  return html`<section aria-labelledby="carte"><h2 id="carte">Carte et code</h2>
  ${m.card
    ? html`<form method="post" action="${base}/code" class="inline-form">${csrfField(ctx)}<button type="submit">Générer un nouveau code</button></form>
  ${m.card.locked && html`<form method="post" action="${base}/deverrouillage" class="inline-form">${csrfField(ctx)}<button type="submit" class="secondary">Déverrouiller la carte</button></form>`}
  <h3>Bloquer la carte</h3>
  <p>Carte perdue ou volée : elle est refusée à la caisse dès maintenant ; le solde reste au membre.</p>
  <form method="post" action="${base}/carte/blocage">${csrfField(ctx)}
  ${field({ name: 'blockReason', label: 'Raison du blocage', value: o.values?.blockReason, errors: o.errors, required: true, hint: 'Par exemple : carte perdue.' })}
  <button type="submit" class="secondary">Bloquer la carte</button></form>`
    : html`<p>Aucune carte active (bloquée ou jamais émise) : remplacez-la pour que le membre puisse payer.</p>`}
  <h3>Remplacer la carte</h3>
  <p>Une nouvelle carte, avec un nouveau numéro, pour le même portefeuille ; l’ancienne ne sert plus.</p>
  <form method="post" action="${base}/carte/remplacement">${csrfField(ctx)}
  ${field({ name: 'replaceReason', label: 'Raison du remplacement', value: o.values?.replaceReason, errors: o.errors, required: true, hint: 'Par exemple : carte abîmée.' })}
  <div class="field check"><input id="f-newPin" type="checkbox" name="newPin" value="oui"> <label for="f-newPin">Donner aussi un nouveau code (sinon le code actuel est conservé)</label></div>
  <button type="submit">Remplacer la carte</button></form>
</section>`;
}

export interface NewMemberValues {
  firstName?: string;
  lastName?: string;
  commune?: string;
  status?: string;
  joinedOn?: string;
  adults?: string;
  children?: string;
  email?: string;
  monthlyIncome?: string;
}

export function newMemberPage(ctx: PageContext, o: { values: NewMemberValues; errors?: FieldErrors; error?: string; key: string }): SafeHtml {
  const v = o.values;
  const e = o.errors;
  return html`${formError(o.error)}
<form method="post" action="/caisses/${ctx.caisse!.id}/membres">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${o.key}">
  ${field({ name: 'firstName', label: 'Prénom', value: v.firstName, errors: e, required: true, autocomplete: 'off' })}
  ${field({ name: 'lastName', label: 'Nom', value: v.lastName, errors: e, required: true, autocomplete: 'off' })}
  ${field({ name: 'commune', label: 'Commune (code INSEE)', value: v.commune, errors: e, required: true, hint: '5 caractères, par exemple 34172 (pas le code postal).' })}
  ${select({ name: 'status', label: 'Statut', value: v.status ?? 'active', errors: e, options: Object.entries(STATUS_FR).map(([value, label]) => ({ value, label })) })}
  ${field({ name: 'joinedOn', label: 'Date d’adhésion', type: 'date', value: v.joinedOn, errors: e, required: true })}
  ${field({ name: 'adults', label: 'Adultes dans le foyer', type: 'number', value: v.adults ?? '1', errors: e, errorKey: 'household.adults', required: true })}
  ${field({ name: 'children', label: 'Années de naissance des enfants', value: v.children, errors: e, errorKey: 'household.childrenBirthYears', hint: 'Séparées par des espaces, par exemple : 2015 2019.' })}
  ${field({ name: 'email', label: 'E-mail', type: 'email', value: v.email, errors: e, errorKey: 'contact.email' })}
  ${field({ name: 'monthlyIncome', label: 'Revenu mensuel du foyer (€)', value: v.monthlyIncome, errors: e, inputmode: 'decimal', hint: 'Par exemple 1240.00 ; sert au calcul de la cotisation.' })}
  <button type="submit">Inscrire</button>
</form>`;
}

export function importPage(ctx: PageContext, o: { csv: string; report?: ImportReportDto; error?: string }): SafeHtml {
  const r = o.report;
  return html`${formError(o.error)}
<p>Colonnes : firstName, lastName, commune, status, joinedOn, adults (obligatoires) ; birthYear, childrenBirthYears, email, phone, address, monthlyIncome, consentDataProcessing, consentContact, consentResearch. Séparateur « , », « ; » ou tabulation, UTF-8. Le fichier est importé en entier ou pas du tout.</p>
<form method="post" action="/caisses/${ctx.caisse!.id}/membres/import">
  ${csrfField(ctx)}
  <div class="field"><label for="csv-file">Fichier CSV</label><input type="file" id="csv-file" accept=".csv,text/csv" data-fills="f-csv"></div>
  <div class="field"><label for="f-csv">Contenu du fichier</label><textarea id="f-csv" name="csv" rows="10" required>${o.csv}</textarea></div>
  <button type="submit" name="action" value="preview">Vérifier (aperçu)</button>
  ${r && r.dryRun && r.errors.length === 0 && r.valid > 0 && html`<button type="submit" name="action" value="import">Importer ${r.valid} membre(s)</button>`}
</form>
${r &&
html`<section aria-labelledby="apercu"><h2 id="apercu">${r.dryRun ? 'Aperçu' : 'Import terminé'}</h2>
  <p role="status">${r.lines} ligne(s) lue(s), ${r.valid} valide(s), ${r.errors.length} en erreur.</p>
  ${r.errors.length > 0 &&
  html`<div class="table-wrap"><table><thead><tr><th scope="col">Ligne</th><th scope="col">Erreurs</th></tr></thead>
  <tbody>${r.errors.map((e) => html`<tr><td>${e.line}</td><td>${Object.entries(e.errors).map(([k, msgs]) => html`<div><strong>${k}</strong> : ${msgs.join(' ; ')}</div>`)}</td></tr>`)}</tbody></table></div>`}
  ${r.members.length > 0 &&
  html`<div class="table-wrap"><table><thead><tr><th scope="col">Ligne</th><th scope="col">Numéro</th><th scope="col">Statut</th><th scope="col">Carte</th></tr></thead>
  <tbody>${r.members.map((m) => html`<tr><td>${m.line}</td><td><a href="/caisses/${ctx.caisse!.id}/membres/${m.id}">${m.number}</a></td><td>${STATUS_FR[m.status] ?? m.status}</td><td>${m.cardNumber ?? '—'}</td></tr>`)}</tbody></table></div>`}
</section>`}`;
}
