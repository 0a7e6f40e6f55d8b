import { Body, Post, Req, Res } from '@nestjs/common';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { memberPage, type MemberPageOptions } from './members.page.js';
import { FORM_HAS_ERRORS, isFormRefusal } from './treasury-forms.js';

const REFUSALS: Record<string, string> = {
  NO_ACTIVE_CARD: 'Ce membre n’a plus de carte active : remplacez-la.',
  MEMBER_ERASED: 'Ce membre a été effacé (RGPD) : sa fiche ne peut plus changer.',
  MEMBER_NOT_ACTIVE: 'Seul un membre actif ou suspendu reçoit une carte.',
};

/** A member's card for an admin: block it (lost, stolen) or replace it, over the members facade like the API. */
@WebController('caisses/:caisseId/membres/:memberId/carte')
export class MemberCardsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly members: MembersService,
  ) {}

  @Post('blocage')
  @Roles('admin')
  async block(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const blockReason = formValue(body, 'blockReason')?.trim() ?? '';
    try {
      if (blockReason.length < 1 || blockReason.length > 200) throw new ValidationFailed({ blockReason: ['Indiquez la raison du blocage (200 caractères au plus).'] });
      await this.members.blockCard(caisseId, memberId, blockReason);
      await this.render(req, reply, caisseId, memberId, { message: 'Carte bloquée : elle est refusée à la caisse. Remplacez-la pour que le membre puisse de nouveau payer.' });
    } catch (e) {
      await this.refused(e, req, reply, caisseId, memberId, { blockReason });
    }
  }

  @Post('remplacement')
  @Roles('admin')
  async replace(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const replaceReason = formValue(body, 'replaceReason')?.trim() ?? '';
    try {
      if (replaceReason.length < 1 || replaceReason.length > 200) throw new ValidationFailed({ replaceReason: ['Indiquez la raison du remplacement (200 caractères au plus).'] });
      const issued = await this.members.replaceCard(caisseId, memberId, replaceReason, formValue(body, 'newPin') === 'oui');
      // Rendered, not redirected: a new PIN is shown this once and never stored in clear.
      const message = `Nouvelle carte émise : ${issued.card.cardNumber}.${issued.pin ? '' : ' Le code de l’ancienne carte est conservé.'}`;
      await this.render(req, reply, caisseId, memberId, { message, pin: issued.pin }, 201);
    } catch (e) {
      await this.refused(e, req, reply, caisseId, memberId, { replaceReason });
    }
  }

  private async refused(e: unknown, req: WebRequest, reply: HttpReply, caisseId: string, memberId: string, values: MemberPageOptions['values']): Promise<void> {
    // MEMBER_NOT_ACTIVE is a 403 the form still explains; any other 403 or 404 goes to the error page.
    if (!isFormRefusal(e) && !(e instanceof DomainError && e.code === 'MEMBER_NOT_ACTIVE')) throw e;
    const errors = fieldErrorsOf(e);
    await this.render(req, reply, caisseId, memberId, { values, errors, error: errors ? FORM_HAS_ERRORS : (REFUSALS[e.code] ?? e.message) }, e.status);
  }

  private async render(req: WebRequest, reply: HttpReply, caisseId: string, memberId: string, o: MemberPageOptions, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const member = await this.members.view(caisseId, memberId, 'staff');
    this.pages.send(reply, ctx, { title: `Membre ${member.number}`, body: memberPage(ctx, member, o) }, status);
  }
}
