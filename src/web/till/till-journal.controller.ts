import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { PurchasesService } from '../../purchases/purchases.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { journalPage } from './till-journal.page.js';
import { IDEMPOTENCY_KEY, refusalOf } from './till-policy.js';
import { tillOf } from './till.controller.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The till's day: its outlet's purchases and Z total (the API's daily report), and refunds of those purchases. */
@WebController('caisses/:caisseId/caisse-enregistreuse')
export class TillJournalController {
  constructor(
    private readonly pages: WebPages,
    private readonly purchases: PurchasesService,
  ) {}

  @Get('journal')
  @Roles('terminal')
  async journal(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('fait') done?: string): Promise<void> {
    await this.render(caisseId, req, reply, { done: done === '1' });
  }

  @Post('remboursement')
  @Roles('terminal')
  async refund(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const till = tillOf(req.principal);
    const purchaseId = formValue(body, 'purchaseId') ?? '';
    const key = formValue(body, 'idempotencyKey') ?? '';
    // The amount and reason fields are named after the receipt (several forms on one page); take the one filled.
    const pick = (prefix: string) => Object.keys(body as object).filter((k) => k.startsWith(prefix)).map((k) => formValue(body, k)?.trim()).find(Boolean) ?? '';
    const amount = pick('amount-').replace(',', '.');
    const reason = pick('reason-');
    try {
      const errors: Record<string, string[]> = {};
      if (!UUID.test(purchaseId)) errors.purchaseId = ['purchaseId must be a UUID'];
      if (!IDEMPOTENCY_KEY.test(key)) errors.idempotencyKey = ['reload the page: its form key is missing or malformed'];
      if (!/^\d{1,13}(\.\d{1,2})?$/.test(amount)) errors.amount = ['Indiquez un montant, par exemple 4,20.'];
      if (reason.length < 1 || reason.length > 200) errors.reason = ['Indiquez un motif (200 caractères au plus).'];
      if (Object.keys(errors).length) throw new ValidationFailed(errors);
      await this.purchases.refund(till, caisseId.toLowerCase(), purchaseId.toLowerCase(), key, { amount, reason });
      return this.pages.redirect(reply, `/caisses/${caisseId.toLowerCase()}/caisse-enregistreuse/journal?fait=1`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 401) throw e;
      await this.render(caisseId, req, reply, { error: `Remboursement refusé : ${refusalOf(e).message}`, errors: fieldErrorsOf(e) }, e.status);
    }
  }

  private async render(caisseId: string, req: WebRequest, reply: HttpReply, data: { done?: boolean; error?: string; errors?: Record<string, string[]> }, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const till = tillOf(ctx.principal);
    const day = await this.purchases.daily(ctx.caisse!.id, till.outletId, todayInFrance());
    this.pages.send(reply, ctx, { title: 'Achats du jour', body: journalPage(ctx, { day, newKey: () => `refund-${randomUUID()}`, ...data }) }, status);
  }
}
