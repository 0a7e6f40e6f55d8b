import { randomUUID } from 'node:crypto';
import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { buildValidationPipe } from '../../common/validation/validation.pipe.js';
import { AcceptSuggestionDto } from '../../reconciliation/dto/bank-line.dto.js';
import { ReconciliationService } from '../../reconciliation/reconciliation.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { bankAccountParam, frenchRefusal } from './bank-refusals.js';
import { matchingPage, type MatchingView } from './matching.page.js';

const validation = buildValidationPipe();
/** Matched lines are history: the screen shows the newest ones (the état and its files cover the rest). */
const MATCHED_SHOWN = 200;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What a successful action says after its redirect: the query carries one of these codes, never text to echo. */
const DONE: Record<string, string> = {
  proposition: 'Proposition acceptée : la ligne est rapprochée.',
  ecriture: 'Écriture passée : la ligne est rapprochée.',
  annulation: 'Rapprochement annulé : les lignes sont de nouveau à rapprocher.',
};

/**
 * The matching screen of a bank account: open lines with the automatic matcher's proposal (accept it) or the
 * suggested posting (627 / 768 / 471, post it), matched lines (unmatch), and the état de rapprochement at a date.
 */
@WebController('caisses/:caisseId/banque')
export class MatchingPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly reconciliation: ReconciliationService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('comptes/:account')
  @Roles('admin', 'treasurer')
  async show(
    @UuidParam('caisseId') caisseId: string,
    @Param('account') param: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
    @Query('au') asOf?: unknown,
    @Query('importe') imported?: unknown,
    @Query('fait') action?: unknown,
  ): Promise<void> {
    const done =
      typeof imported === 'string' && /^\d{1,5}$/.test(imported)
        ? `Relevé importé : ${imported} ligne${imported === '1' ? '' : 's'} ; celles que les livres expliquent sont rapprochées.`
        : typeof action === 'string' && Object.hasOwn(DONE, action) ? DONE[action] : undefined;
    await this.render(caisseId, bankAccountParam(param), req, reply, { asOf: typeof asOf === 'string' && ISO_DAY.test(asOf) ? asOf : undefined, done });
  }

  /** Accept the matcher's proposal: the book lines it named, read again here rather than taken from the form. */
  @Post('lignes/:lineId/rapprocher')
  @Roles('admin', 'treasurer')
  async acceptProposal(@UuidParam('caisseId') caisseId: string, @UuidParam('lineId') lineId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const account = bankAccountParam(formValue(body, 'account'));
    await this.act(caisseId, account, req, reply, 'proposition', async () => {
      const line = (await this.reconciliation.lines(caisseId, { bankAccount: account, status: 'unmatched' })).find((l) => l.id === lineId);
      if (!line) throw new DomainError('ALREADY_MATCHED', 409, 'This bank line is not open on this account.');
      if (!line.proposal) throw new DomainError('ALREADY_MATCHED', 409, 'This bank line has no proposal left.');
      await this.reconciliation.match(caisseId, lineId, { bookLines: line.proposal.bookLines.map((b) => ({ entryId: b.entryId, lineNo: b.lineNo })) });
    });
  }

  /** Post the suggested entry (fee 627, interest 768, suspense 471) and match the line with it. */
  @Post('lignes/:lineId/ecriture')
  @Roles('admin', 'treasurer')
  async acceptSuggestion(@UuidParam('caisseId') caisseId: string, @UuidParam('lineId') lineId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const account = bankAccountParam(formValue(body, 'account'));
    await this.act(caisseId, account, req, reply, 'ecriture', async () => {
      const dto = (await validation.transform({ kind: formValue(body, 'kind') || undefined }, { type: 'body', metatype: AcceptSuggestionDto })) as AcceptSuggestionDto;
      const key = formValue(body, 'idempotencyKey') || undefined;
      // The form's key makes a double submit one posting, as the API's Idempotency-Key does.
      await this.idempotency.once(caisseId, 'reconciliation.accept', key, { lineId, ...dto }, async () => ({ status: 201, body: await this.reconciliation.accept(caisseId, lineId, dto.kind) }));
    });
  }

  @Post('rapprochements/:matchId/annuler')
  @Roles('admin', 'treasurer')
  async unmatch(@UuidParam('caisseId') caisseId: string, @UuidParam('matchId') matchId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const account = bankAccountParam(formValue(body, 'account'));
    await this.act(caisseId, account, req, reply, 'annulation', () => this.reconciliation.unmatch(caisseId, matchId));
  }

  private async act(caisseId: string, account: string, req: WebRequest, reply: HttpReply, done: keyof typeof DONE, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      return this.pages.redirect(reply, `/caisses/${caisseId}/banque/comptes/${account}?fait=${done}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
      await this.render(caisseId, account, req, reply, { error: frenchRefusal(e) }, e.status);
    }
  }

  private async render(caisseId: string, account: string, req: WebRequest, reply: HttpReply, v: Partial<Pick<MatchingView, 'asOf' | 'error' | 'done'>>, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const open = await this.reconciliation.lines(caisseId, { bankAccount: account, status: 'unmatched' });
    const matched = await this.reconciliation.lines(caisseId, { bankAccount: account, status: 'matched', recent: MATCHED_SHOWN });
    const asOf = v.asOf ?? [...open, ...matched].map((l) => l.bookedOn).sort().at(-1) ?? todayInFrance();
    let report: MatchingView['report'];
    let noReport: string | undefined;
    try {
      report = await this.reconciliation.report(caisseId, account, asOf);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      noReport = e.status === 404 ? `Aucun relevé de ce compte au ${asOf} ou avant : importez-en un.` : frenchRefusal(e);
    }
    const keys = new Map(open.map((l) => [l.id, randomUUID()]));
    this.pages.send(reply, ctx, { title: `Rapprochement du compte ${account}`, body: matchingPage(ctx, { account, open, matched, matchedShown: MATCHED_SHOWN, asOf, report, noReport, keys, error: v.error, done: v.done }) }, status);
  }
}
