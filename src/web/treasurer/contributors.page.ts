import type { ContributionDto } from '../../contributions/dto/contribution.dto.js';
import type { ContributorDto } from '../../contributions/dto/contributor.dto.js';
import type { GrantDto } from '../../contributions/dto/grant.dto.js';
import { CONTRIBUTOR_KINDS, FUNDER_TYPES } from '../../contributions/contributions.types.js';
import { formatAmount, formatDate, formatPeriod } from '../view/format.js';
import { csrfField, field, formError, notice, select, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export const KIND_FR: Record<string, string> = {
  employer: 'Employeur',
  'public-funder': 'Financeur public',
  foundation: 'Fondation',
  company: 'Entreprise (mécénat)',
  individual: 'Particulier (don)',
};

export const FUNDER_TYPE_FR: Record<string, string> = {
  state: 'État',
  region: 'Région',
  department: 'Département',
  epci: 'Intercommunalité (EPCI)',
  commune: 'Commune',
  ccas: 'CCAS',
  caf: 'CAF',
  msa: 'MSA',
  cpam: 'CPAM',
  'eu-fse-plus': 'Union européenne (FSE+)',
  'other-public': 'Autre organisme public',
};

const METHOD_FR: Record<string, string> = { transfer: 'Virement', 'direct-debit': 'Prélèvement', cash: 'Espèces', card: 'Carte', cheque: 'Chèque' };

export const kindLabel = (c: Pick<ContributorDto, 'kind' | 'funderType'>) => (c.funderType ? `${KIND_FR[c.kind]} — ${FUNDER_TYPE_FR[c.funderType] ?? c.funderType}` : (KIND_FR[c.kind] ?? c.kind));

export function contributorsPage(ctx: PageContext, contributors: ContributorDto[]): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/contributeurs`;
  return html`<p><a class="button" href="${base}/nouveau">Ajouter un contributeur</a></p>
${contributors.length === 0
  ? html`<p>Aucun contributeur pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Compte</th><th scope="col">Nom</th><th scope="col">Catégorie</th><th scope="col">SIRET</th></tr></thead>
  <tbody>${contributors.map(
    (c) => html`<tr><td>${c.number}</td><td><a href="${base}/${c.id}">${c.name}</a></td><td>${kindLabel(c)}</td><td>${c.siret ?? '—'}</td></tr>`,
  )}</tbody>
</table></div>`}`;
}

export interface ContributorView {
  contributor: ContributorDto;
  grants: GrantDto[];
  contributions: ContributionDto[];
  message?: string;
}

export function contributorPage(ctx: PageContext, v: ContributorView): SafeHtml {
  const c = v.contributor;
  const root = `/caisses/${ctx.caisse!.id}`;
  return html`${notice(v.message)}
<dl class="facts">
  <dt>Compte auxiliaire</dt><dd>${c.number}</dd>
  <dt>Catégorie</dt><dd>${kindLabel(c)}</dd>
  ${c.siret && html`<dt>SIRET</dt><dd>${c.siret}</dd>`}
  ${c.iban && html`<dt>IBAN</dt><dd>${c.iban}</dd>`}
  ${c.address && html`<dt>Adresse</dt><dd>${c.address}</dd>`}
  <dt>Enregistré le</dt><dd>${formatDate(c.createdAt)}</dd>
</dl>
<p><a class="button" href="${root}/contributeurs/${c.id}/modifier">Modifier</a>${c.kind !== 'individual' ? html` <a class="button" href="${root}/subventions/nouvelle?contributeur=${c.id}">Enregistrer une convention</a>` : ''}</p>
<section aria-labelledby="conventions"><h2 id="conventions">Conventions de subvention</h2>
${v.grants.length === 0
  ? html`<p>Aucune convention.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Référence</th><th scope="col">Période</th><th scope="col" class="num">Montant</th><th scope="col" class="num">Reçu</th><th scope="col" class="num">Reste à recevoir</th></tr></thead>
  <tbody>${v.grants.map(
    (g) => html`<tr><td><a href="${root}/subventions/${g.id}">${g.reference}</a></td><td>${formatDate(g.from)} – ${formatDate(g.to)}</td>
      <td class="num amount">${formatAmount(g.amount)}</td><td class="num amount">${formatAmount(g.received)}</td><td class="num amount">${formatAmount(g.remaining)}</td></tr>`,
  )}</tbody></table></div>`}
</section>
<section aria-labelledby="versements"><h2 id="versements">Versements hors convention</h2>
${v.contributions.length === 0
  ? html`<p>Aucun versement enregistré.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Reçu le</th><th scope="col">Mode</th><th scope="col">Fonds</th><th scope="col">Mois</th><th scope="col" class="num">Montant</th><th scope="col">État</th></tr></thead>
  <tbody>${v.contributions.map(
    (p) => html`<tr><td>${formatDate(p.receivedOn)}</td><td>${METHOD_FR[p.method] ?? p.method}</td><td>${p.fund ?? 'Non affecté'}</td><td>${p.period ? formatPeriod(p.period) : '—'}</td>
      <td class="num amount">${formatAmount(p.amount)}</td><td>${p.reversedAt ? `Annulé (${p.reversalReason ?? ''})` : 'Enregistré'}</td></tr>`,
  )}</tbody></table></div>`}
</section>`;
}

export type ContributorValues = Partial<Record<'kind' | 'funderType' | 'name' | 'siret' | 'iban' | 'address', string>>;

/** The create form (kind and funder type chosen once: they decide the accounts), or the edit form (`editing`). */
export function contributorForm(ctx: PageContext, o: { values: ContributorValues; errors?: FieldErrors; error?: string; editing?: ContributorDto }): SafeHtml {
  const v = o.values;
  const e = o.errors;
  const base = `/caisses/${ctx.caisse!.id}/contributeurs`;
  return html`${formError(o.error)}
<form method="post" action="${o.editing ? `${base}/${o.editing.id}` : base}">
  ${csrfField(ctx)}
  ${o.editing
    ? html`<p>Catégorie : ${kindLabel(o.editing)} (compte ${o.editing.number}). Elle fixe les comptes des écritures déjà passées et ne se modifie pas.</p>`
    : html`${select({ name: 'kind', label: 'Catégorie', value: v.kind ?? 'public-funder', errors: e, required: true, options: CONTRIBUTOR_KINDS.map((k) => ({ value: k, label: KIND_FR[k] })) })}
  ${select({
    name: 'funderType',
    label: 'Type de financeur public (financeur public seulement)',
    value: v.funderType ?? '',
    errors: e,
    options: [{ value: '', label: '—' }, ...FUNDER_TYPES.map((t) => ({ value: t, label: FUNDER_TYPE_FR[t] }))],
  })}`}
  ${field({ name: 'name', label: 'Nom', value: v.name, errors: e, required: true, autocomplete: 'organization' })}
  ${field({ name: 'siret', label: 'SIRET', value: v.siret, errors: e, inputmode: 'numeric', hint: '14 chiffres ; obligatoire pour un employeur.' })}
  ${field({ name: 'iban', label: 'IBAN', value: v.iban, errors: e, hint: 'Facultatif. Par exemple FR76 3000 6000 0112 3456 7890 189.' })}
  ${field({ name: 'address', label: 'Adresse', value: v.address, errors: e, hint: 'Imprimée sur les reçus fiscaux.' })}
  <button type="submit">${o.editing ? 'Enregistrer les modifications' : 'Ajouter le contributeur'}</button>
</form>`;
}
