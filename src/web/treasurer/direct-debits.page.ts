import type { DirectDebitBatchSummary } from '../../contributions/contributions.types.js';
import { R_REASONS, type BatchDto, type DirectDebitSettingsDto, type SepaMandateDto } from '../../contributions/dto/direct-debit.dto.js';
import { formatAmount, formatDate, formatDateTime, formatPeriod } from '../view/format.js';
import { csrfField, field, formError, notice, select, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

const BATCH_STATUS: Record<string, string> = {
  built: 'Préparé (à envoyer à la banque)',
  sent: 'Envoyé à la banque',
  settled: 'Crédité par la banque',
  cancelled: 'Annulé',
};
export const batchStatus = (s: string) => BATCH_STATUS[s] ?? s;
const SEQUENCE: Record<string, string> = { FRST: 'Premier (FRST)', RCUR: 'Récurrent (RCUR)' };

export interface BatchesView {
  batches: DirectDebitBatchSummary[];
  settings?: DirectDebitSettingsDto;
  mandates: SepaMandateDto[];
  members: Map<string, string>;
  form: Record<string, string>;
  key: string;
  errors?: FieldErrors;
  error?: string;
  message?: string;
}

export function batchesPage(ctx: PageContext, v: BatchesView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/prelevements`;
  return html`${notice(v.message)}<section aria-labelledby="new-batch"><h2 id="new-batch">Préparer un prélèvement</h2>
${v.settings
  ? html`<p>Créancier : ${v.settings.creditorName}, ICS ${v.settings.creditorId}.</p>
${formError(v.error)}
<form method="post" action="${base}">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${v.key}">
  ${field({ name: 'period', label: 'Mois des cotisations', type: 'month', value: v.form.period, errors: v.errors, required: true, hint: 'Format AAAA-MM, par exemple 2027-02.' })}
  ${field({ name: 'collectionDate', label: 'Date d’échéance', type: 'date', value: v.form.collectionDate, errors: v.errors, required: true, hint: 'Un jour ouvré TARGET2, au moins un jour ouvré après aujourd’hui.' })}
  ${field({ name: 'bankAccount', label: 'Compte bancaire crédité', value: v.form.bankAccount, errors: v.errors, inputmode: 'numeric', hint: 'Par exemple 5121 ; vide : le compte par défaut.' })}
  <button type="submit">Préparer le prélèvement</button>
</form>`
  : html`<p>Le prélèvement n’est pas configuré : l’identifiant créancier SEPA (ICS) et le compte de la caisse doivent d’abord être enregistrés.</p>`}
<p><a href="${base}/parametres">${v.settings ? 'Modifier les paramètres du prélèvement (ICS, compte crédité)' : 'Configurer le prélèvement (ICS, compte crédité)'}</a></p>
</section>
<section aria-labelledby="batches"><h2 id="batches">Remises de prélèvements</h2>
${v.batches.length === 0
  ? html`<p>Aucune remise pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Remise</th><th scope="col">Mois</th><th scope="col">Échéance</th><th scope="col">Statut</th><th scope="col" class="num">Opérations</th><th scope="col" class="num">Total</th></tr></thead>
  <tbody>${v.batches.map(
    (b) => html`<tr><td><a href="${base}/${b.id}">${b.messageId}</a></td><td>${formatPeriod(b.period)}</td><td>${formatDate(b.collectionDate)}</td>
      <td>${batchStatus(b.status)}</td><td class="num">${b.transactions}</td><td class="num amount">${formatAmount(b.controlSum)}</td></tr>`,
  )}</tbody></table></div>`}
</section>
<section aria-labelledby="mandates"><h2 id="mandates">Mandats actifs</h2>
<p>Un mandat signé s’enregistre depuis la fiche du membre (« Enregistrer un mandat de prélèvement »).</p>
${v.mandates.length === 0
  ? html`<p>Aucun mandat actif.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Membre</th><th scope="col">Référence (RUM)</th><th scope="col">Signé le</th><th scope="col">Titulaire</th><th scope="col">IBAN</th><th scope="col">Prochain</th><th scope="col">Alerte</th></tr></thead>
  <tbody>${v.mandates.map(
    (m) => html`<tr><td><a href="/caisses/${ctx.caisse!.id}/membres/${m.memberId}">${v.members.get(m.memberId) ?? 'Membre'}</a></td><td>${m.reference}</td><td>${formatDate(m.signedOn)}</td>
      <td>${m.debtorName}</td><td>${m.iban}</td><td>${SEQUENCE[m.nextSequenceType] ?? m.nextSequenceType}</td>
      <td>${m.flaggedAt ? html`<strong class="flag">Retour ${m.flagReason ?? ''} le ${formatDateTime(m.flaggedAt)}</strong>` : '—'}</td></tr>`,
  )}</tbody></table></div>`}
</section>`;
}

export interface BatchView {
  batch: BatchDto;
  members: Map<string, string>;
  form: Record<string, string>;
  errors?: FieldErrors;
  error?: string;
  message?: string;
}

export function batchPage(ctx: PageContext, v: BatchView): SafeHtml {
  const b = v.batch;
  const base = `/caisses/${ctx.caisse!.id}/prelevements/${b.id}`;
  const open = b.items.filter((i) => !i.returnedOn);
  return html`${notice(v.message)}${formError(v.error)}
<dl class="facts">
  <dt>Statut</dt><dd>${batchStatus(b.status)}</dd>
  <dt>Mois</dt><dd>${formatPeriod(b.period)}</dd>
  <dt>Échéance</dt><dd>${formatDate(b.collectionDate)}</dd>
  <dt>Opérations</dt><dd>${b.transactions}</dd>
  <dt>Total</dt><dd class="amount">${formatAmount(b.controlSum)}</dd>
  ${b.builtOn && html`<dt>Préparé le</dt><dd>${formatDate(b.builtOn)}</dd>`}
  ${b.sentAt && html`<dt>Envoyé le</dt><dd>${formatDateTime(b.sentAt)}</dd>`}
  ${b.settledOn && html`<dt>Crédité le</dt><dd>${formatDate(b.settledOn)}</dd>`}
</dl>
<p><a class="button" href="${base}/pain008" download>Télécharger le fichier pain.008</a></p>
${b.status === 'built' && html`<form method="post" action="${base}/envoi" class="inline-form">${csrfField(ctx)}<button type="submit">Marquer comme envoyé à la banque</button></form>`}
${settleForm(ctx, base, v)}
${cancelForm(ctx, base, v)}
<h2>Opérations</h2>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">Membre</th><th scope="col">Référence de bout en bout</th><th scope="col">Séquence</th><th scope="col" class="num">Montant</th><th scope="col">Retour</th></tr></thead>
  <tbody>${b.items.map(
    (i) => html`<tr><td><a href="/caisses/${ctx.caisse!.id}/membres/${i.memberId}">${v.members.get(i.memberId) ?? 'Membre'}</a></td><td>${i.endToEndId}</td>
      <td>${SEQUENCE[i.sequenceType] ?? i.sequenceType}</td><td class="num amount">${formatAmount(i.amount)}</td>
      <td>${i.returnedOn ? `Retourné le ${formatDate(i.returnedOn)} (${i.returnReason ?? ''}${i.returnFee ? `, frais ${formatAmount(i.returnFee)}` : ''})` : '—'}</td></tr>`,
  )}</tbody></table></div>
${b.status !== 'cancelled' && open.length > 0
  ? html`<section aria-labelledby="return"><h2 id="return">Enregistrer un retour (rejet, impayé, remboursement)</h2>
<p>Le retour annule l’appel de cotisation, reprend l’argent sur le compte bancaire si la remise a été créditée, passe les frais en 627 et signale le mandat.</p>
<form method="post" action="${base}/retours">
  ${csrfField(ctx)}
  ${select({ name: 'endToEndId', label: 'Opération retournée', value: v.form.endToEndId, errors: v.errors, options: open.map((i) => ({ value: i.endToEndId, label: `${i.endToEndId} — ${formatAmount(i.amount)}` })) })}
  ${select({ name: 'reasonCode', label: 'Motif (code ISO)', value: v.form.reasonCode ?? 'AM04', errors: v.errors, options: R_REASONS.map((r) => ({ value: r, label: r })) })}
  ${field({ name: 'returnedOn', label: 'Date du retour', type: 'date', value: v.form.returnedOn, errors: v.errors, required: true })}
  ${field({ name: 'fee', label: 'Frais de rejet (€)', value: v.form.fee, errors: v.errors, inputmode: 'decimal', hint: 'Facultatif. Exemple : 0,50.' })}
  <button type="submit">Enregistrer le retour</button>
</form></section>`
  : ''}`;
}

/** A required confirmation box, with its error (key `key` of the errors) wired to it. */
function confirmBox(id: string, key: string, label: string, errors?: FieldErrors): SafeHtml {
  const messages = errors?.[key] ?? [];
  return html`<div class="field check${messages.length ? ' has-error' : ''}">
  ${messages.length > 0 && html`<p class="error" id="${id}-error">${messages.join(' ')}</p>`}
  <input id="${id}" type="checkbox" name="confirm" value="oui" required${messages.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
  <label for="${id}">${label}</label></div>`;
}

/** « Régler » : the bank's credit recorded by hand, for a batch built or sent (a statement import may also settle it). */
function settleForm(ctx: PageContext, base: string, v: BatchView): SafeHtml | '' {
  if (v.batch.status !== 'built' && v.batch.status !== 'sent') return '';
  return html`<section aria-labelledby="settle"><h2 id="settle">Régler la remise</h2>
<p>À faire quand le relevé de banque montre le crédit de la remise : le montant non retourné est passé au débit du compte bancaire, au crédit de chaque membre. L’import du relevé le fait aussi au rapprochement.</p>
<form method="post" action="${base}/reglement">
  ${csrfField(ctx)}
  ${field({ name: 'settledOn', label: 'Date du crédit en banque', type: 'date', value: v.form.settledOn, errors: v.errors, required: true })}
  ${confirmBox('f-settle-confirm', 'settleConfirm', 'Je confirme que la banque a crédité cette remise', v.errors)}
  <button type="submit">Régler la remise</button>
</form></section>`;
}

/** « Annuler » : only before the file went to the bank; the calls of dues are reversed. */
function cancelForm(ctx: PageContext, base: string, v: BatchView): SafeHtml | '' {
  if (v.batch.status !== 'built') return '';
  return html`<section aria-labelledby="cancel"><h2 id="cancel">Annuler la remise</h2>
<p>Seulement si le fichier n’a pas été remis à la banque : les appels de cotisations de la remise sont contre-passés et les membres pourront être prélevés dans une autre remise.</p>
<form method="post" action="${base}/annulation">
  ${csrfField(ctx)}
  ${confirmBox('f-cancel-confirm', 'cancelConfirm', 'Je confirme l’annulation de cette remise', v.errors)}
  <button type="submit" class="secondary">Annuler la remise</button>
</form></section>`;
}
