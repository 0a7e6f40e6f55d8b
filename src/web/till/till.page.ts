import { formatAmount } from '../view/format.js';
import { csrfField, field, formError, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import { OFFLINE_POLICY } from './till-policy.js';
import { CATEGORY_FIELD } from './till-form.js';

export interface TillOutcome {
  ok: boolean;
  title: string;
  detail: string;
  balanceAfter?: string;
}

/** The big answer of the till: accepted (with what is left on the account) or refused (with why). */
export function outcomeBlock(outcome: TillOutcome | undefined): SafeHtml {
  if (!outcome) return html`<div id="till-result" class="till-result" role="status" aria-live="assertive"></div>`;
  return html`<div id="till-result" class="till-result ${outcome.ok ? 'till-ok' : 'till-refused'}" role="status" aria-live="assertive">
  <p class="till-result-title">${outcome.title}</p>
  <p>${outcome.detail}</p>
  ${outcome.balanceAfter !== undefined && html`<p class="till-balance">Solde restant : <span class="amount">${formatAmount(outcome.balanceAfter)}</span></p>`}
</div>`;
}

export function pairingPage(ctx: PageContext, data: { error?: string; errors?: FieldErrors }): SafeHtml {
  return html`<p>Ce téléphone ou cette tablette devient la caisse d’un point de vente : saisissez une fois la clé du terminal
que l’administration de la caisse a créée pour ce point de vente. La session ne sert qu’à encaisser, rembourser et lire
les achats du jour de ce point de vente.</p>
${formError(data.error)}
<form method="post" action="/caisses/${ctx.caisse!.id}/caisse-enregistreuse/appairage">
  ${csrfField(ctx)}
  ${field({ name: 'key', label: 'Clé du terminal', type: 'password', required: true, autocomplete: 'off', errors: data.errors, hint: 'Elle commence par ck_ ; elle n’est montrée qu’une fois, à sa création.' })}
  <button type="submit">Appairer cette caisse</button>
</form>`;
}

export interface TillPageData {
  outletName: string;
  categories: string[];
  formKey: string;
  outcome?: TillOutcome;
  errors?: FieldErrors;
}

export function tillPage(ctx: PageContext, d: TillPageData): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/caisse-enregistreuse`;
  const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
  return html`<p class="till-outlet">Point de vente : <strong>${d.outletName}</strong></p>
<p id="till-network" class="till-network" role="status" hidden></p>
${outcomeBlock(d.outcome)}
<form id="till-form" class="till-form" method="post" action="${base}/achat" data-base="${base}" data-csrf="${ctx.csrf}"
  data-offline-ceiling="${OFFLINE_POLICY.perCardCeiling}" data-offline-max="${String(OFFLINE_POLICY.maxQueued)}">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${d.formKey}">
  <fieldset>
    <legend>Carte du membre</legend>
    ${field({ name: 'card', label: 'Numéro de carte', inputmode: 'numeric', autocomplete: 'off', errors: d.errors })}
    <p><button type="button" id="till-scan" class="secondary" hidden>Scanner le QR code</button></p>
    <div id="till-camera" class="till-camera" hidden><video id="till-video" muted playsinline aria-label="Caméra : visez le QR code du membre"></video>
      <button type="button" id="till-scan-stop" class="secondary">Arrêter la caméra</button></div>
    ${field({ name: 'qr', label: 'QR code (rempli par le scan, ou collé)', autocomplete: 'off', errors: d.errors })}
  </fieldset>
  <fieldset>
    <legend>Montant</legend>
    ${field({ name: 'amount', label: 'Montant total (€)', inputmode: 'decimal', autocomplete: 'off', errors: d.errors, hint: 'Ou bien détaillez par catégorie ci-dessous.' })}
    ${d.categories.length > 0 &&
    html`<details class="till-lines"><summary>Détail par catégorie</summary>
      ${d.categories.map((c) => field({ name: `${CATEGORY_FIELD}${c}`, label: `${c} (€)`, inputmode: 'decimal', autocomplete: 'off' }))}
    </details>`}
  </fieldset>
  <fieldset>
    <legend>Code de la carte</legend>
    ${field({ name: 'pin', label: 'Code (4 chiffres)', type: 'password', inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]{4}', errors: d.errors })}
    <div id="till-pinpad" class="till-pinpad" hidden>
      ${digits.map((n) => html`<button type="button" class="secondary" data-digit="${n}">${n}</button>`)}
      <button type="button" class="secondary" data-digit="back" aria-label="Effacer le dernier chiffre">⌫</button>
    </div>
  </fieldset>
  <button type="submit" class="till-submit">Encaisser</button>
</form>
<section aria-labelledby="till-queue-title" id="till-queue" hidden>
  <h2 id="till-queue-title">Hors ligne</h2>
  <p>Sans réseau, la caisse garde les achats sur cet appareil (au plus ${OFFLINE_POLICY.maxQueued} achats, au plus
  <span class="amount">${formatAmount(OFFLINE_POLICY.perCardCeiling)}</span> par carte, numéro de carte seulement) et les
  envoie dès que le réseau revient.</p>
  <p id="till-queue-count" role="status"></p>
  <button type="button" id="till-sync" class="secondary">Envoyer maintenant</button>
  <ul id="till-sync-results"></ul>
</section>
<p><a href="${base}/journal">Achats du jour, remboursements et total Z</a></p>`;
}
