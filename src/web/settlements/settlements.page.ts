import type { SettlementRunDto } from '../../settlements/dto/settlement-run.dto.js';
import { field, formError, select, csrfField, type FieldErrors, uploadForm } from '../view/forms.js';
import { formatAmount, formatDate, formatDateTime } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

const RUN_STATUS: Record<string, string> = {
  draft: 'Brouillon (à approuver)',
  approved: 'Approuvé (à exporter)',
  exported: 'Exporté vers la banque',
  paid: 'Payé',
  'partly-paid': 'Payé en partie',
  cancelled: 'Annulé',
};
const LINE_STATUS: Record<string, string> = { pending: 'En attente', paid: 'Payé', rejected: 'Rejeté par la banque', returned: 'Retourné' };

export const runStatus = (s: string) => RUN_STATUS[s] ?? s;

export interface RunsView {
  runs: SettlementRunDto[];
  form: Record<string, string>;
  key: string;
  error?: string;
  errors?: FieldErrors;
}

/** The runs, newest first, and the form preparing a new one. */
export function runsPage(ctx: PageContext, v: RunsView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/reglements`;
  return html`<section aria-labelledby="new-run"><h2 id="new-run">Préparer un règlement</h2>
${formError(v.error)}
<form method="post" action="${base}">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${v.key}">
  ${field({ name: 'until', label: 'Achats enregistrés jusqu’au', type: 'date', value: v.form.until, errors: v.errors, required: true })}
  ${field({ name: 'bankAccount', label: 'Compte bancaire débité', value: v.form.bankAccount, errors: v.errors, hint: 'Par exemple 5121 ; vide : le compte par défaut de la caisse.', inputmode: 'numeric' })}
  ${field({ name: 'minAmount', label: 'Montant minimum par point de vente (€)', value: v.form.minAmount, errors: v.errors, hint: 'En dessous, le montant est reporté au règlement suivant. Exemple : 20,00.', inputmode: 'decimal' })}
  <div class="field"><input id="f-instant" type="checkbox" name="instant" value="true"${v.form.instant === 'true' ? html` checked` : ''}> <label for="f-instant">Virements instantanés (SEPA Inst)</label></div>
  <button type="submit">Préparer le règlement</button>
</form></section>
<section aria-labelledby="runs"><h2 id="runs">Règlements</h2>
${v.runs.length === 0
  ? html`<p>Aucun règlement pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">N°</th><th scope="col">Jusqu’au</th><th scope="col">Statut</th><th scope="col" class="num">Lignes</th><th scope="col" class="num">Total</th><th scope="col">Préparé le</th></tr></thead>
  <tbody>${v.runs.map(
    (r) => html`<tr><td><a href="${base}/${r.id}">Règlement n° ${r.runNo}</a></td><td>${formatDate(r.until)}</td><td>${runStatus(r.status)}</td>
      <td class="num">${r.lineCount}</td><td class="num">${formatAmount(r.total)}</td><td>${formatDateTime(r.createdAt)}</td></tr>`,
  )}</tbody></table></div>`}
</section>`;
}

/** One run: its lines (flags for recent IBAN changes), and the next step its status allows. */
export function runPage(ctx: PageContext, run: SettlementRunDto, error?: string): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/reglements/${run.id}`;
  const me = ctx.principal?.kind === 'user' ? ctx.principal.userId : undefined;
  const flagged = run.lines.filter((l) => l.ibanFlagged);
  return html`${formError(error)}
<dl class="facts">
  <dt>Statut</dt><dd>${runStatus(run.status)}</dd>
  <dt>Achats jusqu’au</dt><dd>${formatDate(run.until)}</dd>
  <dt>Compte débité</dt><dd>${run.bankAccount}</dd>
  <dt>Total</dt><dd>${formatAmount(run.total)}</dd>
  <dt>Virements</dt><dd>${run.instant ? 'Instantanés' : 'Standard'}</dd>
  <dt>Préparé le</dt><dd>${formatDateTime(run.createdAt)}</dd>
  ${run.approvedAt && html`<dt>Approuvé le</dt><dd>${formatDateTime(run.approvedAt)}</dd>`}
  ${run.exportedAt && html`<dt>Exporté le</dt><dd>${formatDateTime(run.exportedAt)} (message ${run.messageId})</dd>`}
</dl>
<h2>Lignes</h2>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">Point de vente</th><th scope="col">IBAN</th><th scope="col" class="num">Montant</th><th scope="col">Depuis le</th><th scope="col">Référence</th><th scope="col">Statut</th><th scope="col">Relevé</th></tr></thead>
  <tbody>${run.lines.map(
    (l) => html`<tr><td>${l.payeeName} (${l.outletCode})</td>
      <td>${l.iban}${l.ibanFlagged ? html` <strong class="flag">IBAN modifié ${l.ibanChangedAt ? html`le ${formatDateTime(l.ibanChangedAt)}` : 'récemment'}${l.ibanConfirmedBy ? ' — confirmé' : ''}</strong>` : ''}</td>
      <td class="num">${formatAmount(l.amount)}</td><td>${formatDate(l.periodFrom)}</td><td>${l.endToEndId}</td>
      <td>${LINE_STATUS[l.status] ?? l.status}${l.bankStatus ? ` (banque : ${l.bankStatus}${l.reasonCode ? ` ${l.reasonCode}` : ''})` : ''}</td>
      <td>${run.messageId ? html`<a href="${base}/releves/${l.outletId}" download>PDF</a> · <a href="${base}/releves/${l.outletId}?format=csv" download>CSV</a>` : '—'}</td></tr>`,
  )}</tbody></table></div>
${run.status === 'draft' ? approveForm(ctx, run, base, me, flagged) : ''}
${run.status === 'approved' ? html`<h2>Export</h2><form method="post" action="${base}/exporter">${csrfField(ctx)}
  ${select({ name: 'version', label: 'Format pain.001', options: [{ value: '09', label: 'pain.001.001.09 (actuel)' }, { value: '03', label: 'pain.001.001.03 (ancien)' }], value: '09' })}
  <button type="submit">Exporter vers la banque</button></form>` : ''}
${run.messageId ? html`<h2>Fichier de virements</h2><ul>
  <li><a href="${base}/pain001?version=09" download>Télécharger le pain.001.001.09</a></li>
  <li><a href="${base}/pain001?version=03" download>Télécharger le pain.001.001.03</a></li></ul>` : ''}
${run.status === 'exported' ? statusReportForm(ctx, base) : ''}
${run.messageId && run.lines.some((l) => l.status === 'pending' || l.status === 'paid') ? returnForm(ctx, run, base) : ''}`;
}

