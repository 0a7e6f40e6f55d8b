import { Decimal } from 'decimal.js';
import type { ContributorDto } from '../../contributions/dto/contributor.dto.js';
import type { GrantDto } from '../../contributions/dto/grant.dto.js';
import { formatAmount, formatDate, formatPercent } from '../view/format.js';
import { csrfField, field, formError, notice, select, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export interface Fund {
  code: string;
  label: string;
}

const fundLabel = (funds: Fund[], code: string | null) => (code === null ? 'Non affectée' : (funds.find((f) => f.code === code)?.label ?? code));

/** Share of the grant received, 0..1 (a progress bar and its text). */
function progress(g: GrantDto): number {
  return new Decimal(g.received).dividedBy(g.amount).toNumber();
}

function progressBar(g: GrantDto): SafeHtml {
  const p = progress(g);
  return html`<progress max="100" value="${Math.round(p * 100)}" aria-label="Part reçue de ${g.reference}">${formatPercent(p)}</progress> ${formatPercent(p)}`;
}

export interface GrantsView {
  grants: GrantDto[];
  contributors: ContributorDto[];
  funds: Fund[];
}

export function grantsPage(ctx: PageContext, v: GrantsView): SafeHtml {
  const root = `/caisses/${ctx.caisse!.id}`;
  const names = new Map(v.contributors.map((c) => [c.id, c]));
  const total = (k: 'amount' | 'received' | 'remaining') => v.grants.reduce((s, g) => s.plus(g[k]), new Decimal(0)).toFixed(2);
  return html`<p><a class="button" href="${root}/subventions/nouvelle">Enregistrer une convention</a></p>
${v.grants.length === 0
  ? html`<p>Aucune convention de subvention pour l’instant.</p>`
  : html`<p>Notifié <span class="amount">${formatAmount(total('amount'))}</span>, reçu <span class="amount">${formatAmount(total('received'))}</span>,
reste à recevoir <span class="amount">${formatAmount(total('remaining'))}</span>.</p>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">Référence</th><th scope="col">Financeur</th><th scope="col">Fonds dédié</th><th scope="col">Période</th>
    <th scope="col" class="num">Montant</th><th scope="col" class="num">Reçu</th><th scope="col" class="num">Reste</th><th scope="col">Avancement</th></tr></thead>
  <tbody>${v.grants.map((g) => {
    const c = names.get(g.contributorId);
    return html`<tr><td><a href="${root}/subventions/${g.id}">${g.reference}</a></td>
      <td>${c ? html`<a href="${root}/contributeurs/${c.id}">${c.name}</a>` : '—'}</td><td>${fundLabel(v.funds, g.fund)}</td>
      <td>${formatDate(g.from)} – ${formatDate(g.to)}</td><td class="num amount">${formatAmount(g.amount)}</td>
      <td class="num amount">${formatAmount(g.received)}</td><td class="num amount">${formatAmount(g.remaining)}</td><td>${progressBar(g)}</td></tr>`;
  })}</tbody>
</table></div>`}`;
}

export interface GrantView {
  grant: GrantDto;
  contributor: ContributorDto;
  funds: Fund[];
  tranche: Record<string, string>;
  key: string;
  errors?: FieldErrors;
  error?: string;
  message?: string;
}

export function grantPage(ctx: PageContext, v: GrantView): SafeHtml {
  const g = v.grant;
  const root = `/caisses/${ctx.caisse!.id}`;
  const open = new Decimal(g.remaining).greaterThan(0);
  return html`${notice(v.message)}
<dl class="facts">
  <dt>Financeur</dt><dd><a href="${root}/contributeurs/${v.contributor.id}">${v.contributor.name}</a></dd>
  <dt>Période couverte</dt><dd>${formatDate(g.from)} – ${formatDate(g.to)}</dd>
  <dt>Notifiée le</dt><dd>${formatDate(g.notifiedOn)}</dd>
  <dt>Fonds dédié</dt><dd>${fundLabel(v.funds, g.fund)}</dd>
  <dt>Montant de la convention</dt><dd class="amount">${formatAmount(g.amount)}</dd>
  <dt>Reçu</dt><dd class="amount" id="grant-received">${formatAmount(g.received)}</dd>
  <dt>Reste à recevoir</dt><dd class="amount" id="grant-remaining">${formatAmount(g.remaining)}</dd>
  <dt>Avancement</dt><dd>${progressBar(g)}</dd>
  <dt>Comptes</dt><dd>${g.receivableAccount} / ${g.incomeAccount}</dd>
</dl>
<section aria-labelledby="tranches"><h2 id="tranches">Tranches reçues</h2>
${g.tranches.length === 0
  ? html`<p>Aucune tranche reçue pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Reçue le</th><th scope="col" class="num">Montant</th><th scope="col" class="num">Cumul reçu</th><th scope="col" class="num">Reste attendu</th></tr></thead>
  <tbody>${g.tranches.reduce<{ rows: SafeHtml[]; sum: Decimal }>(
    (acc, t) => {
      const sum = acc.sum.plus(t.amount);
      acc.rows.push(html`<tr><td>${formatDate(t.receivedOn)}</td><td class="num amount">${formatAmount(t.amount)}</td>
        <td class="num amount">${formatAmount(sum.toFixed(2))}</td><td class="num amount">${formatAmount(new Decimal(g.amount).minus(sum).toFixed(2))}</td></tr>`);
      return { rows: acc.rows, sum };
    },
    { rows: [], sum: new Decimal(0) },
  ).rows}</tbody></table></div>`}
</section>
${open
  ? html`<section aria-labelledby="new-tranche"><h2 id="new-tranche">Enregistrer une tranche reçue</h2>
${formError(v.error)}
<form method="post" action="${root}/subventions/${g.id}/tranches">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${v.key}">
  ${field({ name: 'amount', label: 'Montant reçu (€)', value: v.tranche.amount, errors: v.errors, required: true, inputmode: 'decimal', hint: `Au plus ${formatAmount(g.remaining)}. Exemple : 12 500,00.` })}
  ${field({ name: 'receivedOn', label: 'Reçu le', type: 'date', value: v.tranche.receivedOn, errors: v.errors, required: true })}
  ${field({ name: 'bankAccount', label: 'Compte bancaire crédité', value: v.tranche.bankAccount, errors: v.errors, inputmode: 'numeric', hint: 'Par exemple 5121 ; vide : le compte par défaut.' })}
  <button type="submit">Enregistrer la tranche</button>
</form></section>`
  : html`<p>La convention est entièrement versée.</p>`}`;
}

export type GrantValues = Partial<Record<'contributorId' | 'reference' | 'amount' | 'from' | 'to' | 'notifiedOn' | 'fund', string>>;

export function newGrantPage(ctx: PageContext, o: { values: GrantValues; contributors: ContributorDto[]; funds: Fund[]; key: string; errors?: FieldErrors; error?: string }): SafeHtml {
  const v = o.values;
  const e = o.errors;
  const orgs = o.contributors.filter((c) => c.kind !== 'individual');
  const root = `/caisses/${ctx.caisse!.id}`;
  if (orgs.length === 0) return html`<p>Ajoutez d’abord le financeur : <a href="${root}/contributeurs/nouveau">ajouter un contributeur</a>.</p>`;
  return html`${formError(o.error)}
<form method="post" action="${root}/subventions">
  ${csrfField(ctx)}
  <input type="hidden" name="idempotencyKey" value="${o.key}">
  ${select({ name: 'contributorId', label: 'Financeur', value: v.contributorId, errors: e, required: true, options: orgs.map((c) => ({ value: c.id, label: `${c.name} (${c.number})` })) })}
  ${field({ name: 'reference', label: 'Référence de la convention', value: v.reference, errors: e, required: true, hint: 'Lettres, chiffres et . _ / - ; par exemple CONV-2027-014.' })}
  ${field({ name: 'amount', label: 'Montant notifié (€)', value: v.amount, errors: e, required: true, inputmode: 'decimal', hint: 'Exemple : 50 000,00.' })}
  ${field({ name: 'from', label: 'Début de la période couverte', type: 'date', value: v.from, errors: e, required: true })}
  ${field({ name: 'to', label: 'Fin de la période couverte', type: 'date', value: v.to, errors: e, required: true })}
  ${field({ name: 'notifiedOn', label: 'Date de notification', type: 'date', value: v.notifiedOn, errors: e, hint: 'Vide : le début de la période.' })}
  ${select({ name: 'fund', label: 'Fonds dédié', value: v.fund ?? '', errors: e, options: [{ value: '', label: 'Non affectée' }, ...o.funds.map((f) => ({ value: f.code, label: f.label }))] })}
  <button type="submit">Enregistrer la convention</button>
</form>`;
}
