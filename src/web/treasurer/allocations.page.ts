import type { AllocationRunDto, RunStatus } from '../../allocations/dto/allocation-run.dto.js';
import { formatAmount, formatDateTime, formatInteger, formatPeriod } from '../view/format.js';
import { csrfField, field, formError, type FieldErrors } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import { hasRole, type PageContext } from '../view/page-context.js';

export const RUN_STATUS_FR: Record<RunStatus, string> = {
  queued: 'En file d’attente',
  running: 'En cours',
  completed: 'Terminé',
  failed: 'Échec',
  cancelled: 'Annulé',
};

const FINISHED: RunStatus[] = ['completed', 'failed', 'cancelled'];

export function runPercent(run: AllocationRunDto): number {
  if (run.status === 'completed') return 100;
  if (run.progress.total === 0) return 0;
  return Math.min(100, Math.floor((run.progress.done * 100) / run.progress.total));
}

export function runsPage(ctx: PageContext, o: { runs: AllocationRunDto[]; period: string; error?: string; errors?: FieldErrors; key: string }): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/allocations`;
  return html`${hasRole(ctx, 'admin', 'treasurer') &&
  html`<section aria-labelledby="lancer">
  <h2 id="lancer">Lancer les allocations d’un mois</h2>
  ${formError(o.error)}
  <form method="post" action="${base}">
    ${csrfField(ctx)}
    <input type="hidden" name="idempotencyKey" value="${o.key}">
    ${field({ name: 'period', label: 'Mois (AAAA-MM)', type: 'month', value: o.period, errors: o.errors, required: true, hint: 'Au plus le mois prochain. Une seule exécution par mois : la relancer reprend celle qui existe.' })}
    <div class="field"><label><input type="checkbox" name="dryRun" value="true"> Simulation (calcule sans rien verser)</label></div>
    <button type="submit">Lancer</button>
  </form>
</section>`}
<section aria-labelledby="executions">
  <h2 id="executions">Exécutions</h2>
  ${o.runs.length === 0
    ? html`<p>Aucune exécution pour l’instant.</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Mois</th><th scope="col">Type</th><th scope="col">État</th><th scope="col" class="num">Membres crédités</th><th scope="col" class="num">Montant</th></tr></thead>
    <tbody>${o.runs.map(
      (r) => html`<tr><td><a href="${base}/${r.id}">${formatPeriod(r.period)}</a></td><td>${r.dryRun ? 'Simulation' : 'Versement'}</td><td>${RUN_STATUS_FR[r.status]}</td>
      <td class="num">${formatInteger(r.totals.members)}</td><td class="num amount">${formatAmount(r.totals.amount)}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>`;
}

/** The live part of a run's page: htmx polls it every second while the run is queued or running. */
export function runProgress(ctx: PageContext, run: AllocationRunDto): SafeHtml {
  const url = `/caisses/${ctx.caisse!.id}/allocations/${run.id}/progression`;
  const percent = runPercent(run);
  const live = !FINISHED.includes(run.status);
  return html`<div id="run-progress" class="run-progress"${live ? html` hx-get="${url}" hx-trigger="every 1s" hx-swap="outerHTML"` : ''} data-status="${run.status}">
  <label for="run-progress-bar">Progression : <strong>${percent} %</strong> (${formatInteger(run.progress.done)} sur ${formatInteger(run.progress.total)} membres) — ${RUN_STATUS_FR[run.status]}</label>
  <progress id="run-progress-bar" max="100" value="${percent}">${percent} %</progress>
  ${live && html`<p class="hint">Cette barre se met à jour toute seule. Sans JavaScript : <a href="/caisses/${ctx.caisse!.id}/allocations/${run.id}">actualiser</a>.</p>`}
</div>`;
}

export function runPage(ctx: PageContext, run: AllocationRunDto, message?: string): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/allocations/${run.id}`;
  const staff = hasRole(ctx, 'admin', 'treasurer');
  return html`${formError(message)}
<p><a href="/caisses/${ctx.caisse!.id}/allocations">← Toutes les exécutions</a></p>
<dl class="facts">
  <dt>Type</dt><dd>${run.dryRun ? 'Simulation (rien n’est versé)' : 'Versement'}</dd>
  <dt>Demandé le</dt><dd>${formatDateTime(run.createdAt)}</dd>
  ${run.finishedAt && html`<dt>Terminé le</dt><dd>${formatDateTime(run.finishedAt)}</dd>`}
</dl>
${runProgress(ctx, run)}
<section aria-labelledby="resultat">
  <h2 id="resultat">Résultat</h2>
  <div class="table-wrap"><table>
    <tbody>
      <tr><th scope="row">Membres crédités</th><td class="num">${formatInteger(run.totals.members)}</td></tr>
      <tr><th scope="row">Montant des allocations</th><td class="num amount">${formatAmount(run.totals.amount)}</td></tr>
      <tr><th scope="row">Soldes expirés avant crédit</th><td class="num amount">${formatAmount(run.totals.expired)}</td></tr>
      <tr><th scope="row">Membres écartés (cotisation non réglée)</th><td class="num">${formatInteger(run.totals.skippedGate)}</td></tr>
      ${run.reductionPercent && html`<tr><th scope="row">Taux versé (fonds insuffisants)</th><td class="num">${run.reductionPercent.replace('.', ',')} %</td></tr>`}
    </tbody>
  </table></div>
  ${run.solvency &&
  html`<p>Besoin <span class="amount">${formatAmount(run.solvency.needed)}</span>, disponible <span class="amount">${formatAmount(run.solvency.available)}</span>, manque <span class="amount">${formatAmount(run.solvency.missing)}</span>.</p>`}
  ${run.errors.length > 0 && html`<h3>Erreurs</h3><ul>${run.errors.map((e) => html`<li><code>${e.code}</code> ${e.message}</li>`)}</ul>`}
</section>
${staff &&
html`<section aria-labelledby="actions"><h2 id="actions">Actions</h2>
  ${(run.status === 'queued' || run.status === 'running') &&
  html`<form method="post" action="${base}/annuler" class="inline-form">${csrfField(ctx)}<button type="submit" class="secondary">Annuler l’exécution</button></form>`}
  ${run.status === 'completed' &&
  !run.dryRun &&
  html`<form method="post" action="${base}/rattrapage" class="inline-form">${csrfField(ctx)}<button type="submit">Rattrapage : créditer les membres qui ont payé depuis</button></form>`}
  ${(run.status === 'failed' || run.status === 'cancelled') && html`<p>Pour reprendre, relancez le même mois depuis la liste des exécutions.</p>`}
</section>`}`;
}
