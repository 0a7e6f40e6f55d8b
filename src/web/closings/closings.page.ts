import type { FiscalYearDto } from '../../ledger/dto/chart.dto.js';
import type { YearClosingView } from '../../ledger/ledger.service.js';
import { csrfField, field, type FieldErrors, formError, notice } from '../view/forms.js';
import { formatAmount, formatDate, formatDateTime, formatPeriod } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export interface ClosingsView {
  years: FiscalYearDto[];
  closings: YearClosingView[];
  today: string;
  closedThrough: string | null;
  siren: string | null;
  form?: { year?: string; force?: boolean; reason?: string };
  /** The month posted to the month-closing form (kept when it is refused). */
  month?: string;
  error?: string;
  errors?: FieldErrors;
  done?: string;
}

const yearOf = (y: FiscalYearDto) => y.start.slice(0, 4);

/** The fiscal years with their state and documents, and the closing form of each year that is over and still open. */
export function closingsPage(ctx: PageContext, v: ClosingsView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/clotures`;
  const closed = new Map(v.closings.map((c) => [c.fiscalYear, c]));
  const closable = v.years.filter((y) => !closed.has(y.start) && y.end < v.today);
  return html`${formError(v.error)}${notice(v.done)}
<p>Mois clôturés : ${v.closedThrough ? html`jusqu’à ${formatPeriod(v.closedThrough.slice(0, 7))} inclus` : 'aucun'}.
${v.siren ? '' : html` <strong>La caisse n’a pas de SIREN : le FEC, nommé d’après lui, ne peut pas être produit.</strong>`}</p>
<section aria-labelledby="years"><h2 id="years">Exercices</h2>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">Exercice</th><th scope="col">État</th><th scope="col" class="num">Résultat</th><th scope="col" class="num">Écritures</th><th scope="col">Comptes annuels</th><th scope="col">FEC</th></tr></thead>
  <tbody>${[...v.years].reverse().map((y) => {
    const c = closed.get(y.start);
    const label = `${formatDate(y.start)} – ${formatDate(y.end)}`;
    return html`<tr><td>${label}</td>
      <td>${c ? html`Clôturé le ${formatDateTime(c.closedAt)}${c.forced ? html` (forcé : ${c.reason ?? ''})` : ''}` : y.end < v.today ? 'Terminé, à clôturer' : 'En cours'}</td>
      <td class="num">${c ? html`${formatAmount(c.result)} (${c.result.startsWith('-') ? 'déficit' : 'excédent'})` : '—'}</td>
      <td class="num">${y.lastEntryNo}</td>
      <td><a href="${base}/${yearOf(y)}/comptes-annuels?format=pdf" download>PDF<span class="sr-only"> des comptes ${yearOf(y)}</span></a> · <a href="${base}/${yearOf(y)}/comptes-annuels?format=xlsx" download>XLSX<span class="sr-only"> des comptes ${yearOf(y)}</span></a>${c ? '' : ' (provisoires)'}</td>
      <td>${v.siren ? html`<a href="${base}/${yearOf(y)}/fec" download>FEC ${yearOf(y)}</a>${c ? '' : ' (provisoire)'}` : '—'}</td></tr>`;
  })}</tbody></table></div></section>
${monthsForm(ctx, base, v)}
${closable.map((y) => closeForm(ctx, base, y, v))}`;
}

/** Closing months (all those before the one chosen too): entries can no longer be dated in them. */
function monthsForm(ctx: PageContext, base: string, v: ClosingsView): SafeHtml {
  const errors = v.month !== undefined ? (v.errors ?? {}) : {};
  const confirmError = errors.monthConfirm?.length ? html`<p class="error" id="m-confirm-error">${errors.monthConfirm.join(' ')}</p>` : '';
  return html`<section aria-labelledby="months"><h2 id="months">Clôturer des mois</h2>
<p>Un mois clôturé (et tous ceux qui le précèdent) ne reçoit plus d’écriture. La clôture de l’exercice demande que tous ses mois le soient.</p>
<form method="post" action="${base}/mois">${csrfField(ctx)}
  ${field({ name: 'period', label: 'Clôturer jusqu’au mois de (inclus)', type: 'month', value: v.month ?? '', errors, required: true, hint: 'Par exemple 2026-10.' })}
  ${confirmError}<div class="field check"><input id="m-confirm" type="checkbox" name="confirm" value="oui" required${confirmError ? html` aria-invalid="true" aria-describedby="m-confirm-error"` : ''}>
  <label for="m-confirm">Je confirme la clôture définitive de ces mois</label></div>
  <button type="submit">Clôturer les mois</button>
</form></section>`;
}

function closeForm(ctx: PageContext, base: string, y: FiscalYearDto, v: ClosingsView): SafeHtml {
  const year = yearOf(y);
  const mine = v.form?.year === year;
  const errors = mine ? (v.errors ?? {}) : {};
  const err = (name: string) => (errors[name]?.length ? html`<p class="error" id="c${year}-${name}-error">${errors[name].join(' ')}</p>` : '');
  return html`<section aria-labelledby="close-${year}"><h2 id="close-${year}">Clôturer l’exercice ${formatDate(y.start)} – ${formatDate(y.end)}</h2>
<p>La clôture passe les fonds dédiés, le résultat et les à-nouveaux de l’exercice suivant, puis scelle les livres : plus aucune écriture ne pourra être datée de cet exercice. Elle est définitive.</p>
<form method="post" action="${base}/${year}/cloturer">${csrfField(ctx)}
  ${err('confirm')}<div class="field check${errors.confirm ? ' has-error' : ''}"><input id="c${year}-confirm" type="checkbox" name="confirm" value="oui" required${errors.confirm ? html` aria-invalid="true" aria-describedby="c${year}-confirm-error"` : ''}>
  <label for="c${year}-confirm">Je confirme la clôture définitive de l’exercice ${year}</label></div>
  <div class="field check"><input id="c${year}-force" type="checkbox" name="force" value="oui"${mine && v.form?.force ? html` checked` : ''}>
  <label for="c${year}-force">Forcer la clôture (des mois restent ouverts ou le compte d’attente 471 n’est pas vide)</label></div>
  <div class="field${errors.reason ? ' has-error' : ''}"><label for="c${year}-reason">Motif d’une clôture forcée (10 caractères au moins)</label>${err('reason')}
  <textarea id="c${year}-reason" name="reason" maxlength="1000" rows="3"${errors.reason ? html` aria-invalid="true" aria-describedby="c${year}-reason-error"` : ''}>${mine ? (v.form?.reason ?? '') : ''}</textarea></div>
  <button type="submit">Clôturer l’exercice ${year}</button>
</form></section>`;
}
