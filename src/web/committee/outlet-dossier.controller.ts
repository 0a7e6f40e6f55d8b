import { Get, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { GovernanceService } from '../../governance/governance.service.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { dossierPage } from './outlet-dossier.page.js';

/** An ASCII name for the Content-Disposition header (the UTF-8 name goes in filename*). */
const asciiName = (name: string) => name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\;]/g, '_') || 'piece';

/** The committee's dossier of an outlet: criteria with their documents, decisions about it, lifecycle history. */
@WebController('caisses/:caisseId/comite/points-de-vente')
export class OutletDossierController {
  constructor(
    private readonly pages: WebPages,
    private readonly outlets: OutletsService,
    private readonly governance: GovernanceService,
  ) {}

  @Get(':outletId')
  @Roles('admin', 'treasurer', 'committee')
  async dossier(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = outletId.toLowerCase();
    const { outlet, grid, history } = await this.outlets.dossier(ctx.caisse!.id, id, req.principal!);
    const decisions = await this.governance.list(ctx.caisse!.id, id);
    this.pages.send(reply, ctx, { title: `Dossier : ${outlet.name}`, body: dossierPage(ctx, { outlet, grid, history, decisions }) });
  }

  /** The document as it was uploaded (its type was checked from its content then), as an attachment. */
  @Get(':outletId/pieces/:evidenceId')
  @Roles('admin', 'treasurer', 'committee')
  async evidence(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @UuidParam('evidenceId') evidenceId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const doc = await this.outlets.evidenceContent(caisseId.toLowerCase(), outletId.toLowerCase(), evidenceId.toLowerCase(), req.principal!);
    reply
      .status(200)
      .header('Content-Type', doc.mediaType)
      .header('Content-Disposition', `attachment; filename="${asciiName(doc.fileName)}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
      .header('Cache-Control', 'no-store')
      .header('X-Checksum-SHA256', doc.sha256)
      .send(Buffer.from(doc.contentBase64, 'base64'));
  }
}
