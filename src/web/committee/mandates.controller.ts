import { Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { GovernanceService } from '../../governance/governance.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { drawFileName, drawPage, mandatesPage } from './mandates.page.js';

/** Mandates, renewal by thirds, and committee sortitions with how to re-run them. */
@WebController('caisses/:caisseId/comite')
export class CommitteeMandatesController {
  constructor(
    private readonly pages: WebPages,
    private readonly governance: GovernanceService,
  ) {}

  @Get('mandats')
  @Roles('admin', 'committee')
  async mandates(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = ctx.caisse!.id;
    const [mandates, renewals, draws] = await Promise.all([this.governance.mandates(id), this.governance.renewals(id), this.governance.drawList(id)]);
    this.pages.send(reply, ctx, { title: 'Mandats et tirages au sort', body: mandatesPage(ctx, { mandates, renewals, draws }) });
  }

  @Get('tirages/:drawId')
  @Roles('admin', 'committee')
  async draw(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = drawId.toLowerCase();
    const [draw, published] = await Promise.all([this.governance.draw(ctx.caisse!.id, id), this.governance.publishedDraw(ctx.caisse!.id, id)]);
    this.pages.send(reply, ctx, { title: `Tirage au sort : ${draw.label}`, body: drawPage(ctx, draw, published.randomness) });
  }

  /**
   * The published document of the draw, to re-run at home with `npm run verify-draw` (the API's route wants a bearer
   * token; this one serves the same document to the committee's browser session).
   */
  @Get('tirages/:drawId/tirage.json')
  @Roles('admin', 'committee')
  async document(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = drawId.toLowerCase();
    const doc = await this.governance.publishedDraw(ctx.caisse!.id, id);
    reply
      .status(200)
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${drawFileName(id)}"`)
      .header('Cache-Control', 'no-store')
      .send(JSON.stringify(doc, null, 2));
  }

  /** Re-runs the draw from its published document (read-only: it changes nothing, it only answers). */
  @Post('tirages/:drawId/verification')
  @HttpCode(200)
  @Roles('admin', 'committee')
  async verify(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = drawId.toLowerCase();
    const [draw, published, check] = await Promise.all([this.governance.draw(ctx.caisse!.id, id), this.governance.publishedDraw(ctx.caisse!.id, id), this.governance.verifyDraw(ctx.caisse!.id, id)]);
    this.pages.send(reply, ctx, { title: `Tirage au sort : ${draw.label}`, body: drawPage(ctx, draw, published.randomness, check) });
  }
}
