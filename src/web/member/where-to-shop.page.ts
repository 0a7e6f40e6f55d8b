import type { OutletDto } from '../../outlets/dto/outlet.dto.js';
import type { PlaceDto } from '../../outlets/dto/place.dto.js';
import { html, type SafeHtml } from '../view/html.js';

const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const PLACE_FR: Record<string, string> = { shop: 'Magasin', market: 'Marché', stop: 'Arrêt de l’épicerie itinérante', locker: 'Casier de retrait', pickup: 'Point de retrait' };

function hours(place: PlaceDto): SafeHtml {
  if (place.alwaysOpen) return html`<p>Ouvert 24 h sur 24, 7 jours sur 7.</p>`;
  if (place.hours.length === 0) return html`<p>Horaires non communiqués.</p>`;
  const byDay = new Map<number, string[]>();
  for (const h of place.hours) byDay.set(h.weekday, [...(byDay.get(h.weekday) ?? []), `${h.opens.replace(':', ' h ')} – ${h.closes.replace(':', ' h ')}`]);
  return html`<ul class="hours">${[...byDay].sort(([a], [b]) => a - b).map(([d, slots]) => html`<li><strong>${DAYS[d - 1]}</strong> : ${slots.join(', ')}</li>`)}</ul>`;
}

export function whereToShopPage(o: { outlets: OutletDto[]; commune: string; nearby: boolean }): SafeHtml {
  return html`<p>${o.nearby
    ? html`Points de vente conventionnés avec un lieu dans votre commune (${o.commune}), avec leurs horaires.`
    : html`Aucun point de vente dans votre commune (${o.commune}) : voici tous les points de vente conventionnés.`}</p>
${o.outlets.length === 0
  ? html`<p>Aucun point de vente conventionné pour l’instant.</p>`
  : o.outlets.map(
      (outlet) => html`<section class="card" aria-labelledby="o-${outlet.id}">
  <h2 id="o-${outlet.id}">${outlet.name}</h2>
  ${outlet.places.map(
    (p) => html`<h3>${PLACE_FR[p.kind] ?? p.kind} : ${p.label}</h3>
  <p>${p.address ?? ''}${p.communeName ? html` — ${p.communeName}` : ''}</p>
  ${hours(p)}
  ${p.accessNotes && html`<p class="hint">${p.accessNotes}</p>`}`,
  )}
</section>`,
    )}`;
}
