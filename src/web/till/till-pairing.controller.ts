import { Body, Get, Post, Req, Res } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Public } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { WebSessionsService } from '../session/web-sessions.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { pairingPage } from './till.page.js';

addNavEntry({ label: 'Appairer une caisse', path: '/caisse-enregistreuse/appairage', roles: ['admin', 'cashier'] });

/**
 * Pairing a phone as a till: the terminal key of an outlet (issued by the API, shown once) is checked like the API's
 * X-Api-Key and turned into a till session, which is that key and nothing more: the terminal pseudo-role, one outlet.
 * Whatever session the browser held before (a cashier's, an admin's) is ended, so the phone cannot do more than a till.
 */
@WebController('caisses/:caisseId/caisse-enregistreuse/appairage')
export class TillPairingController {
  constructor(
    private readonly pages: WebPages,
    private readonly auth: AuthService,
    private readonly sessions: WebSessionsService,
  ) {}

  @Get()
  @Public()
  async form(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Appairer une caisse', body: pairingPage(ctx, {}) });
  }

  @Post()
  @Public()
  async pair(@UuidParam('caisseId') caisseIdRaw: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const caisseId = caisseIdRaw.toLowerCase();
    const key = formValue(body, 'key')?.trim() ?? '';
    let error = 'Clé inconnue, révoquée ou d’une autre caisse.';
    if (key) {
      try {
        const terminal = await this.auth.authenticateApiKey(key);
        if (terminal.caisseId === caisseId && terminal.outletId) {
          await this.sessions.create(req, reply, { caisseId, terminalKeyId: terminal.keyId });
          return this.pages.redirect(reply, `/caisses/${caisseId}/caisse-enregistreuse`);
        }
        if (terminal.caisseId === caisseId) error = 'Cette clé n’est liée à aucun point de vente : elle ne peut pas servir de caisse.';
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 401) throw e;
      }
    }
    const ctx = await this.pages.context(req, reply, caisseId);
    const errors = key ? undefined : { key: ['Indiquez la clé du terminal.'] };
    this.pages.send(reply, ctx, { title: 'Appairer une caisse', body: pairingPage(ctx, { error: key ? error : undefined, errors }) }, key ? 401 : 400);
  }
}
