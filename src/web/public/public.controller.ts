import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { CaissesService } from '../../caisses/caisses.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Public, Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { GovernanceService } from '../../governance/governance.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { howItWorksPage, publicationPage } from './how-it-works.page.js';
import { FIGURE_KEYS, PUBLIC_FIGURES, PublicFiguresService, type PublicFigure } from './public-figures.service.js';
import { registerPage } from './register.page.js';

/** What anyone may read about a caisse: its register of conventionnés and decisions, and how it works. */
@WebController('caisses/:caisseId')
export class PublicPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly governance: GovernanceService,
    private readonly caisses: CaissesService,
    private readonly figures: PublicFiguresService,
  ) {}

  @Get('registre')
  @Public()
  async register(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const [register, check] = await Promise.all([this.governance.register(caisseId), this.governance.verifyLog(caisseId)]);
    this.pages.send(reply, ctx, { title: 'Registre public', body: registerPage(ctx, { register, check }) });
  }

  @Get('fonctionnement')
  @Public()
  async howItWorks(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const today = new Date().toISOString().slice(0, 10);
    const rules = await this.caisses.rulesInForce(caisseId, today).catch((e: unknown) => {
      if (e instanceof DomainError && e.status < 500) return undefined;
      throw e;
    });
    const figures = await this.figures.values(caisseId);
    this.pages.send(reply, ctx, { title: 'Comment fonctionne notre caisse', body: howItWorksPage(ctx, { figures, rules }) });
  }

  @Get('publication')
  @Roles('admin')
  async publication(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('enregistre') saved?: string): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const chosen = await this.figures.chosen(caisseId);
    this.pages.send(reply, ctx, { title: 'Chiffres publiés', body: publicationPage(ctx, { chosen, all: Object.entries(PUBLIC_FIGURES), saved: saved === '1' }) });
  }

  @Post('publication')
  @Roles('admin')
  async choose(@UuidParam('caisseId') caisseId: string, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const raw = (body as Record<string, unknown> | undefined)?.figures;
    const asked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    const unknown = asked.filter((v) => !(FIGURE_KEYS as string[]).includes(v));
    if (unknown.length) throw new DomainError('VALIDATION_FAILED', 400, `Chiffre inconnu : ${unknown.join(', ')}.`, { errors: { figures: ['unknown figure'] } });
    await this.figures.choose(caisseId, FIGURE_KEYS.filter((k) => asked.includes(k)) as PublicFigure[]);
    this.pages.redirect(reply, `/caisses/${caisseId}/publication?enregistre=1`);
  }
}