/** The bank's pain.002 for the exported file: rejected transfers are reversed and shown in the lines above. */
function statusReportForm(ctx: PageContext, base: string): SafeHtml {
  return html`<h2>Avis de la banque (pain.002)</h2>
${uploadForm(
  ctx,
  `${base}/avis-de-la-banque`,
  html`<div class="field"><label for="f-pain002">Fichier pain.002 reçu de la banque <span class="required">(obligatoire)</span></label>
  <p class="hint" id="f-pain002-hint">Les virements rejetés sont annulés (le point de vente redevient créancier) ; l’envoyer deux fois ne change rien.</p>
  <input id="f-pain002" name="file" type="file" accept=".xml" required aria-describedby="f-pain002-hint"></div>`,
  'Enregistrer l’avis de la banque',
)}`;
}

/** A transfer the bank returned after execution: the payout is reversed and the purchases are owed again. */
function returnForm(ctx: PageContext, run: SettlementRunDto, base: string): SafeHtml {
  return html`<h2>Virement retourné</h2>
${run.lines
  .filter((l) => l.status === 'pending' || l.status === 'paid')
  .map(
    (l) => html`<form method="post" action="${base}/lignes/${l.id}/retour" class="inline-form">${csrfField(ctx)}
  <fieldset><legend>${l.payeeName} (${l.endToEndId})</legend>
  <div class="field"><label for="r-${l.id}">Motif du retour (code ISO ou texte)</label><input id="r-${l.id}" name="reason" required minlength="2" maxlength="140"></div>
  <div class="field"><label for="d-${l.id}">Date du retour</label><input id="d-${l.id}" name="returnedOn" type="date" required></div>
  <button type="submit">Marquer retourné</button></fieldset>
</form>`,
  )}`;
}

function approveForm(ctx: PageContext, run: SettlementRunDto, base: string, me: string | undefined, flagged: SettlementRunDto['lines']): SafeHtml {
  if (me && me === run.createdBy) {
    return html`<h2>Approbation</h2><p class="alert alert-info" role="note">Vous avez préparé ce règlement : une autre personne (trésorier ou administrateur) doit l’approuver.</p>`;
  }
  return html`<h2>Approbation</h2>
<form method="post" action="${base}/approuver">${csrfField(ctx)}
  ${flagged.length > 0 && html`<fieldset><legend>L’IBAN de ces points de vente a changé récemment : confirmez chacun après vérification</legend>
    ${flagged.map((l) => html`<div class="field"><input type="checkbox" id="c-${l.id}" name="confirm" value="${l.id}"> <label for="c-${l.id}">${l.payeeName} : ${l.iban}</label></div>`)}
  </fieldset>`}
  <button type="submit">Approuver le règlement (deuxième signature)</button>
</form>`;
}
