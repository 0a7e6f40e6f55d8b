import { Body, Get, Post, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { DomainError, Forbidden } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import type { MemberPrincipal } from '../../common/request-context/principal.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { MembersService } from '../../members/members.service.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import { WebSessionsService } from '../session/web-sessions.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { memberSpacePage } from './member-space.page.js';
import { whereToShopPage } from './where-to-shop.page.js';

/** The member's own space (card + PIN session): balance and history, where to shop, contribution, data, card block. */
@WebController('caisses/:caisseId/membre')
export class MemberSpaceController {
  constructor(
    private readonly pages: WebPages,
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly contributions: ContributionsService,
    private readonly sessions: WebSessionsService,
  ) {}

  @Get()
  @Roles('member')
  async space(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.render(caisseId, req, reply);
  }

  @Get('ou-faire-mes-courses')
  @Roles('member')
  async whereToShop(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const me = self(req);
    const ctx = await this.pages.context(req, reply, caisseId);
    const member = await this.members.view(caisseId, me.memberId, 'self');
    const near = await this.outlets.list(caisseId, { commune: member.commune, limit: 100 }, me);
    const outlets = near.items.length > 0 ? near.items : (await this.outlets.list(caisseId, { limit: 100 }, me)).items;
    this.pages.send(reply, ctx, { title: 'Où faire mes courses', body: whereToShopPage({ outlets, commune: member.commune, nearby: near.items.length > 0 }) });
  }

  /** GDPR access: the member's own data as a JSON file. */
  @Get('mes-donnees')
  @Roles('member')
  async export(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const data = await this.members.exportData(caisseId, self(req).memberId);
    reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="mes-donnees.json"')
      .header('Cache-Control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  }

  @Post('carte/blocage')
  @Roles('member')
  async block(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const reason = formValue(body, 'reason')?.trim() ?? '';
    if (reason.length < 2 || reason.length > 200) return this.render(caisseId, req, reply, { error: 'Indiquez la raison du blocage (2 à 200 caractères).' }, 400);
    try {
      await this.members.blockCard(caisseId, self(req).memberId, reason);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 409) throw e;
      return this.render(caisseId, req, reply, { error: 'Aucune carte active à bloquer.' }, 409);
    }
    // The blocked card ends this session anyway (it was opened with that card): say so on the login page.
    await this.sessions.end(req, reply);
    this.pages.redirect(reply, `/caisses/${caisseId}/membre/connexion?carte=bloquee`);
  }

  private async render(caisseId: string, req: WebRequest, reply: HttpReply, extra: { message?: string; error?: string } = {}, status = 200): Promise<void> {
    const me = self(req);
    const ctx = await this.pages.context(req, reply, caisseId);
    const period = todayInFrance().slice(0, 7);
    const [member, wallet, months, directDebits] = await Promise.all([
      this.members.view(caisseId, me.memberId, 'self'),
      this.members.wallet(caisseId, me.memberId, { limit: 100 }),
      this.contributions.memberStatuses(caisseId, me.memberId, lastMonths(period, 6)),
      this.contributions.memberDirectDebits(caisseId, me.memberId),
    ]);
    const body = memberSpacePage(ctx, { member, wallet, months, directDebits, period, ...extra });
    this.pages.send(reply, ctx, { title: 'Mon espace', body }, status);
  }
}

/** `count` months ending with `period` (YYYY-MM), newest first. */
function lastMonths(period: string, count: number): string[] {
  const [y, m] = period.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return d.toISOString().slice(0, 7);
  });
}

/** The member of the session (the guard let only the 'member' role of this caisse through). */
function self(req: WebRequest): MemberPrincipal {
  const p = req.principal;
  if (p?.kind !== 'member') throw new Forbidden('Cet espace est celui des membres.');
  return p;
}
