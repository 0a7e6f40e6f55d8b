import type { RulesInForce } from '../../caisses/dto/rules.types.js';
import { formatAmount, formatInteger } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';
import type { FigureValue } from './public-figures.service.js';

function rules(r: RulesInForce | undefined): SafeHtml {
  if (!r) return html`<p>Les règles de la caisse ne sont pas encore publiées.</p>`;
  const a = r.allocation as unknown as Record<string, unknown>;
  const amount = (k: string) => (typeof a[k] === 'string' ? formatAmount(a[k] as string) : undefined);
  return html`<ul>
  ${amount('base') && html`<li>Allocation mensuelle de base : <span class="amount">${amount('base')}</span> par foyer.</li>`}
  ${amount('perExtraAdult') && html`<li>Par adulte supplémentaire : <span class="amount">${amount('perExtraAdult')}</span>.</li>`}
  ${amount('perChild') && html`<li>Par enfant de moins de 14 ans : <span class="amount">${amount('perChild')}</span>.</li>`}
  ${amount('amount') && html`<li>Allocation mensuelle : <span class="amount">${amount('amount')}</span> par foyer.</li>`}
  ${a.formula === 'mean-of-contributions' && html`<li>Allocation mensuelle : la moyenne des cotisations du mois, la même pour tous.</li>`}
  ${amount('target') && html`<li>Allocation mensuelle : complément jusqu’à <span class="amount">${amount('target')}</span> par foyer.</li>`}
  <li>Cotisation : selon les revenus du foyer, chacun contribue selon ses moyens.</li>
</ul>`;
}

export function howItWorksPage(ctx: PageContext, o: { figures: FigureValue[]; rules?: RulesInForce }): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}`;
  return html`<section aria-labelledby="principe">
  <h2 id="principe">Le principe</h2>
  <ol>
    <li>Chaque membre cotise selon ses revenus ; des collectivités, fondations et entreprises abondent la caisse.</li>
    <li>Chaque mois, la caisse crédite à chaque foyer membre une allocation alimentaire sur sa carte.</li>
    <li>Les membres dépensent cette allocation chez les producteurs et commerces conventionnés par un comité citoyen tiré au sort, selon des critères publics.</li>
    <li>La caisse paie ces commerces par virement ; ses comptes sont tenus en partie double et vérifiables.</li>
  </ol>
</section>
<section aria-labelledby="regles">
  <h2 id="regles">Les règles en vigueur</h2>
  ${rules(o.rules)}
</section>
<section aria-labelledby="chiffres">
  <h2 id="chiffres">Les chiffres de la caisse</h2>
  ${o.figures.length === 0
    ? html`<p>La caisse n’a pas encore choisi de chiffres à publier.</p>`
    : html`<dl class="cards">${o.figures.map(
        (f) => html`<div class="card"><dt>${f.label}</dt><dd class="figure">${f.amount ? html`<span class="amount">${formatAmount(f.value)}</span>` : formatInteger(Number(f.value))}</dd></div>`,
      )}</dl>`}
  <p>Les décisions du comité sont dans le <a href="${base}/registre">registre public</a>.</p>
</section>`;
}

export function publicationPage(ctx: PageContext, o: { chosen: string[]; all: [string, string][]; saved?: boolean }): SafeHtml {
  return html`${o.saved && html`<div class="alert alert-ok" role="status"><p>Choix enregistré.</p></div>`}
<p>Choisissez les chiffres affichés en direct sur la page publique « <a href="/caisses/${ctx.caisse!.id}/fonctionnement">Comment ça marche</a> ».</p>
<form method="post" action="/caisses/${ctx.caisse!.id}/publication">
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  <fieldset><legend>Chiffres publiés</legend>
  ${o.all.map(([key, label]) => html`<div class="field"><label><input type="checkbox" name="figures" value="${key}"${o.chosen.includes(key) ? html` checked` : ''}> ${label}</label></div>`)}
  </fieldset>
  <button type="submit">Enregistrer</button>
</form>`;
}
