import type { BankAccountDto } from '../../ledger/dto/treasury.dto.js';
import type { StatementSummaryDto } from '../../reconciliation/dto/statement.dto.js';
import { formError, notice, uploadForm } from '../view/forms.js';
import { formatAmount, formatDate, formatDateTime } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export const FORMAT_FR: Record<string, string> = { camt053: 'camt.053', cfonb120: 'CFONB 120', csv: 'CSV' };

/** Where an account stands: reconciled at its last statement's date, or how many bank lines are left. */
export interface AccountStanding {
  account: BankAccountDto;
  lastStatement?: string;
  reconciledTo: string | null;
  open: number;
}

export interface StatementsView {
  accounts: AccountStanding[];
  statements: StatementSummaryDto[];
  error?: string;
  detail?: string;
  done?: string;
}

/** Accounts with their reconciliation state, the upload form, and the statements imported so far. */
export function statementsPage(ctx: PageContext, v: StatementsView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/banque`;
  return html`${notice(v.done)}
<section aria-labelledby="accounts"><h2 id="accounts">Comptes bancaires</h2>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">Compte</th><th scope="col">IBAN</th><th scope="col" class="num">Solde comptable</th><th scope="col">Dernier relevé</th><th scope="col">Rapprochement</th><th scope="col">Pointage</th><th scope="col">Relevés CSV</th></tr></thead>
  <tbody>${v.accounts.map(
    (a) => html`<tr><td>${a.account.account} — ${a.account.label}</td><td>${a.account.iban ?? '—'}</td><td class="num">${formatAmount(a.account.balance)}</td>
      <td>${a.lastStatement ? formatDate(a.lastStatement) : 'Aucun'}</td>
      <td>${standing(a)}</td>
      <td><a href="${base}/comptes/${a.account.account}">Pointer le compte ${a.account.account}</a></td>
      <td><a href="${base}/comptes/${a.account.account}/lecture-csv">Lecture CSV du compte ${a.account.account}</a></td></tr>`,
  )}</tbody></table></div></section>
<section aria-labelledby="upload"><h2 id="upload">Importer un relevé</h2>
${formError(v.error)}
${v.detail ? html`<p class="error" id="upload-detail">Détail : ${v.detail}</p>` : ''}
${uploadForm(
  ctx,
  `${base}/releves`,
  html`<div class="field"><label for="f-file">Fichier du relevé (camt.053, CFONB 120 ou CSV) <span class="required">(obligatoire)</span></label>
  <p class="hint" id="f-file-hint">Tout le fichier est importé, ou rien. 20 Mo au plus.</p>
  <input id="f-file" name="file" type="file" required accept=".xml,.txt,.csv,.dat,.120" aria-describedby="f-file-hint"></div>
  <div class="field"><label for="f-bankAccount">Compte du relevé (pour un CSV seulement)</label>
  <select id="f-bankAccount" name="bankAccount"><option value="">Déduit du fichier (IBAN ou RIB)</option>
  ${v.accounts.map((a) => html`<option value="${a.account.account}">${a.account.account} — ${a.account.label}</option>`)}</select></div>`,
  'Importer le relevé',
)}</section>
<section aria-labelledby="statements"><h2 id="statements">Relevés importés</h2>
${v.statements.length === 0
  ? html`<p>Aucun relevé importé pour l’instant.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Compte</th><th scope="col">Période</th><th scope="col">Référence</th><th scope="col">Format</th><th scope="col" class="num">Solde d’ouverture</th><th scope="col" class="num">Solde de clôture</th><th scope="col" class="num">Lignes</th><th scope="col">Importé le</th></tr></thead>
  <tbody>${v.statements.map(
    (s) => html`<tr><td>${s.bankAccount}</td><td>${formatDate(s.fromDate)} – ${formatDate(s.toDate)}</td><td>${s.statementRef}${s.sequence ? ` (n° ${s.sequence})` : ''}</td>
      <td>${FORMAT_FR[s.format] ?? s.format}</td><td class="num">${formatAmount(s.opening)}</td><td class="num">${formatAmount(s.closing)}</td><td class="num">${s.lines}</td><td>${formatDateTime(s.importedAt)}</td></tr>`,
  )}</tbody></table></div>`}
</section>`;
}

function standing(a: AccountStanding): SafeHtml {
  if (!a.lastStatement) return html`—`;
  if (a.reconciledTo) return html`<strong>Rapproché au ${formatDate(a.reconciledTo)}</strong>`;
  return html`Non rapproché au ${formatDate(a.lastStatement)} : ${a.open} ligne${a.open > 1 ? 's' : ''} bancaire${a.open > 1 ? 's' : ''} à traiter`;
}
