import type { OutletDto } from '../../outlets/dto/outlet.dto.js';
import type { CreatedTerminalDto, TerminalDto } from '../../outlets/dto/terminal.dto.js';
import { formatDateTime } from '../view/format.js';
import { csrfField, field, type FieldErrors, formError, notice, postForm } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

export interface TerminalsView {
  outlet: OutletDto;
  terminals: TerminalDto[];
  /** The key just issued: shown this once. */
  issued?: CreatedTerminalDto;
  label?: string;
  errors?: FieldErrors;
  error?: string;
  done?: string;
}

/** An outlet's till keys: issue one for a phone or tablet (shown once, to pair the till), revoke a lost one. */
export function terminalsPage(ctx: PageContext, v: TerminalsView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/points-de-vente/${v.outlet.id}/terminaux`;
  const pairing = `/caisses/${ctx.caisse!.id}/caisse-enregistreuse/appairage`;
  return html`${notice(v.done)}${formError(v.error)}
${v.issued &&
html`<div class="alert alert-ok" role="status"><p>Clé de « ${v.issued.label} » : <strong class="pin"><code>${v.issued.apiKey}</code></strong></p>
  <p>Elle n’est affichée qu’une fois : sur le téléphone ou la tablette du point de vente, ouvrez <a href="${pairing}">l’appairage de la caisse</a> et collez-la.</p></div>`}
<p>Point de vente <a href="/caisses/${ctx.caisse!.id}/comite/points-de-vente/${v.outlet.id}">${v.outlet.name}</a> (${v.outlet.code}).</p>
<section aria-labelledby="issue"><h2 id="issue">Nouvelle clé de caisse</h2>
${postForm(ctx, base, field({ name: 'label', label: 'Nom de l’appareil', value: v.label, errors: v.errors, required: true, hint: 'Pour le reconnaître, par exemple « Tablette du camion ».' }), 'Créer la clé')}
</section>
<section aria-labelledby="keys"><h2 id="keys">Clés émises</h2>
${v.terminals.length === 0
  ? html`<p>Aucune clé pour ce point de vente.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Appareil</th><th scope="col">Début de la clé</th><th scope="col">Créée le</th><th scope="col">Dernier usage</th><th scope="col">État</th></tr></thead>
  <tbody>${v.terminals.map(
    (k) => html`<tr><td>${k.label}</td><td><code>${k.prefix}</code></td><td>${formatDateTime(k.createdAt)}</td><td>${k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Jamais'}</td>
      <td>${k.revokedAt
        ? `Révoquée le ${formatDateTime(k.revokedAt)}`
        : html`<form method="post" action="${base}/${k.id}/revocation" class="inline-form">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="Révoquer la clé ${k.label}">Révoquer</button></form>`}</td></tr>`,
  )}</tbody></table></div>`}
</section>`;
}
