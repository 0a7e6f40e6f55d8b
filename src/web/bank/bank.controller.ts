import { Body, Get, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { FileUpload, type UploadedFileData, UploadedDocument } from '../../common/http/file-upload.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { MAX_STATEMENT_BYTES } from '../../reconciliation/dto/statement.dto.js';
import { ReconciliationService } from '../../reconciliation/reconciliation.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { bankAccountParam, frenchRefusal, refusedLine } from './bank-refusals.js';
import { type AccountStanding, statementsPage } from './bank.page.js';

addNavEntry({ label: 'Banque', path: '/banque', roles: ['admin', 'treasurer'] });

const TITLE = 'Banque : relevés et rapprochement';

/** Bank statements: each account's standing, the import form (multipart, see src/web/README.md) and the statements. */
@WebController('caisses/:caisseId/banque')
export class BankPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly reconciliation: ReconciliationService,
    private readonly ledger: LedgerService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('importe') imported?: unknown): Promise<void> {
    const done = typeof imported === 'string' && /^\d{1,4}$/.test(imported) ? `Relevé importé : ${imported} ligne${imported === '1' ? '' : 's'}.` : undefined;
    await this.render(caisseId, req, reply, { done });
  }

  @Post('releves')
  @Roles('admin', 'treasurer')
  @UseInterceptors(FileUpload('file', { fileSize: MAX_STATEMENT_BYTES, fields: 5, fieldSize: 256 }))
  async upload(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown, @UploadedDocument() file: UploadedFileData | undefined): Promise<void> {
    try {
      if (!file || file.size === 0) throw new ValidationFailed({ file: ['choisissez le fichier du relevé.'] });
      const account = formValue(body, 'bankAccount') || undefined;
      const result = await this.reconciliation.importStatement(caisseId, file.buffer, account === undefined ? undefined : bankAccountParam(account, 'bankAccount'));
      const first = result.statements[0];
      const lines = result.statements.reduce((n, s) => n + s.lines, 0);
      return this.pages.redirect(reply, first ? `/caisses/${caisseId}/banque/comptes/${first.bankAccount}?importe=${lines}` : `/caisses/${caisseId}/banque?importe=0`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
      const line = refusedLine(e);
      const detail = (e.extra.errors as Record<string, string[]> | undefined)?.file?.[0];
      const error = `${frenchRefusal(e)}${line ? ` Ligne ${line} du fichier.` : ''}`;
      await this.render(caisseId, req, reply, { error, detail: e.code === 'VALIDATION_FAILED' ? undefined : detail }, e.status);
    }
  }

  /** The état de rapprochement of an account at a date, as the API's PDF or CSV. */
  @Get('comptes/:account/etat')
  @Roles('admin', 'treasurer')
  async report(@UuidParam('caisseId') caisseId: string, @Param('account') param: string, @Res() reply: HttpReply, @Query('au') asOf?: unknown, @Query('format') format?: unknown): Promise<void> {
    const account = bankAccountParam(param);
    const date = typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : undefined;
    if (!date) throw new ValidationFailed({ au: ['au must be a date YYYY-MM-DD'] });
    const report = await this.reconciliation.report(caisseId, account, date);
    const name = `rapprochement-${account}-${date}`;
    if (format === 'csv') {
      reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`).send(this.reconciliation.csv(report));
      return;
    }
    reply.header('Content-Type', 'application/pdf').header('Content-Disposition', `attachment; filename="${name}.pdf"`).send(await this.reconciliation.pdf(report));
  }

  private async render(caisseId: string, req: WebRequest, reply: HttpReply, v: { error?: string; detail?: string; done?: string }, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const statements = await this.reconciliation.statements(caisseId);
    const banks = (await this.ledger.bankAccounts(caisseId)).filter((b) => !b.closedAt);
    const accounts: AccountStanding[] = [];
    for (const account of banks) {
      // The newest statement of the account (the list is newest first) is the date the standing is read at.
      const last = statements.find((s) => s.bankAccount === account.account)?.toDate;
      const report = last ? await this.reconciliation.report(caisseId, account.account, last).catch((e: unknown) => (e instanceof NotFound ? undefined : Promise.reject(e))) : undefined;
      accounts.push({ account, lastStatement: last, reconciledTo: report?.reconciledTo ?? null, open: report?.unmatchedBank.length ?? 0 });
    }
    this.pages.send(reply, ctx, { title: TITLE, body: statementsPage(ctx, { accounts, statements, ...v }) }, status);
  }
}
