import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { terminalsPage, type TerminalsView } from './terminals.page.js';
import { FORM_HAS_ERRORS, frenchFieldErrors, isFormRefusal } from './treasury-forms.js';

/** Till keys of an outlet, over the outlets facade as the API's …/outlets/:id/terminals: a till is paired without curl. */
@WebController('caisses/:caisseId/points-de-vente/:outletId/terminaux')
export class TerminalsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly outlets: OutletsService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    await this.render(req, reply, caisseId, outletId, { done: ok === 'revoquee' ? 'Clé révoquée : la caisse qui l’utilisait est refusée dès sa prochaine demande.' : undefined });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async issue(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const label = formValue(body, 'label')?.trim() ?? '';
    try {
      if (label.length < 1 || label.length > 120) throw new ValidationFailed({ label: ['label must be 1 to 120 characters'] });
      const issued = await this.outlets.issueTerminal(caisseId, outletId, label);
      // Rendered, not redirected: the key is shown this once and only its hash is kept.
      await this.render(req, reply, caisseId, outletId, { issued }, 201);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, { label: 'Donnez un nom à l’appareil (120 caractères au plus).' });
      await this.render(req, reply, caisseId, outletId, { label, errors, error: errors ? FORM_HAS_ERRORS : e.message }, e.status);
    }
  }

  @Post(':terminalId/revocation')
  @Roles('admin', 'treasurer')
  async revoke(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @UuidParam('terminalId') terminalId: string, @Res() reply: HttpReply): Promise<void> {
    await this.outlets.revokeTerminal(caisseId, outletId, terminalId);
    this.pages.redirect(reply, `/caisses/${caisseId}/points-de-vente/${outletId}/terminaux?ok=revoquee`);
  }

  private async render(req: WebRequest, reply: HttpReply, caisseId: string, outletId: string, v: Omit<TerminalsView, 'outlet' | 'terminals'>, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const { outlet } = await this.outlets.dossier(caisseId, outletId, req.principal!);
    const terminals = await this.outlets.terminals(caisseId, outletId);
    this.pages.send(reply, ctx, { title: `Caisses enregistreuses : ${outlet.name}`, body: terminalsPage(ctx, { outlet, terminals, ...v }) }, status);
  }
}
