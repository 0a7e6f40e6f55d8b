import { Get, Query, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formatDate } from '../view/format.js';
import { html } from '../view/html.js';
import { hasRole } from '../view/page-context.js';
import { OUTLET_STATUS_FR } from '../view/labels.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';


/** The outlets as the API shows them to the viewer's role (all for managers and the committee). */
@WebController('caisses/:caisseId/points-de-vente')
export class OutletsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly outlets: OutletsService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer', 'committee')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('curseur') cursor?: unknown): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const page = await this.outlets.list(caisseId, { limit: 100, cursor: typeof cursor === 'string' && cursor ? cursor : undefined }, req.principal!);
    const manager = hasRole(ctx, 'admin', 'treasurer');
    const next = page.nextCursor ? `/caisses/${caisseId}/points-de-vente?curseur=${encodeURIComponent(page.nextCursor)}` : null;
    const body = html`${manager && html`<p><a class="button" href="/caisses/${ctx.caisse!.id}/points-de-vente/nouveau">Enregistrer un point de vente</a></p>`}
${page.items.length === 0
      ? html`<p>Aucun point de vente enregistré.</p>`
      : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Code</th><th scope="col">Nom</th><th scope="col">Commune</th><th scope="col">Statut</th><th scope="col">Accepte les paiements</th><th scope="col">Prochain examen</th><th scope="col" class="num">Lieux</th>${manager && html`<th scope="col">Caisses enregistreuses</th>`}</tr></thead>
  <tbody>${page.items.map(
    (o) => html`<tr><td>${o.code}</td><td><a href="/caisses/${ctx.caisse!.id}/comite/points-de-vente/${o.id}">${o.name}</a></td><td>${o.communeName ?? o.commune}</td><td>${OUTLET_STATUS_FR[o.status] ?? o.status}</td>
      <td>${o.accepting ? 'Oui' : 'Non'}</td><td>${o.reviewOn ? formatDate(o.reviewOn) : '—'}</td><td class="num">${o.places.length}</td>${manager && html`<td><a href="/caisses/${ctx.caisse!.id}/points-de-vente/${o.id}/terminaux">Clés de caisse de ${o.name}</a></td>`}</tr>`,
  )}</tbody>
</table></div>`}
${next && html`<p><a href="${next}">Points de vente suivants</a></p>`}`;
    this.pages.send(reply, ctx, { title: 'Points de vente', body });
  }
}
