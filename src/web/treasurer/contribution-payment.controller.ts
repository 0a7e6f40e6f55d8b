import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { todayInFrance } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { RecordContributionDto, WaiverInputDto } from '../../contributions/dto/contribution.dto.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { paymentPage, type PaymentView } from './contribution-payment.page.js';
import { amountOf, FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from './treasury-forms.js';

const MESSAGES: Record<string, string> = {
  amount: 'Montant invalide : un montant positif, par exemple 30,00.',
  period: 'Mois invalide : écrivez-le AAAA-MM, dans une période ouverte, et le membre doit être actif ce mois-là.',
  method: 'Choisissez un moyen de paiement dans la liste.',
  receivedOn: 'Date de réception invalide (dans une période ouverte).',
  bankAccount: 'Compte bancaire invalide : par exemple 512 ou 5121.',
  memberId: 'Ce membre n’est pas actif ce mois-là : rien n’est dû.',
};
const REFUSALS: Record<string, string> = {
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  PERIOD_CLOSED: 'Cette date tombe dans une période clôturée.',
};
/** The top message: the member's own refusal has no field on the page, so it is said there; else the fields say it. */
const overall = (errors: Record<string, string[]>) => errors.memberId?.[0] ?? FORM_HAS_ERRORS;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A member's payment recorded by the treasurer (cheque, cash, transfer, card), as the API's POST …/contributions. */
@WebController('caisses/:caisseId/contributions/paiement')
export class ContributionPaymentPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async form(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('membre') memberParam?: unknown, @Query('mois') month?: unknown): Promise<void> {
    if (typeof memberParam !== 'string' || !UUID.test(memberParam)) throw new ValidationFailed({ membre: ['membre must be a member id (UUID)'] });
    const period = typeof month === 'string' && PERIOD.test(month) ? month : todayInFrance().slice(0, 7);
    const member = await this.members.view(caisseId, memberParam.toLowerCase(), 'staff');
    const [status] = await this.contributions.memberStatuses(caisseId, member.id, [period]);
    const left = status ? Decimal.max(new Decimal(status.due).minus(status.paid), 0) : undefined;
    const values = { period, amount: left && left.gt(0) ? left.toFixed(2).replace('.', ',') : '', method: 'cheque', receivedOn: todayInFrance(), bankAccount: '' };
    await this.render(req, reply, caisseId, { member, period, due: status?.due, paid: status?.paid, values, key: randomUUID() });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async record(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body, ['memberId', 'period', 'amount', 'method', 'receivedOn', 'bankAccount'] as const);
    if (!UUID.test(values.memberId)) throw new ValidationFailed({ memberId: ['memberId must be a member id (UUID)'] });
    const member = await this.members.view(caisseId, values.memberId.toLowerCase(), 'staff');
    const key = formValue(body, 'idempotencyKey') || randomUUID();
    try {
      const dto = await validated(
        { memberId: member.id, period: values.period, amount: amountOf(values.amount), method: values.method, receivedOn: values.receivedOn, bankAccount: optional(values.bankAccount) },
        RecordContributionDto,
      );
      // The form's key makes a double submit record once, as the API's Idempotency-Key does (same scope).
      await this.idempotency.once(caisseId, 'contributions.record', key, dto, async () => ({ status: 201, body: await this.contributions.recordContribution(caisseId, dto) }));
      return this.pages.redirect(reply, `/caisses/${caisseId}/contributions?mois=${dto.period}&paiement=1`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      const period = PERIOD.test(values.period) ? values.period : todayInFrance().slice(0, 7);
      await this.render(req, reply, caisseId, { member, period, values, key, errors, error: errors ? overall(errors) : (REFUSALS[e.code] ?? e.message) }, e.status);
    }
  }

  @Post('dispense')
  @Roles('admin', 'treasurer')
  async waive(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body, ['memberId', 'period', 'reason'] as const);
    if (!UUID.test(values.memberId)) throw new ValidationFailed({ memberId: ['memberId must be a member id (UUID)'] });
    const member = await this.members.view(caisseId, values.memberId.toLowerCase(), 'staff');
    const period = PERIOD.test(values.period) ? values.period : todayInFrance().slice(0, 7);
    try {
      const dto = await validated({ period: values.period, reason: values.reason }, WaiverInputDto);
      await this.contributions.waiveContribution(caisseId, member.id, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/contributions?mois=${dto.period}&dispense=1`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, { ...MESSAGES, reason: 'Donnez le motif de la dispense (500 caractères au plus).' });
      const form = { period, amount: '', method: 'cheque', receivedOn: todayInFrance(), bankAccount: '' };
      await this.render(req, reply, caisseId, { member, period, values: form, key: randomUUID(), reason: values.reason, errors, error: errors ? overall(errors) : e.message }, e.status);
    }
  }

  private async render(req: WebRequest, reply: HttpReply, caisseId: string, v: PaymentView, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: `Paiement de cotisation : membre ${v.member.number}`, body: paymentPage(ctx, v) }, status);
  }
}
