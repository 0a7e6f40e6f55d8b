import { Get, Req, Res } from '@nestjs/common';
import { CaissesService } from '../caisses/caisses.service.js';
import type { HttpReply } from '../common/http/http-types.js';
import { Public } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import type { WebRequest } from './session/web-session.types.js';
import { html } from './view/html.js';
import { navFor } from './view/nav.js';
import { WebController } from './web-controller.decorator.js';
import { WebPages } from './web-pages.service.js';

/** The home page (a staff member's caisses) and each caisse's public entry page. */
@WebController()
export class HomeController {
  constructor(
    private readonly pages: WebPages,
    private readonly caisses: CaissesService,
  ) {}

  @Get()
  @Public()
  async home(@Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply);
    const p = ctx.principal;
    if (p?.kind === 'member') return this.pages.redirect(reply, `/caisses/${p.caisseId}/membre`);
    const list = p ? await this.caisses.listFor(p) : [];
    const body = p
      ? html`<h2>Vos caisses</h2>${
          list.length === 0
            ? html`<p>Vous n’avez de rôle dans aucune caisse.</p>`
            : html`<ul>${list.map((c) => html`<li><a href="/caisses/${c.id}">${c.name}</a></li>`)}</ul>`
        }`
      : html`<p>La caisse commune de l’alimentation verse chaque mois à ses membres une allocation à dépenser chez les producteurs et commerces conventionnés par un comité citoyen.</p>
<p><a class="button" href="/connexion">Connexion de l’équipe</a></p>
<p>Membres : votre caisse vous a donné l’adresse de sa page ; vous vous y connectez avec votre carte.</p>`;
    this.pages.send(reply, ctx, { title: 'Caisse commune de l’alimentation', body });
  }

  @Get('caisses/:caisseId')
  @Public()
  async caisse(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const base = `/caisses/${ctx.caisse!.id}`;
    const entries = navFor(ctx.roles);
    const body = html`<ul class="cards">
  ${entries.map((e) => html`<li class="card"><a href="${base}${e.path}">${e.label}</a></li>`)}
  ${!ctx.principal && html`<li class="card"><a href="${base}/membre/connexion">Espace membre (carte et code)</a></li>`}
</ul>`;
    this.pages.send(reply, ctx, { title: ctx.caisse!.name, body });
  }
}
