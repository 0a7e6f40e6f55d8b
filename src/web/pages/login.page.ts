import { field, formError, notice, postForm, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export function staffLoginPage(ctx: PageContext, o: { email?: string; back?: string; error?: string; errors?: FieldErrors }): SafeHtml {
  const action = o.back ? `/connexion?retour=${encodeURIComponent(o.back)}` : '/connexion';
  return html`${formError(o.error)}
<p>Réservé aux bénévoles et salariés de la caisse (trésorerie, comité, caisse des points de vente). Membres : connectez-vous depuis la page de votre caisse avec votre carte.</p>
${postForm(
  ctx,
  action,
  html`${field({ name: 'email', label: 'Adresse e-mail', type: 'email', value: o.email, errors: o.errors, required: true, autocomplete: 'username' })}
  ${field({ name: 'password', label: 'Mot de passe', type: 'password', errors: o.errors, required: true, autocomplete: 'current-password' })}`,
  'Se connecter',
)}`;
}

export function memberLoginPage(ctx: PageContext, o: { cardNumber?: string; error?: string; errors?: FieldErrors; message?: string }): SafeHtml {
  return html`${notice(o.message)}${formError(o.error)}
<p>Connectez-vous avec le numéro imprimé sur votre carte et votre code à 4 chiffres. Après 3 codes faux, la carte est verrouillée : la caisse peut la déverrouiller.</p>
${postForm(
  ctx,
  `/caisses/${ctx.caisse!.id}/membre/connexion`,
  html`${field({ name: 'cardNumber', label: 'Numéro de carte', value: o.cardNumber, errors: o.errors, required: true, autocomplete: 'off' })}
  ${field({ name: 'pin', label: 'Code (4 chiffres)', type: 'password', inputmode: 'numeric', errors: o.errors, required: true, autocomplete: 'off' })}`,
  'Accéder à mon espace',
)}`;
}
