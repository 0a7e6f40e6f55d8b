import type { MemberDto } from '../../members/dto/member.dto.js';
import { formatAmount, formatPeriod } from '../view/format.js';
import { field, type FieldErrors, formError, postForm, select } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export const METHODS_FR = [
  { value: 'cheque', label: 'Chèque (à remettre en banque)' },
  { value: 'cash', label: 'Espèces (en caisse jusqu’au dépôt)' },
  { value: 'transfer', label: 'Virement' },
  { value: 'card', label: 'Carte bancaire' },
];

export interface PaymentView {
  member: MemberDto;
  period: string;
  due?: string;
  paid?: string;
  values: Record<string, string>;
  key: string;
  errors?: FieldErrors;
  error?: string;
  /** The waiver form's reason as typed (its errors are under `reason`). */
  reason?: string;
}

/** A member's contribution received at the permanence or by transfer, for one month. */
export function paymentPage(ctx: PageContext, v: PaymentView): SafeHtml {
  const m = v.member;
  return html`${formError(v.error)}
<p>Membre <a href="/caisses/${ctx.caisse!.id}/membres/${m.id}">${m.firstName} ${m.lastName}</a> (${m.number}), cotisation de ${formatPeriod(v.period)}${
    v.due !== undefined ? html` : due <span class="amount">${formatAmount(v.due)}</span>, déjà réglée <span class="amount">${formatAmount(v.paid ?? '0')}</span>` : ''
  }.</p>
${postForm(
  ctx,
  `/caisses/${ctx.caisse!.id}/contributions/paiement`,
  html`<input type="hidden" name="idempotencyKey" value="${v.key}">
  <input type="hidden" name="memberId" value="${m.id}">
  ${field({ name: 'period', label: 'Mois de la cotisation', type: 'month', value: v.values.period, errors: v.errors, required: true })}
  ${field({ name: 'amount', label: 'Montant reçu (€)', value: v.values.amount, errors: v.errors, required: true, inputmode: 'decimal', hint: 'Par exemple 30,00.' })}
  ${select({ name: 'method', label: 'Moyen de paiement', value: v.values.method, errors: v.errors, required: true, options: METHODS_FR })}
  ${field({ name: 'receivedOn', label: 'Reçu le', type: 'date', value: v.values.receivedOn, errors: v.errors, required: true })}
  ${field({ name: 'bankAccount', label: 'Compte bancaire crédité (virement, carte)', value: v.values.bankAccount, errors: v.errors, inputmode: 'numeric', hint: 'Par exemple 5121 ; vide : le compte par défaut.' })}`,
  'Enregistrer le paiement',
)}
<section aria-labelledby="waiver"><h2 id="waiver">Dispenser de cotisation</h2>
<p>Pour un membre dont la situation a été examinée : le mois ne lui est plus dû et son allocation n’est pas retenue.</p>
${postForm(
  ctx,
  `/caisses/${ctx.caisse!.id}/contributions/paiement/dispense`,
  html`<input type="hidden" name="memberId" value="${m.id}">
  <input type="hidden" name="period" value="${v.period}">
  ${field({ name: 'reason', label: `Motif de la dispense pour ${formatPeriod(v.period)}`, value: v.reason, errors: v.errors, required: true, hint: '500 caractères au plus ; gardé au journal d’audit.' })}`,
  'Dispenser ce mois',
)}</section>`;
}
