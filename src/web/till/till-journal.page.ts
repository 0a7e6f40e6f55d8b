import type { DailyPurchasesDto } from '../../purchases/dto/daily-purchases.dto.js';
import { formatAmount, formatDate, formatDateTime } from '../view/format.js';
import { csrfField, field, formError, notice, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export interface JournalData {
  day: DailyPurchasesDto;
  newKey: () => string;
  done?: boolean;
  error?: string;
  errors?: FieldErrors;
}

/** Today's purchases of the till's outlet, a refund form under each, and the Z total. */
export function journalPage(ctx: PageContext, d: JournalData): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/caisse-enregistreuse`;
  const s = d.day.summary;
  return html`${notice(d.done ? 'Remboursement enregistré : le montant est revenu sur le compte du membre.' : undefined)}
${formError(d.error)}
<h2>Total Z du ${formatDate(d.day.date)}</h2>
<dl class="cards">
  <div class="card"><dt>Achats</dt><dd class="figure">${s.count}</dd></div>
  <div class="card"><dt>Total</dt><dd class="figure amount">${formatAmount(s.total)}</dd></div>
  <div class="card"><dt>Pris en charge</dt><dd class="figure amount">${formatAmount(s.covered)}</dd></div>
  <div class="card"><dt>Payé par les membres</dt><dd class="figure amount">${formatAmount(s.memberPays)}</dd></div>
  <div class="card"><dt>Remboursements</dt><dd class="figure amount">${formatAmount(s.refunded)}</dd></div>
</dl>
<details><summary>Rapport Z à imprimer</summary><pre>${s.text}</pre></details>
<h2>Achats du jour</h2>
${d.day.purchases.length === 0
  ? html`<p>Aucun achat aujourd’hui.</p>`
  : html`<div class="table-wrap"><table>
  <caption class="sr-only">Achats du jour, par numéro de ticket</caption>
  <thead><tr><th scope="col">Ticket</th><th scope="col">Heure</th><th scope="col" class="num">Montant</th><th scope="col" class="num">Pris en charge</th><th scope="col" class="num">Payé par le membre</th><th scope="col">Rembourser</th></tr></thead>
  <tbody>${d.day.purchases.map(
    (p) => html`<tr>
    <td>${p.receiptNo}</td><td>${formatDateTime(p.createdAt)}</td>
    <td class="num">${formatAmount(p.amount)}</td><td class="num">${formatAmount(p.covered)}</td><td class="num">${formatAmount(p.memberPays)}</td>
    <td><details><summary>Ticket ${p.receiptNo}</summary>
      <form method="post" action="${base}/remboursement">
        ${csrfField(ctx)}
        <input type="hidden" name="purchaseId" value="${p.id}">
        <input type="hidden" name="idempotencyKey" value="${d.newKey()}">
        ${field({ name: `amount-${p.receiptNo}`, label: 'Montant rendu au compte (€)', inputmode: 'decimal', required: true, errors: d.errors, errorKey: 'amount' })}
        ${field({ name: `reason-${p.receiptNo}`, label: 'Motif', required: true, errors: d.errors, errorKey: 'reason' })}
        <button type="submit">Rembourser</button>
      </form>
    </details></td>
  </tr>`,
  )}</tbody>
</table></div>`}
<p><a href="${base}">Retour à la caisse</a></p>`;
}
