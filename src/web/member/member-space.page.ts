import type { MemberContributionStatus, MemberDirectDebits } from '../../contributions/contributions.types.js';
import type { MemberDto } from '../../members/dto/member.dto.js';
import type { WalletDto, WalletMovementDto } from '../../members/dto/wallet.dto.js';
import { formatAmount, formatDate, formatPeriod } from '../view/format.js';
import { csrfField, field, formError, notice } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

const KIND_FR: Record<string, string> = { allocations: 'Allocation', purchases: 'Achat', refunds: 'Remboursement', expiries: 'Expiration', corrections: 'Correction' };
const CONTRIBUTION_FR: Record<string, string> = { due: 'À régler', paid: 'Réglée', partial: 'Réglée en partie', waived: 'Dispensée' };

export interface MemberSpaceView {
  member: MemberDto;
  wallet: WalletDto;
  /** The last months' statuses, newest first (a month the member was not active in shows nothing due). */
  months: MemberContributionStatus[];
  directDebits: MemberDirectDebits;
  period: string;
  message?: string;
  error?: string;
}

/** Every movement of the wallet, newest first, with what it was. */
function movements(wallet: WalletDto): (WalletMovementDto & { kind: string })[] {
  const kinds = ['allocations', 'purchases', 'refunds', 'expiries', 'corrections'] as const;
  return kinds
    .flatMap((k) => wallet[k].map((m) => ({ ...m, kind: KIND_FR[k] })))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

export function memberSpacePage(ctx: PageContext, v: MemberSpaceView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/membre`;
  const list = movements(v.wallet);
  return html`${notice(v.message)}${formError(v.error)}
<section aria-labelledby="solde" class="card">
  <h2 id="solde">Mon solde</h2>
  <p class="figure"><span class="amount" id="member-balance">${formatAmount(v.wallet.balance)}</span></p>
  <p>Membre n° ${v.member.number}${v.member.cardNumber ? html` — carte n° ${v.member.cardNumber}` : ''}</p>
  <p><a href="${base}/ou-faire-mes-courses">Où faire mes courses cette semaine</a></p>
</section>
<section aria-labelledby="historique">
  <h2 id="historique">Mes opérations</h2>
  ${list.length === 0
    ? html`<p>Aucune opération pour l’instant.</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Date</th><th scope="col">Opération</th><th scope="col">Détail</th><th scope="col" class="num">Montant</th></tr></thead>
    <tbody>${list.map(
      (m) => html`<tr><td>${formatDate(m.date)}</td><td>${m.kind}</td><td>${m.outlet?.name ?? m.label}</td>
        <td class="num amount">${formatAmount(m.direction === 'in' ? m.amount : `-${m.amount}`, { sign: true })}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>
${contributionSection(v)}
${directDebitSection(v.directDebits)}
<section aria-labelledby="donnees">
  <h2 id="donnees">Mes données</h2>
  <p><a href="${base}/mes-donnees" download>Télécharger toutes mes données (RGPD, fichier JSON)</a></p>
</section>
<section aria-labelledby="carte">
  <h2 id="carte">Carte perdue ou volée ?</h2>
  <p>Bloquer la carte l’empêche aussitôt de servir (et vous déconnecte). La caisse vous remettra une nouvelle carte.</p>
  <form method="post" action="${base}/carte/blocage">
    ${csrfField(ctx)}
    ${field({ name: 'reason', label: 'Raison', value: 'perdue', required: true, hint: 'Par exemple : perdue, volée.' })}
    <button type="submit">Bloquer ma carte</button>
  </form>
</section>`;
}

function contributionSection(v: MemberSpaceView): SafeHtml {
  const current = v.months.find((m) => m.period === v.period);
  const shown = v.months.filter((m) => m.status !== 'due' || Number(m.due) > 0 || Number(m.paid) > 0);
  return html`<section aria-labelledby="cotisation">
  <h2 id="cotisation">Mes cotisations</h2>
  ${current && (current.status !== 'due' || Number(current.due) > 0)
    ? html`<p>${formatPeriod(v.period)} : <span class="badge">${CONTRIBUTION_FR[current.status] ?? current.status}</span>
      montant dû <span class="amount">${formatAmount(current.due)}</span>, réglé <span class="amount">${formatAmount(current.paid)}</span>.</p>`
    : html`<p>Pas de cotisation attendue pour ${formatPeriod(v.period)}.</p>`}
  ${shown.length > 0 &&
  html`<div class="table-wrap"><table>
    <caption>Les six derniers mois</caption>
    <thead><tr><th scope="col">Mois</th><th scope="col">État</th><th scope="col" class="num">Dû</th><th scope="col" class="num">Réglé</th></tr></thead>
    <tbody>${shown.map(
      (m) => html`<tr><td>${formatPeriod(m.period)}</td><td>${CONTRIBUTION_FR[m.status] ?? m.status}</td>
        <td class="num amount">${formatAmount(m.due)}</td><td class="num amount">${formatAmount(m.paid)}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>`;
}

/** SEPA pre-notification: what will be debited, when, under which mandate (an estimate until the batch is built). */
function directDebitSection(d: MemberDirectDebits): SafeHtml {
  if (!d.mandate) return html``;
  return html`<section aria-labelledby="prelevements">
  <h2 id="prelevements">Mes prochains prélèvements</h2>
  <p>Mandat SEPA ${d.mandate.reference} signé le ${formatDate(d.mandate.signedOn)}, compte ${d.mandate.iban}.</p>
  ${d.upcoming.length === 0
    ? html`<p>Aucun prélèvement prévu pour l’instant.</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Date de prélèvement</th><th scope="col">Cotisation de</th><th scope="col" class="num">Montant</th><th scope="col">Référence du mandat</th><th scope="col">Statut</th></tr></thead>
    <tbody>${d.upcoming.map(
      (p) => html`<tr><td>${formatDate(p.collectionDate)}</td><td>${formatPeriod(p.period)}</td><td class="num amount">${formatAmount(p.amount)}</td>
        <td>${p.mandateReference}</td><td>${p.estimated ? 'Prévision (montant et date confirmés à la préparation de la remise)' : 'Confirmé'}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>`;
}
