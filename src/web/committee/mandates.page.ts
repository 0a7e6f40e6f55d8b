import type { PublishedDraw } from '../../common/sortition/sortition.types.js';
import type { CommitteeDrawDto } from '../../governance/dto/committee-draw.dto.js';
import type { MandateDto, RenewalByThirdsDto } from '../../governance/dto/committee.dto.js';
import { formatDate, formatDateTime } from '../view/format.js';
import { csrfField } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

const DESIGNATIONS: Record<string, string> = { volunteer: 'volontaire', drawn: 'tiré au sort', elected: 'élu' };

export function mandatesPage(ctx: PageContext, d: { mandates: MandateDto[]; renewals: RenewalByThirdsDto[]; draws: { id: string; label: string; drawn: boolean; committedAt: string }[] }): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/comite`;
  return html`<h2>Mandats</h2>
${d.mandates.length === 0
  ? html`<p>Aucun mandat.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Mandats du comité"><table><caption class="sr-only">Mandats du comité</caption>
  <thead><tr><th scope="col">Membre</th><th scope="col">Rôle</th><th scope="col">Désignation</th><th scope="col">Du</th><th scope="col">Au</th><th scope="col">Tiers</th><th scope="col">En fonction</th></tr></thead>
  <tbody>${d.mandates.map((m) => html`<tr><td><code>${m.memberId.slice(0, 8)}</code></td><td>${m.position}</td><td>${DESIGNATIONS[m.designation] ?? m.designation}</td><td>${formatDate(m.startsOn)}</td><td>${formatDate(m.endsOn)}</td><td>${m.cohort ?? '—'}</td><td>${m.inOffice ? 'oui' : 'non'}</td></tr>`)}</tbody>
</table></div>`}
<h2>Renouvellement par tiers</h2>
${d.renewals.length === 0 ? html`<p>Aucun tiers défini.</p>` : html`<ul>${d.renewals.map((r) => html`<li>Tiers ${r.cohort} : ${r.mandateIds.length} siège(s), fin ${r.endsOn ? formatDate(r.endsOn) : '—'}</li>`)}</ul>`}
<h2>Tirages au sort</h2>
${d.draws.length === 0 ? html`<p>Aucun tirage au sort.</p>` : html`<ul>${d.draws.map((t) => html`<li><a href="${base}/tirages/${t.id}">${t.label}</a> — ${t.drawn ? 'tiré' : 'engagé, en attente de l’aléa'} (${formatDateTime(t.committedAt)})</li>`)}</ul>`}`;
}

/** The name the document downloads under, and that the re-run command names. */
export const drawFileName = (drawId: string) => `tirage-${drawId.slice(0, 8)}.json`;

function randomnessBlock(r: PublishedDraw['randomness']): SafeHtml {
  return html`<h2>Aléa public</h2>
<p>${r.description}</p>
<dl>
  <dt>Sources annoncées avant le tirage (dans l’ordre de révélation)</dt><dd><ol>${r.commitments.map((c) => html`<li><code>${c}</code></li>`)}</ol></dd>
  <dt>Disponible à partir du</dt><dd>${r.availableAfter ? formatDateTime(r.availableAfter) : '—'}</dd>
  <dt>Valeurs révélées</dt><dd>${r.values ? html`<ol>${r.values.map((v) => html`<li><code>${v}</code></li>`)}</ol>` : 'pas encore révélées'}</dd>
  <dt>Aléa combiné</dt><dd>${r.combined ? html`<code>${r.combined}</code>` : '—'}</dd>
</dl>`;
}

export function drawPage(ctx: PageContext, d: CommitteeDrawDto, randomness: PublishedDraw['randomness'], check?: { reproduced: boolean; checks: { name: string; ok: boolean; detail: string }[] }): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/comite/tirages/${d.id}`;
  const file = drawFileName(d.id);
  return html`<dl>
  <dt>État</dt><dd>${d.status === 'drawn' ? 'Tiré' : 'Engagé : l’aléa annoncé n’est pas encore révélé'}</dd>
  <dt>Sièges</dt><dd>${d.seats} parmi ${d.poolSize} candidats</dd>
  <dt>Empreinte du vivier (publiée avant l’aléa)</dt><dd><code>${d.poolHash}</code></dd>
  <dt>Empreinte des quotas</dt><dd><code>${d.quotasHash}</code></dd>
  <dt>Graine</dt><dd>${d.seed ? html`<code>${d.seed}</code>` : '—'}</dd>
</dl>
${randomnessBlock(randomness)}
${d.status === 'drawn' &&
html`<h2>Résultat</h2>
<h3>Tirés au sort, dans l’ordre du tirage</h3><ol>${d.selected.map((p) => html`<li><code>${p}</code></li>`)}</ol>
<h3>Suppléants, dans l’ordre</h3>${d.waitlist.length ? html`<ol>${d.waitlist.map((p) => html`<li><code>${p}</code></li>`)}</ol>` : html`<p>Aucun.</p>`}
<h2>Refaire le tirage</h2>
<p>Tout le monde peut refaire le calcul : la graine est l’empreinte SHA-256 du vivier, des quotas et de l’aléa public ;
la même procédure redonne les mêmes tirés et suppléants.</p>
<ol>
  <li>Téléchargez le <a href="${base}/tirage.json" download="${file}">document publié du tirage</a> (JSON, <code>${file}</code>).</li>
  <li>Dans une copie du code source de la caisse, lancez : <code>npm run verify-draw -- ${file}</code> (le programme affiche chaque contrôle puis « REPRODUCED » si le tirage se retrouve à l’identique).</li>
  <li>Ou demandez au serveur de le refaire avec le même code :</li>
</ol>
<form method="post" action="${base}/verification">${csrfField(ctx)}<button type="submit" class="secondary">Refaire le tirage maintenant</button></form>`}
${check &&
html`<div class="alert ${check.reproduced ? 'alert-ok' : 'alert-error'}" role="status"><p>${check.reproduced ? 'Tirage reproduit à l’identique.' : 'Le tirage n’a pas pu être reproduit.'}</p>
<ul>${check.checks.map((c) => html`<li>${c.ok ? '✓' : '✗'} ${c.name} : ${c.detail}</li>`)}</ul></div>`}`;
}
