import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { FileUpload, type UploadedFileData, UploadedDocument } from '../../common/http/file-upload.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { buildValidationPipe } from '../../common/validation/validation.pipe.js';
import { ApproveSettlementRunDto, CreateSettlementRunDto, ExportSettlementRunDto, MAX_STATUS_REPORT_BYTES, ReturnLineDto } from '../../settlements/dto/settlement-run.dto.js';
import { SettlementsService } from '../../settlements/settlements.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue, type FieldErrors } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { runPage, runsPage } from './settlements.page.js';

const validation = buildValidationPipe();

/** Payout runs to the outlets: prepare, approve as a second person, export, download the pain.001. */
@WebController('caisses/:caisseId/reglements')
export class SettlementsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly runs: SettlementsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const runs = await this.runs.list(caisseId);
    this.pages.send(reply, ctx, { title: 'Règlements aux points de vente', body: runsPage(ctx, { runs, form: {}, key: randomUUID() }) });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async create(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const form = {
      until: formValue(body, 'until')?.trim() ?? '',
      bankAccount: formValue(body, 'bankAccount')?.trim() ?? '',
      minAmount: (formValue(body, 'minAmount')?.trim() ?? '').replace(',', '.'),
      instant: formValue(body, 'instant') === 'true' ? 'true' : '',
    };
    const plain = { until: form.until, bankAccount: form.bankAccount || undefined, minAmount: form.minAmount || undefined, instant: form.instant === 'true' };
    let error: string | undefined;
    let errors: FieldErrors | undefined;
    let status: number;
    try {
      const dto = (await validation.transform(plain, { type: 'body', metatype: CreateSettlementRunDto })) as CreateSettlementRunDto;
      const key = formValue(body, 'idempotencyKey') || undefined;
      // The form's key makes a double submit prepare one run, as the API's Idempotency-Key does.
      const result = await this.idempotency.once(caisseId, 'settlement-runs.create', key, dto, async () => ({ status: 202, body: await this.runs.create(caisseId, dto, req.principal!) }));
      return this.pages.redirect(reply, `/caisses/${caisseId}/reglements/${result.body.id}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      errors = fieldErrorsOf(e);
      error = errors ? 'Le formulaire contient des erreurs : voir les champs indiqués.' : french(e);
      status = e.status;
    }
    const ctx = await this.pages.context(req, reply, caisseId);
    const runs = await this.runs.list(caisseId);
    this.pages.send(reply, ctx, { title: 'Règlements aux points de vente', body: runsPage(ctx, { runs, form, key: randomUUID(), error, errors }) }, status);
  }

  @Get(':runId')
  @Roles('admin', 'treasurer')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const run = await this.runs.get(caisseId, runId);
    this.pages.send(reply, ctx, { title: `Règlement n° ${run.runNo}`, body: runPage(ctx, run) });
  }

  @Post(':runId/approuver')
  @Roles('admin', 'treasurer')
  async approve(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).confirm : undefined;
    const confirmIbanChanges = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    await this.act(caisseId, runId, req, reply, async () => {
      const dto = (await validation.transform({ confirmIbanChanges }, { type: 'body', metatype: ApproveSettlementRunDto })) as ApproveSettlementRunDto;
      await this.runs.approve(caisseId, runId, dto, req.principal!);
    });
  }

  @Post(':runId/exporter')
  @Roles('admin', 'treasurer')
  async export(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    await this.act(caisseId, runId, req, reply, async () => {
      const dto = (await validation.transform({ version: formValue(body, 'version') || undefined }, { type: 'body', metatype: ExportSettlementRunDto })) as ExportSettlementRunDto;
      await this.runs.exportRun(caisseId, runId, dto.version);
    });
  }

  /** The bank's pain.002 (multipart, token in the action's query): rejected transfers are reversed, the page shows them. */
  @Post(':runId/avis-de-la-banque')
  @Roles('admin', 'treasurer')
  @UseInterceptors(FileUpload('file', { fileSize: MAX_STATUS_REPORT_BYTES, fields: 2, fieldSize: 256 }))
  async statusReport(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
    @UploadedDocument() file: UploadedFileData | undefined,
  ): Promise<void> {
    await this.act(caisseId, runId, req, reply, () => this.runs.statusReport(caisseId, runId, file?.buffer));
  }

  @Get(':runId/pain001')
  @Roles('admin', 'treasurer')
  async pain001(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Res() reply: HttpReply, @Query('version') version?: unknown): Promise<void> {
    const v = version === '03' ? '03' : '09';
    const { filename, xml } = await this.runs.pain001(caisseId, runId, v);
    reply.header('Content-Type', 'application/xml; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="${filename}"`);
    reply.send(xml);
  }

  @Get(':runId/releves/:outletId')
  @Roles('admin', 'treasurer')
  async statement(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @UuidParam('outletId') outletId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
    @Query('format') format?: unknown,
  ): Promise<void> {
    const file = await this.runs.statementFile(req.principal!, caisseId, runId, outletId, format === 'csv' ? 'csv' : 'pdf');
    reply.header('Content-Type', file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.body);
  }

  @Post(':runId/lignes/:lineId/retour')
  @Roles('admin', 'treasurer')
  async returnLine(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @UuidParam('lineId') lineId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.act(caisseId, runId, req, reply, async () => {
      const plain = { reason: formValue(body, 'reason')?.trim() ?? '', returnedOn: formValue(body, 'returnedOn')?.trim() ?? '' };
      const dto = (await validation.transform(plain, { type: 'body', metatype: ReturnLineDto })) as ReturnLineDto;
      await this.runs.returnLine(caisseId, runId, lineId, dto);
    });
  }

  private async act(caisseId: string, runId: string, req: WebRequest, reply: HttpReply, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      return this.pages.redirect(reply, `/caisses/${caisseId}/reglements/${runId}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
      const ctx = await this.pages.context(req, reply, caisseId);
      const run = await this.runs.get(caisseId, runId);
      this.pages.send(reply, ctx, { title: `Règlement n° ${run.runNo}`, body: runPage(ctx, run, french(e)) }, e.status);
    }
  }
}

/** The refusals a treasurer meets here, in French (others keep the API's sentence). */
const REFUSALS: Record<string, string> = {
  NOTHING_TO_PAY: 'Rien à payer : aucun point de vente n’a d’achats ouverts au-dessus du minimum jusqu’à cette date.',
  FOUR_EYES: 'Vous avez préparé ce règlement : une autre personne doit l’approuver.',
  IBAN_CHANGE_UNCONFIRMED: 'Confirmez chaque ligne dont l’IBAN a changé récemment avant d’approuver.',
  OUTLET_IBAN_CHANGED: 'L’IBAN d’un point de vente a changé depuis la préparation : annulez et préparez un nouveau règlement.',
  RUN_STATE_CONFLICT: 'Ce règlement n’est plus dans l’état permettant cette action : rechargez la page.',
  OUTLET_ADDRESS_INCOMPLETE: 'Un point de vente n’a pas de commune ou de pays : complétez sa fiche avant l’export.',
  LINE_ALREADY_REVERSED: 'Ce virement a déjà été rejeté ou retourné : son paiement est déjà annulé.',
  VALIDATION_FAILED: 'Le formulaire contient des erreurs : motif (2 à 140 caractères) et date du retour sont requis.',
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  MALFORMED_STATUS_REPORT: 'Ce fichier n’est pas un avis pain.002 lisible : rien n’a été changé.',
  UNKNOWN_MESSAGE: 'Cet avis pain.002 concerne un autre fichier de virements que ce règlement : rien n’a été changé.',
  UNKNOWN_TRANSACTION: 'Cet avis pain.002 cite un virement qui n’est pas de ce règlement : rien n’a été changé.',
  LINE_ALREADY_PAID: 'L’avis rejette un virement déjà vu payé sur le relevé bancaire : vérifiez auprès de la banque.',
};

function french(e: DomainError): string {
  if (e.code === 'VALIDATION_FAILED' && (e.extra.errors as Record<string, unknown> | undefined)?.file) return 'Choisissez le fichier pain.002 reçu de la banque.';
  const line = e.extra.line;
  return `${REFUSALS[e.code] ?? e.message}${typeof line === 'number' && line > 0 && REFUSALS[e.code] ? ` (ligne ${line} du fichier)` : ''}`;
}
