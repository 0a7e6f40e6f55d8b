import type { BankLineDto } from '../../reconciliation/dto/bank-line.dto.js';
import type { ReconciliationDto } from '../../reconciliation/dto/reconciliation.dto.js';
import { csrfField, formError, notice } from '../view/forms.js';
import { formatAmount, formatDate, formatPercent } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

const RULE_FR: Record<string, string> = {
  'end-to-end': 'Référence de virement',
  batch: 'Remise groupée',
  'direct-debit': 'Remise de prélèvements',
  reference: 'Référence',
  'amount-date': 'Montant et date',
  manual: 'À la main',
  suggestion: 'Écriture passée',
};
const KIND_FR: Record<string, string> = { fee: 'Frais bancaires (627)', interest: 'Intérêts (768)', suspense: 'Compte d’attente (471)' };

export interface MatchingView {
  account: string;
  open: BankLineDto[];
  /** The newest matched lines, newest first (at most `matchedShown`). */
  matched: BankLineDto[];
  matchedShown: number;
  asOf: string;
  /** The rapprochement at `asOf`, or why there is none (no statement yet). */
  report?: ReconciliationDto;
  noReport?: string;
  /** One Idempotency-Key per suggestion form (a double submit posts one entry). */
  keys: Map<string, string>;
  error?: string;
  done?: string;
}

/** The matching screen of one bank account: open lines with their proposal or suggestion, matched lines, the état. */
export function matchingPage(ctx: PageContext, v: MatchingView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/banque`;
  const { open, matched } = v;
  return html`${formError(v.error)}${notice(v.done)}
<p><a href="${base}">Retour aux relevés</a></p>
<section aria-labelledby="open"><h2 id="open">Lignes à rapprocher (${open.length})</h2>
${open.length === 0
  ? html`<p>Toutes les lignes bancaires de ce compte sont rapprochées.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Date</th><th scope="col">Libellé</th><th scope="col" class="num">Montant</th><th scope="col">Proposition</th></tr></thead>
  <tbody>${open.map((l) => html`<tr><td>${formatDate(l.bookedOn)}</td><td>${describe(l)}</td><td class="num">${formatAmount(l.amount, { sign: true })}</td>
    <td>${l.proposal ? proposalForm(ctx, base, v.account, l) : ''}${suggestionForm(ctx, base, v.account, l, v.keys.get(l.id) ?? '')}</td></tr>`)}</tbody></table></div>`}
</section>
<section aria-labelledby="matched"><h2 id="matched">Lignes rapprochées (${matched.length < v.matchedShown ? matched.length : html`les ${v.matchedShown} plus récentes`})</h2>
${matched.length === 0
  ? html`<p>Aucune ligne rapprochée pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Date</th><th scope="col">Libellé</th><th scope="col" class="num">Montant</th><th scope="col">Lettre</th><th scope="col">Règle</th><th scope="col">Action</th></tr></thead>
  <tbody>${matched.map((l) => html`<tr><td>${formatDate(l.bookedOn)}</td><td>${describe(l)}</td><td class="num">${formatAmount(l.amount, { sign: true })}</td>
    <td>${l.letter ?? ''}</td><td>${RULE_FR[l.rule ?? ''] ?? l.rule ?? ''}</td>
    <td><form method="post" action="${base}/rapprochements/${l.matchId}/annuler" class="inline-form">${csrfField(ctx)}<input type="hidden" name="account" value="${v.account}">
      <button type="submit" aria-label="Annuler le rapprochement de la ligne du ${formatDate(l.bookedOn)} (${formatAmount(l.amount)})">Annuler</button></form></td></tr>`)}</tbody></table></div>`}
</section>
<section aria-labelledby="etat"><h2 id="etat">État de rapprochement</h2>
<form method="get" action="${base}/comptes/${v.account}">
  <div class="field"><label for="f-asOf">Au</label><input id="f-asOf" name="au" type="date" value="${v.asOf}" required></div>
  <button type="submit">Afficher</button>
</form>
${v.report ? reportFacts(base, v.account, v.report) : html`<p>${v.noReport ?? ''}</p>`}
</section>`;
}

function describe(l: BankLineDto): SafeHtml {
  const extra = [l.counterpartyName, l.remittance, l.reference].filter((s) => s && s !== l.label);
  return html`${l.label}${extra.length ? html`<br><span class="hint">${extra.join(' · ')}</span>` : ''}`;
}

function proposalForm(ctx: PageContext, base: string, account: string, l: BankLineDto): SafeHtml {
  const p = l.proposal!;
  return html`<form method="post" action="${base}/lignes/${l.id}/rapprocher" class="inline-form">${csrfField(ctx)}<input type="hidden" name="account" value="${account}">
  <p>${RULE_FR[p.rule] ?? p.rule} : ${p.bookLines.length} écriture${p.bookLines.length > 1 ? 's' : ''} (confiance ${formatPercent(p.confidence)})</p>
  <button type="submit" aria-label="Accepter la proposition pour la ligne du ${formatDate(l.bookedOn)} (${formatAmount(l.amount)})">Accepter la proposition</button></form>`;
}

function suggestionForm(ctx: PageContext, base: string, account: string, l: BankLineDto, key: string): SafeHtml {
  const id = `k-${l.id}`;
  return html`<form method="post" action="${base}/lignes/${l.id}/ecriture" class="suggestion-form">${csrfField(ctx)}<input type="hidden" name="account" value="${account}"><input type="hidden" name="idempotencyKey" value="${key}">
  <label for="${id}">Passer en</label> <select id="${id}" name="kind">${Object.entries(KIND_FR).map(
    ([k, label]) => html`<option value="${k}"${k === l.suggestion ? html` selected` : ''}>${label}</option>`,
  )}</select>
  <button type="submit" aria-label="Passer l’écriture suggérée pour la ligne du ${formatDate(l.bookedOn)} (${formatAmount(l.amount)})">Passer l’écriture</button></form>`;
}

function reportFacts(base: string, account: string, r: ReconciliationDto): SafeHtml {
  const file = (format: string) => `${base}/comptes/${account}/etat?au=${r.asOf}&format=${format}`;
  return html`<dl class="facts">
  <dt>Solde selon la banque</dt><dd>${formatAmount(r.bankBalance)}</dd>
  <dt>Solde selon les livres</dt><dd>${formatAmount(r.bookBalance)}</dd>
  <dt>Écart</dt><dd>${formatAmount(r.difference)}</dd>
  <dt>Expliqué par les lignes en suspens</dt><dd>${formatAmount(r.explained)}</dd>
  <dt>Inexpliqué</dt><dd>${formatAmount(r.unexplained)}</dd>
  <dt>Rapprochement</dt><dd>${r.reconciledTo ? html`<strong>Rapproché au ${formatDate(r.reconciledTo)}</strong>` : 'Non rapproché'}</dd>
</dl>
<ul><li><a href="${file('pdf')}" download>Télécharger l’état de rapprochement (PDF)</a></li><li><a href="${file('csv')}" download>Télécharger l’état de rapprochement (CSV)</a></li></ul>`;
}
