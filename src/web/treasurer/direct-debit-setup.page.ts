import type { MemberDto } from '../../members/dto/member.dto.js';
import { field, type FieldErrors, formError, notice, postForm } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export interface SettingsView {
  values: Record<string, string>;
  configured: boolean;
  errors?: FieldErrors;
  error?: string;
  done?: string;
}

/** The caisse's SEPA creditor identity: without it no batch can be built. */
export function settingsPage(ctx: PageContext, v: SettingsView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/prelevements`;
  return html`${notice(v.done)}${formError(v.error)}
<p>${v.configured ? 'Le prélèvement est configuré ; une modification vaut pour les prochaines remises.' : 'Le prélèvement n’est pas encore configuré : aucune remise ne peut être préparée.'}</p>
${postForm(
  ctx,
  `${base}/parametres`,
  html`${field({ name: 'creditorId', label: 'Identifiant créancier SEPA (ICS)', value: v.values.creditorId, errors: v.errors, required: true, autocomplete: 'off', hint: 'Attribué par la Banque de France, par exemple FR72ZZZ123456.' })}
  ${field({ name: 'creditorName', label: 'Nom du créancier', value: v.values.creditorName, errors: v.errors, required: true, hint: 'Tel qu’il apparaîtra sur le relevé des membres (70 caractères au plus).' })}
  ${field({ name: 'creditorIban', label: 'IBAN du compte crédité', value: v.values.creditorIban, errors: v.errors, required: true, autocomplete: 'off' })}
  ${field({ name: 'creditorBic', label: 'BIC de la banque', value: v.values.creditorBic, errors: v.errors, autocomplete: 'off', hint: 'Facultatif.' })}`,
  'Enregistrer',
)}
<p><a href="${base}">Retour aux prélèvements</a></p>`;
}

export interface MandateView {
  member: MemberDto;
  values: Record<string, string>;
  errors?: FieldErrors;
  error?: string;
}

/** A member's signed SEPA mandate, typed from the paper form; it replaces the member's previous mandate. */
export function mandatePage(ctx: PageContext, v: MandateView): SafeHtml {
  const m = v.member;
  return html`${formError(v.error)}
<p>Membre <a href="/caisses/${ctx.caisse!.id}/membres/${m.id}">${m.firstName} ${m.lastName}</a> (${m.number}). Un nouveau mandat remplace le précédent à la date de signature.</p>
${postForm(
  ctx,
  `/caisses/${ctx.caisse!.id}/prelevements/mandats`,
  html`<input type="hidden" name="memberId" value="${m.id}">
  ${field({ name: 'reference', label: 'Référence unique du mandat (RUM)', value: v.values.reference, errors: v.errors, required: true, autocomplete: 'off', hint: '35 caractères au plus : lettres sans accent, chiffres, espaces, apostrophe droite et + ? / - : ( ) . ,' })}
  ${field({ name: 'signedOn', label: 'Date de signature', type: 'date', value: v.values.signedOn, errors: v.errors, required: true })}
  ${field({ name: 'debtorName', label: 'Titulaire du compte', value: v.values.debtorName, errors: v.errors, required: true, hint: 'Tel qu’écrit sur le mandat.' })}
  ${field({ name: 'iban', label: 'IBAN du compte débité', value: v.values.iban, errors: v.errors, required: true, autocomplete: 'off' })}
  ${field({ name: 'bic', label: 'BIC', value: v.values.bic, errors: v.errors, autocomplete: 'off', hint: 'Facultatif.' })}`,
  'Enregistrer le mandat',
)}`;
}
