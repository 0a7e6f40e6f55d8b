import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CaissesService } from '../../caisses/caisses.service.js';
import { todayInFrance } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { LedgerService, parseYear } from '../../ledger/ledger.service.js';
import { ReportingService } from '../../reporting/reporting.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue } from '../view/forms.js';
import { formatPeriod } from '../view/format.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { closingsPage, type ClosingsView } from './closings.page.js';

addNavEntry({ label: 'Clôtures et FEC', path: '/clotures', roles: ['admin', 'treasurer'] });

const TITLE = 'Clôtures, comptes annuels et FEC';

/** The refusals of a year closing, in French (others keep the API's sentence). */
const REFUSALS: Record<string, string> = {
  MONTHS_NOT_CLOSED: 'Des mois de l’exercice ne sont pas clôturés : clôturez-les, ou forcez la clôture avec un motif.',
  SUSPENSE_NOT_EMPTY: 'Le compte d’attente 471 n’est pas vide : expliquez ces lignes bancaires, ou forcez la clôture avec un motif.',
  PREVIOUS_YEAR_OPEN: 'Un exercice précédent n’est pas clôturé : clôturez-le d’abord.',
  FISCAL_YEAR_NOT_OVER: 'Cet exercice n’est pas terminé.',
  PERIOD_ALREADY_CLOSED: 'Ce mois est déjà clôturé : un mois clôturé ne se rouvre pas.',
  VALIDATION_FAILED: 'Le formulaire contient des erreurs : voir les champs indiqués.',
};

/** Fiscal years: their state, the year-end closing (confirmed, forced only with a reason), annual accounts and FEC. */
@WebController('caisses/:caisseId/clotures')
export class ClosingsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly ledger: LedgerService,
    private readonly reporting: ReportingService,
    private readonly caisses: CaissesService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('cloture') closed?: unknown, @Query('mois') month?: unknown): Promise<void> {
    const done =
      typeof closed === 'string' && /^\d{4}$/.test(closed)
        ? `L’exercice ${closed} est clôturé.`
        : typeof month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(month)
          ? `Les mois sont clôturés jusqu’à ${formatPeriod(month)} inclus.`
          : undefined;
    await this.render(caisseId, req, reply, { done });
  }

  @Post(':year/cloturer')
  @Roles('admin', 'treasurer')
  async close(@UuidParam('caisseId') caisseId: string, @Param('year') param: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const year = parseYear(param, 'year');
    const form = { year: String(year), force: formValue(body, 'force') === 'oui', reason: formValue(body, 'reason')?.trim() ?? '' };
    try {
      if (formValue(body, 'confirm') !== 'oui') throw new ValidationFailed({ confirm: ['Cochez la case pour confirmer la clôture définitive.'] });
      if (form.force && form.reason.length < 10) throw new ValidationFailed({ reason: ['Une clôture forcée demande un motif écrit de 10 caractères au moins.'] });
      await this.ledger.closeYear(caisseId, year, { force: form.force, reason: form.force ? form.reason : undefined });
      return this.pages.redirect(reply, `/caisses/${caisseId}/clotures?cloture=${year}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
      await this.render(caisseId, req, reply, { form, error: REFUSALS[e.code] ?? e.message, errors: fieldErrorsOf(e) }, e.status);
    }
  }

  /** Close the months up to one (inclusive): the year-end closing needs every month of the year closed. */
  @Post('mois')
  @Roles('admin', 'treasurer')
  async closeMonths(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const period = formValue(body, 'period')?.trim() ?? '';
    try {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new ValidationFailed({ period: ['Indiquez un mois, par exemple 2026-10.'] });
      if (period >= todayInFrance().slice(0, 7)) throw new ValidationFailed({ period: ['Ce mois n’est pas terminé : il se clôture à partir du premier jour du mois suivant.'] });
      if (formValue(body, 'confirm') !== 'oui') throw new ValidationFailed({ monthConfirm: ['Cochez la case pour confirmer la clôture définitive.'] });
      await this.ledger.closeMonths(caisseId, period);
      return this.pages.redirect(reply, `/caisses/${caisseId}/clotures?mois=${period}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
      await this.render(caisseId, req, reply, { month: period, error: REFUSALS[e.code] ?? e.message, errors: fieldErrorsOf(e) }, e.status);
    }
  }

  @Get(':year/comptes-annuels')
  @Roles('admin', 'treasurer')
  async accounts(@UuidParam('caisseId') caisseId: string, @Param('year') param: string, @Res() reply: HttpReply, @Query('format') format?: unknown): Promise<void> {
    const year = parseYear(param, 'year');
    if (format !== 'pdf' && format !== 'xlsx') throw new ValidationFailed({ format: ['format must be pdf or xlsx'] });
    const file = await this.reporting.annualAccountsFile(caisseId, year, format);
    reply.header('Content-Type', file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.body);
  }

  /** The FEC, streamed as the API serves it (ISO-8859-15, tab-separated); every check is done before the first byte. */
  @Get(':year/fec')
  @Roles('admin', 'treasurer')
  async fec(@UuidParam('caisseId') caisseId: string, @Param('year') param: string, @Res() reply: HttpReply): Promise<void> {
    const file = await this.reporting.fec(caisseId, parseYear(param, 'year'));
    reply.header('Content-Type', 'text/plain; charset=iso-8859-15').header('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.stream);
  }

  private async render(caisseId: string, req: WebRequest, reply: HttpReply, v: Pick<ClosingsView, 'form' | 'month' | 'error' | 'errors' | 'done'>, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const [years, closings, books, caisse] = [await this.ledger.fiscalYears(caisseId), await this.ledger.yearClosings(caisseId), await this.ledger.booksSettings(caisseId), await this.caisses.get(caisseId)];
    this.pages.send(reply, ctx, { title: TITLE, body: closingsPage(ctx, { years, closings, today: todayInFrance(), closedThrough: books.closedThrough, siren: caisse.siren, ...v }) }, status);
  }
}
