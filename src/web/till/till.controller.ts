import { randomUUID } from 'node:crypto';
import { Body, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { DomainError, Forbidden } from '../../common/errors/domain-error.js';
import { preferredType, type HttpReply } from '../../common/http/http-types.js';
import { CurrentPrincipal, Roles } from '../../common/request-context/decorators.js';
import type { Principal, TerminalPrincipal } from '../../common/request-context/principal.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import { PurchaseBatchDto } from '../../purchases/dto/purchase-batch.dto.js';
import type { PurchaseDto } from '../../purchases/dto/purchase.dto.js';
import { PurchasesService } from '../../purchases/purchases.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formatAmount } from '../view/format.js';
import { fieldErrorsOf } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { purchaseFromForm } from './till-form.js';
import { refusalOf, refusalText } from './till-policy.js';
import { tillPage, type TillOutcome } from './till.page.js';

addNavEntry({ label: 'Caisse', path: '/caisse-enregistreuse', roles: ['terminal'] });

/** The paired till's principal: a terminal key bound to an outlet (Roles('terminal') lets nothing else in). */
export function tillOf(principal: Principal | undefined): TerminalPrincipal & { outletId: string } {
  if (principal?.kind !== 'terminal' || !principal.outletId) throw new Forbidden('Only a till paired with an outlet’s terminal key can do this.');
  return principal as TerminalPrincipal & { outletId: string };
}

const accepted = (p: PurchaseDto): TillOutcome => ({
  ok: true,
  title: 'Paiement accepté',
  detail: `Ticket n° ${p.receiptNo} : ${formatAmount(p.covered)} pris en charge, ${formatAmount(p.memberPays)} à payer par le membre.`,
  balanceAfter: p.balanceAfter,
});

/**
 * The till: a phone page that takes a card number or QR, an amount or lines by category, and the PIN, over the same
 * PurchasesService the API's terminal routes use; and the offline queue's batch, checked as the API's batch.
 */
@WebController('caisses/:caisseId/caisse-enregistreuse')
export class TillController {
  constructor(
    private readonly pages: WebPages,
    private readonly purchases: PurchasesService,
    private readonly outlets: OutletsService,
  ) {}

  @Get()
  @Roles('terminal')
  async page(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.render(caisseId, req, reply, {});
  }

  /** One purchase: a form post (page) or the till script's fetch (JSON, same fields). */
  @Post('achat')
  @Roles('terminal')
  async purchase(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const till = tillOf(req.principal);
    const json = preferredType(req, ['text/html', 'application/json']) === 'application/json';
    let outcome: TillOutcome;
    let status = 201;
    let errors;
    try {
      const { key, dto } = purchaseFromForm(body);
      const { purchase } = await this.purchases.purchase(till, caisseId.toLowerCase(), key, dto);
      outcome = accepted(purchase);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 401 && !['INVALID_PIN', 'PIN_REQUIRED', 'INVALID_QR'].includes(e.code)) throw e;
      status = e.status;
      errors = fieldErrorsOf(e);
      outcome = { ok: false, title: 'Paiement refusé', detail: refusalOf(e).message };
      if (json) return void reply.status(status).header('Cache-Control', 'no-store').send({ ...outcome, code: e.code, errors });
    }
    if (json) return void reply.status(status).header('Cache-Control', 'no-store').send(outcome);
    await this.render(caisseId, req, reply, { outcome, errors }, status);
  }

  /** The offline queue: the API's batch rules item by item, each answered in the cashier's words. */
  @Post('lot')
  @HttpCode(200)
  @Roles('terminal')
  async batch(@UuidParam('caisseId') caisseId: string, @CurrentPrincipal() principal: Principal, @Body() dto: PurchaseBatchDto) {
    const result = await this.purchases.batch(tillOf(principal), caisseId.toLowerCase(), dto);
    return {
      accepted: result.accepted,
      duplicates: result.duplicates,
      refused: result.refused,
      results: result.results.map((r) =>
        r.purchase
          ? { idempotencyKey: r.idempotencyKey, status: r.status, ...accepted(r.purchase) }
          : { idempotencyKey: r.idempotencyKey, status: r.status, ok: false, title: 'Paiement refusé', code: r.problem?.code, detail: refusalText(r.problem?.code ?? '', r.problem as Record<string, unknown>) },
      ),
    };
  }

  private async render(caisseId: string, req: WebRequest, reply: HttpReply, data: { outcome?: TillOutcome; errors?: Record<string, string[]> }, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const till = tillOf(ctx.principal);
    const [standing, coverage] = await Promise.all([this.outlets.standingAt(ctx.caisse!.id, till.outletId), this.outlets.coverageAt(ctx.caisse!.id, till.outletId)]);
    const categories = (coverage?.rates ?? []).map((r) => r.category).filter((c) => c !== '*');
    this.pages.send(reply, ctx, {
      title: 'Caisse',
      body: tillPage(ctx, { outletName: standing.name, categories, formKey: `till-${randomUUID()}`, ...data }),
      scripts: ['till.js'],
      styles: ['till.css'],
      manifest: `/caisses/${ctx.caisse!.id}/caisse-enregistreuse/manifest.webmanifest`,
    }, status);
  }
}
