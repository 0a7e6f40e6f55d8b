import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { HttpReply } from '../common/http/http-types.js';
import { Public } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { MembersService } from '../members/members.service.js';
import { memberLoginPage, staffLoginPage } from './pages/login.page.js';
import { WebSessionsService } from './session/web-sessions.service.js';
import type { WebRequest } from './session/web-session.types.js';
import { formValue } from './view/forms.js';
import { WebController } from './web-controller.decorator.js';
import { safeLocalPath, WebPages } from './web-pages.service.js';

/** Why a member login failed, in words a member can act on (the API's codes stay the same). */
const MEMBER_REFUSALS: Record<string, string> = {
  INVALID_CREDENTIALS: 'Numéro de carte ou code incorrect.',
  CARD_LOCKED: 'Trop de codes faux : la carte est verrouillée. Adressez-vous à votre caisse pour la déverrouiller.',
  CARD_BLOCKED: 'Cette carte est bloquée ou remplacée et ne peut plus servir.',
  PIN_NOT_SET: 'Aucun code n’a encore été attribué à cette carte : adressez-vous à votre caisse.',
  MEMBER_NOT_ACTIVE: 'Votre adhésion n’est pas active.',
};

/** Staff (email + password, the API's limiter) and member (card + PIN) logins, and logout. */
@WebController()
export class LoginController {
  constructor(
    private readonly pages: WebPages,
    private readonly sessions: WebSessionsService,
    private readonly auth: AuthService,
    private readonly members: MembersService,
  ) {}

  @Get('connexion')
  @Public()
  async staffForm(@Req() req: WebRequest, @Res() reply: HttpReply, @Query('retour') back?: string): Promise<void> {
    const ctx = await this.pages.context(req, reply);
    this.pages.send(reply, ctx, { title: 'Connexion de l’équipe', body: staffLoginPage(ctx, { back: typeof back === 'string' ? back : undefined }) });
  }

  @Post('connexion')
  @Public()
  async staffLogin(@Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown, @Query('retour') back?: string): Promise<void> {
    const email = formValue(body, 'email')?.trim() ?? '';
    const password = formValue(body, 'password') ?? '';
    const retour = typeof back === 'string' ? back : undefined;
    const errors = { ...(email ? {} : { email: ['Indiquez votre adresse e-mail.'] }), ...(password ? {} : { password: ['Indiquez votre mot de passe.'] }) };
    let error: string | undefined;
    let status = 400;
    if (Object.keys(errors).length === 0) {
      try {
        const userId = await this.auth.verifyCredentials(email, password, req.ip ?? 'unknown');
        await this.sessions.create(req, reply, { userId });
        return this.pages.redirect(reply, safeLocalPath(retour));
      } catch (e) {
        if (!(e instanceof DomainError) || (e.status !== 401 && e.status !== 429)) throw e;
        status = e.status;
        const after = e.extra.retryAfterSeconds;
        error = e.status === 429 ? `Trop de tentatives : réessayez dans ${typeof after === 'number' ? after : 60} secondes.` : 'Adresse e-mail ou mot de passe incorrect.';
        if (typeof after === 'number') reply.header('Retry-After', String(Math.ceil(after)));
      }
    }
    const ctx = await this.pages.context(req, reply);
    this.pages.send(reply, ctx, { title: 'Connexion de l’équipe', body: staffLoginPage(ctx, { email, back: retour, error, errors }) }, status);
  }

  @Get('caisses/:caisseId/membre/connexion')
  @Public()
  async memberForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('carte') card?: string): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const message = card === 'bloquee' ? 'Votre carte est bloquée. La caisse vous en remettra une nouvelle.' : undefined;
    this.pages.send(reply, ctx, { title: 'Espace membre : connexion', body: memberLoginPage(ctx, { message }) });
  }

  @Post('caisses/:caisseId/membre/connexion')
  @Public()
  async memberLogin(@UuidParam('caisseId') caisseIdRaw: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const caisseId = caisseIdRaw.toLowerCase();
    const cardNumber = formValue(body, 'cardNumber')?.trim() ?? '';
    const pin = formValue(body, 'pin') ?? '';
    const errors = { ...(cardNumber ? {} : { cardNumber: ['Indiquez le numéro de votre carte.'] }), ...(/^\d{4}$/.test(pin) ? {} : { pin: ['Le code compte 4 chiffres.'] }) };
    let error: string | undefined;
    let status = 400;
    if (Object.keys(errors).length === 0) {
      try {
        const card = await this.members.verifyPin(caisseId, cardNumber, pin);
        if (card.status !== 'active') throw new DomainError('MEMBER_NOT_ACTIVE', 403, 'not active');
        await this.sessions.create(req, reply, { caisseId, memberId: card.memberId, cardId: card.cardId });
        return this.pages.redirect(reply, `/caisses/${caisseId}/membre`);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || !(e.code in MEMBER_REFUSALS || e.code === 'INVALID_PIN')) throw e;
        status = e.status;
        const left = /(\d+) attempt/.exec(e.message)?.[1];
        error = e.code === 'INVALID_PIN' ? `Code incorrect : encore ${left ?? 'quelques'} essai(s) avant le verrouillage de la carte.` : MEMBER_REFUSALS[e.code];
      }
    }
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Espace membre : connexion', body: memberLoginPage(ctx, { cardNumber, error, errors }) }, status);
  }

  @Post('deconnexion')
  @Public()
  async logout(@Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.sessions.end(req, reply);
    this.pages.redirect(reply, '/');
  }
}
