import { field, type FieldErrors, formError, postForm, select } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export const OUTLET_KIND_FR: { value: string; label: string }[] = [
  { value: 'producer', label: 'Producteur' },
  { value: 'producers-shop', label: 'Magasin de producteurs' },
  { value: 'grocery', label: 'Épicerie' },
  { value: 'epicerie-solidaire', label: 'Épicerie solidaire' },
  { value: 'amap', label: 'AMAP' },
  { value: 'market-stall', label: 'Étal de marché' },
  { value: 'mobile-grocery', label: 'Épicerie ambulante' },
  { value: 'locker', label: 'Casier de retrait' },
  { value: 'restaurant-canteen', label: 'Restaurant, cantine' },
  { value: 'other', label: 'Autre' },
];

export const OUTLET_FIELDS = ['legalName', 'name', 'siret', 'kind', 'commune', 'communeName', 'postcode', 'buildingNumber', 'streetName', 'country', 'iban', 'bic', 'email', 'phone'] as const;
export type OutletValues = Record<(typeof OUTLET_FIELDS)[number], string>;

/** A producer or point of sale registered as a candidate: the committee then completes and votes on its dossier. */
export function newOutletPage(ctx: PageContext, v: { values: OutletValues; errors?: FieldErrors; error?: string }): SafeHtml {
  const e = v.errors;
  const x = v.values;
  return html`${formError(v.error)}
<p>Le point de vente est enregistré comme candidat : le comité complète son dossier (critères, pièces) puis vote son conventionnement. Son compte fournisseur (401) s’ouvre avec lui.</p>
${postForm(
  ctx,
  `/caisses/${ctx.caisse!.id}/points-de-vente/nouveau`,
  html`<fieldset><legend>Identité</legend>
  ${field({ name: 'name', label: 'Nom commercial', value: x.name, errors: e, required: true, hint: 'Ce que voient les membres, aussi sur leur relevé.' })}
  ${field({ name: 'legalName', label: 'Raison sociale', value: x.legalName, errors: e, required: true })}
  ${field({ name: 'siret', label: 'SIRET', value: x.siret, errors: e, required: true, inputmode: 'numeric', hint: '14 chiffres.' })}
  ${select({ name: 'kind', label: 'Type de point de vente', value: x.kind, errors: e, required: true, options: OUTLET_KIND_FR })}
  </fieldset>
  <fieldset><legend>Adresse</legend>
  ${field({ name: 'commune', label: 'Commune (code INSEE)', value: x.commune, errors: e, required: true, hint: '5 caractères, par exemple 71014 pour Autun (pas le code postal).' })}
  ${field({ name: 'communeName', label: 'Nom de la commune', value: x.communeName, errors: e, hint: 'Nécessaire aux virements (pain.001).' })}
  ${field({ name: 'postcode', label: 'Code postal', value: x.postcode, errors: e, inputmode: 'numeric' })}
  ${field({ name: 'buildingNumber', label: 'Numéro', value: x.buildingNumber, errors: e })}
  ${field({ name: 'streetName', label: 'Voie', value: x.streetName, errors: e })}
  ${field({ name: 'country', label: 'Pays (code ISO)', value: x.country, errors: e, hint: 'FR pour la France.' })}
  </fieldset>
  <fieldset><legend>Paiements et contact</legend>
  ${field({ name: 'iban', label: 'IBAN pour les reversements', value: x.iban, errors: e, required: true, autocomplete: 'off' })}
  ${field({ name: 'bic', label: 'BIC', value: x.bic, errors: e, autocomplete: 'off', hint: 'Facultatif.' })}
  ${field({ name: 'email', label: 'E-mail', type: 'email', value: x.email, errors: e, errorKey: 'contact.email' })}
  ${field({ name: 'phone', label: 'Téléphone', type: 'tel', value: x.phone, errors: e, errorKey: 'contact.phone' })}
  </fieldset>`,
  'Enregistrer le point de vente',
)}`;
}
