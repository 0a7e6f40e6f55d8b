import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { NotFound } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import type { BankAccountDto } from '../../ledger/dto/treasury.dto.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { CsvMappingDto } from '../../reconciliation/dto/csv-mapping.dto.js';
import { ReconciliationService } from '../../reconciliation/reconciliation.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from '../treasurer/treasury-forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { bankAccountParam, frenchRefusal } from './bank-refusals.js';
import { columnField, CSV_COLUMNS, csvMappingPage, type CsvMappingView } from './csv-mapping.page.js';

/** The French sentence of each field the API may refuse (its keys: the DTO's, nested columns as `columns.x`). */
const MESSAGES: Record<string, string> = {
  delimiter: 'Choisissez le séparateur de colonnes dans la liste.',
  decimalSeparator: 'Choisissez le séparateur décimal dans la liste.',
  dateFormat: 'Choisissez le format des dates dans la liste.',
  'columns.date': 'Donnez le titre de la colonne des dates (60 caractères au plus).',
  'columns.label': 'Donnez le titre de la colonne des libellés (60 caractères au plus).',
  'columns.amount': 'Donnez la colonne du montant signé, ou bien les deux colonnes débit et crédit.',
  bankAccount: 'Ce compte n’est pas un compte bancaire de la caisse.',
};
const FIELDS = ['delimiter', 'decimalSeparator', 'dateFormat', ...CSV_COLUMNS.map((c) => columnField(c.key))];
const TAB = 'tab';

/** The CSV column mapping of a bank account, so a treasurer can import the bank's CSV export without the API. */
@WebController('caisses/:caisseId/banque/comptes/:account/lecture-csv')
export class CsvMappingPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly reconciliation: ReconciliationService,
    private readonly ledger: LedgerService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async form(@UuidParam('caisseId') caisseId: string, @Param('account') param: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const account = await this.account(caisseId, param);
    const saved = await this.reconciliation.csvMapping(caisseId, account.account);
    // A French bank's export, by default: semicolons, decimal commas, dates JJ/MM/AAAA.
    const values: Record<string, string> = saved
      ? { delimiter: saved.delimiter === '\t' ? TAB : saved.delimiter, decimalSeparator: saved.decimalSeparator, dateFormat: saved.dateFormat, ...columnValues(saved.columns) }
      : { delimiter: ';', decimalSeparator: ',', dateFormat: 'DD/MM/YYYY', [columnField('date')]: 'Date', [columnField('label')]: 'Libellé', [columnField('amount')]: 'Montant' };
    const done = ok === '1' ? 'Lecture CSV enregistrée : les relevés CSV de ce compte peuvent être importés.' : undefined;
    await this.render(req, reply, caisseId, { account, values, saved: saved !== undefined, done });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async save(@UuidParam('caisseId') caisseId: string, @Param('account') param: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const account = await this.account(caisseId, param);
    const values = formValues(body, FIELDS);
    try {
      const columns = Object.fromEntries(CSV_COLUMNS.map((c) => [c.key, optional(values[columnField(c.key)])]).filter(([, v]) => v !== undefined));
      const delimiter = values.delimiter === TAB ? '\t' : values.delimiter;
      const dto = await validated({ delimiter, decimalSeparator: values.decimalSeparator, dateFormat: values.dateFormat, columns }, CsvMappingDto);
      await this.reconciliation.saveCsvMapping(caisseId, account.account, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/banque/comptes/${account.account}/lecture-csv?ok=1`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      const saved = (await this.reconciliation.csvMapping(caisseId, account.account)) !== undefined;
      await this.render(req, reply, caisseId, { account, values, saved, errors, error: errors ? FORM_HAS_ERRORS : frenchRefusal(e) }, e.status);
    }
  }

  /** The open bank account of the path, or 404. */
  private async account(caisseId: string, param: string): Promise<BankAccountDto> {
    const code = bankAccountParam(param);
    const found = (await this.ledger.bankAccounts(caisseId)).find((b) => b.account === code && !b.closedAt);
    if (!found) throw new NotFound('Bank account', code);
    return found;
  }

  private async render(req: WebRequest, reply: HttpReply, caisseId: string, v: CsvMappingView, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: `Lecture des relevés CSV du compte ${v.account.account}`, body: csvMappingPage(ctx, v) }, status);
  }
}

function columnValues(columns: CsvMappingDto['columns']): Record<string, string> {
  return Object.fromEntries(CSV_COLUMNS.map((c) => [columnField(c.key), columns[c.key] ?? '']));
}
