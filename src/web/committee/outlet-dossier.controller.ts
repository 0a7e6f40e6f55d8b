import { Body, Get, Post, Req, Res } from '@nestjs/common';
import { DomainError, type FieldErrors, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { buildValidationPipe } from '../../common/validation/validation.pipe.js';
import { CreateDecisionDto } from '../../governance/dto/decision.dto.js';
import { GovernanceService } from '../../governance/governance.service.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue } from '../view/forms.js';
import { parisInstant, parisLocal } from '../view/paris-time.js';
import type { PageContext } from '../view/page-context.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { SUBJECT_LABELS } from './decision.page.js';
import { MJ_GRADES, newDecisionPage, type NewDecisionValues, SUBJECTS_BY_STATUS } from './new-decision.page.js';
import { dossierPage } from './outlet-dossier.page.js';

const validation = buildValidationPipe();
const FIELDS = ['title', 'subject', 'method', 'secret', 'opensAt', 'closesAt', 'reviewOn', 'validUntil', 'replyDeadline', 'options', 'theta'] as const;
/** The approval settings' refusals in French (the API names `options`, `options.N` or `theta`). */
const APPROVAL_MESSAGES: Record<'options' | 'theta', string> = {
  options: 'Donnez les options soumises au vote, une par ligne : 30 au plus, de 80 caractères au plus chacune.',
  theta: 'Donnez θ, le pourcentage des participants qu’une option doit réunir : un entier de 1 à 100.',
};
const METHOD_EXTRAS: Record<string, Record<string, unknown>> = {
  'qualified-majority': { a: 2, b: 3, basis: 'cast' },
  'majority-judgment': { grades: MJ_GRADES, threshold: 3 },
};

/** The form as the API's decision body: Paris wall-clock times become instants, blanks are left out. */
function decisionBody(v: NewDecisionValues, outlet: { id: string; name: string }): Record<string, unknown> {
  const errors: FieldErrors = {};
  const instant = (name: 'opensAt' | 'closesAt' | 'replyDeadline') => {
    if (!v[name]) return undefined;
    const at = parisInstant(v[name]);
    if (!at) errors[name] = ['choose a date and a time'];
    return at;
  };
  const body: Record<string, unknown> = {
    title: v.title, subject: v.subject, outletId: outlet.id, method: v.method, secret: v.secret === '1',
    opensAt: instant('opensAt') ?? new Date().toISOString(), closesAt: instant('closesAt'), replyDeadline: instant('replyDeadline'),
    reviewOn: v.reviewOn || undefined, validUntil: v.validUntil || undefined,
    ...(v.method === 'majority-judgment' ? { options: [outlet.name] } : {}), ...(METHOD_EXTRAS[v.method ?? ''] ?? {}),
    ...(v.method === 'approval' ? approvalBody(v) : {}),
  };
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined));
}

/** Approval's options (one a line, blanks dropped) and θ (a whole number, else left for the DTO to refuse). */
function approvalBody(v: NewDecisionValues): Record<string, unknown> {
  const options = (v.options ?? '').split(/\r?\n/).map((o) => o.trim()).filter(Boolean);
  const theta = /^\d{1,3}$/.test(v.theta ?? '') ? Number(v.theta) : v.theta || undefined;
  return { options: options.length ? options : undefined, theta };
}

/** The refusal's field errors, with the approval settings' in French under the form's field names. */
function decisionErrors(e: DomainError): FieldErrors | undefined {
  const errors = fieldErrorsOf(e);
  if (!errors) return undefined;
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const approval = key === 'theta' ? 'theta' : key === 'options' || key.startsWith('options.') ? 'options' : undefined;
    if (approval) out[approval] = [APPROVAL_MESSAGES[approval]];
    else out[key] = messages;
  }
  return out;
}

/** An ASCII name for the Content-Disposition header (the UTF-8 name goes in filename*). */
const asciiName = (name: string) => name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\;]/g, '_') || 'piece';

/** The committee's dossier of an outlet: criteria with their documents, decisions about it, lifecycle history. */
@WebController('caisses/:caisseId/comite/points-de-vente')
export class OutletDossierController {
  constructor(
    private readonly pages: WebPages,
    private readonly outlets: OutletsService,
    private readonly governance: GovernanceService,
  ) {}

  @Get(':outletId')
  @Roles('admin', 'treasurer', 'committee')
  async dossier(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const id = outletId.toLowerCase();
    const { outlet, grid, history } = await this.outlets.dossier(ctx.caisse!.id, id, req.principal!);
    const decisions = await this.governance.list(ctx.caisse!.id, id);
    this.pages.send(reply, ctx, { title: `Dossier : ${outlet.name}`, body: dossierPage(ctx, { outlet, grid, history, decisions }) });
  }

  @Get(':outletId/mettre-au-vote')
  @Roles('admin', 'committee')
  async decisionForm(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const { outlet } = await this.outlets.dossier(ctx.caisse!.id, outletId.toLowerCase(), req.principal!);
    const subject = SUBJECTS_BY_STATUS[outlet.status]?.[0] ?? '';
    const closes = new Date(Date.now() + 7 * 86_400_000);
    const values: NewDecisionValues = { title: `${SUBJECT_LABELS[subject] ?? 'Décision'} : ${outlet.name}`, subject, method: 'consent', closesAt: parisLocal(closes) };
    this.sendForm(reply, ctx, outlet, { values });
  }

  @Post(':outletId/mettre-au-vote')
  @Roles('admin', 'committee')
  async createDecision(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const { outlet } = await this.outlets.dossier(ctx.caisse!.id, outletId.toLowerCase(), req.principal!);
    const values: NewDecisionValues = Object.fromEntries(FIELDS.map((k) => [k, formValue(body, k)?.trim() ?? '']));
    try {
      const dto = (await validation.transform(decisionBody(values, outlet), { type: 'body', metatype: CreateDecisionDto })) as CreateDecisionDto;
      const created = await this.governance.create(ctx.caisse!.id, dto);
      this.pages.redirect(reply, `/caisses/${ctx.caisse!.id}/comite/decisions/${created.id}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 401 || e.status === 403) throw e;
      const errors = decisionErrors(e);
      const error = errors ? 'Le formulaire contient des erreurs : corrigez les champs signalés.' : `Mise au vote refusée : ${e.message}`;
      this.sendForm(reply, ctx, outlet, { values, errors, error }, e.status);
    }
  }

  private sendForm(reply: HttpReply, ctx: PageContext, outlet: Parameters<typeof newDecisionPage>[1], p: Parameters<typeof newDecisionPage>[2], status = 200): void {
    this.pages.send(reply, ctx, { title: `Mettre au vote : ${outlet.name}`, body: newDecisionPage(ctx, outlet, p) }, status);
  }

  /** The document as it was uploaded (its type was checked from its content then), as an attachment. */
  @Get(':outletId/pieces/:evidenceId')
  @Roles('admin', 'treasurer', 'committee')
  async evidence(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @UuidParam('evidenceId') evidenceId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const doc = await this.outlets.evidenceContent(caisseId.toLowerCase(), outletId.toLowerCase(), evidenceId.toLowerCase(), req.principal!);
    reply
      .status(200)
      .header('Content-Type', doc.mediaType)
      .header('Content-Disposition', `attachment; filename="${asciiName(doc.fileName)}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
      .header('Cache-Control', 'no-store')
      .header('X-Checksum-SHA256', doc.sha256)
      .send(Buffer.from(doc.contentBase64, 'base64'));
  }
}
