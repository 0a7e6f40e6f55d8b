import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import { type DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { BatchInputDto, ReturnInputDto, SettleInputDto } from '../../contributions/dto/direct-debit.dto.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue, type FieldErrors } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { batchesPage, batchPage } from './direct-debits.page.js';
import { amountOf, FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from './treasury-forms.js';

addNavEntry({ label: 'Prélèvements', path: '/prelevements', roles: ['admin', 'treasurer'] }, '/points-de-vente');

const MESSAGES: Record<string, string> = {
  period: 'Mois invalide : écrivez-le AAAA-MM, par exemple 2027-02 (et dans une période ouverte).',
  collectionDate: 'Date d’échéance invalide : un jour ouvré TARGET2 (ni week-end ni jour férié TARGET2), au moins un jour ouvré après aujourd’hui.',
  bankAccount: 'Compte bancaire invalide : par exemple 512 ou 5121.',
  endToEndId: 'Choisissez une opération de cette remise.',
  reasonCode: 'Choisissez un motif de retour dans la liste.',
  returnedOn: 'Date du retour invalide.',
  fee: 'Frais invalides : un montant positif, par exemple 0,50.',
  settledOn: 'Date du crédit invalide : le jour où la banque a crédité la remise (ni avant sa préparation, ni dans une période clôturée).',
};

const REFUSALS: Record<string, string> = {
  DIRECT_DEBIT_NOT_CONFIGURED: 'Le prélèvement n’est pas configuré : enregistrez d’abord l’ICS et le compte de la caisse.',
  NOTHING_TO_COLLECT: 'Rien à prélever : aucun membre avec un mandat ne doit encore de cotisation pour ce mois.',
  ALREADY_RETURNED: 'Cette opération a déjà été marquée comme retournée.',
  BATCH_CANCELLED: 'Cette remise a été annulée : rien n’est parvenu à la banque.',
  BATCH_NOT_BUILT: 'Cette remise n’est plus à envoyer : rechargez la page.',
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  BATCH_NOT_SETTLEABLE: 'Cette remise est déjà réglée ou annulée : rien n’a été passé.',
  BATCH_NOT_CANCELLABLE: 'Seule une remise pas encore envoyée à la banque peut être annulée : celle-ci ne l’est plus.',
  BATCH_POSTED_ON_BANK: 'Cette remise a été passée directement en banque, sans appel de cotisations : elle ne se règle ni ne s’annule ici.',
  PERIOD_CLOSED: 'Cette date tombe dans une période clôturée : choisissez un jour d’une période ouverte.',
};
const french = (e: DomainError) => REFUSALS[e.code] ?? e.message;
/** A batch page's forms as they open: today for the return's and the credit's dates. */
const blankForm = (): Record<string, string> => ({ returnedOn: todayInFrance(), settledOn: todayInFrance() });

/** SEPA direct debits (pain.008): batches, a batch's lines and file, returns, and the members' mandates. */
@WebController('caisses/:caisseId/prelevements')
export class DirectDebitsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const today = todayInFrance();
    const message = ok === 'mandat' ? 'Mandat enregistré : le membre sera prélevé à la prochaine remise.' : undefined;
    await this.renderList(caisseId, req, reply, { period: today.slice(0, 7), collectionDate: this.contributions.earliestCollectionDate(today), bankAccount: '' }, undefined, undefined, 200, message);
  }

  @Post()
  @Roles('admin', 'treasurer')
  async create(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const form = formValues(body, ['period', 'collectionDate', 'bankAccount'] as const);
    try {
      const dto = await validated({ period: form.period, collectionDate: form.collectionDate, bankAccount: optional(form.bankAccount) }, BatchInputDto);
      // The form's key makes a double submit build one batch (one call of each member's dues), as the API's key does.
      const result = await this.idempotency.once(caisseId, 'direct-debit-batches.create', formValue(body, 'idempotencyKey') || randomUUID(), dto, async () => ({
        status: 201,
        body: await this.contributions.createDirectDebitBatch(caisseId, dto),
      }));
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/${result.body.id}?ok=prepare`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderList(caisseId, req, reply, form, errors, errors ? FORM_HAS_ERRORS : french(e), e.status);
    }
  }

  @Get(':batchId')
  @Roles('admin', 'treasurer')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const messages: Record<string, string> = {
      prepare: 'Remise préparée : les cotisations sont appelées.',
      envoye: 'Remise marquée comme envoyée.',
      retour: 'Retour enregistré.',
      regle: 'Remise réglée : le crédit de la banque est passé en comptabilité.',
      annule: 'Remise annulée : les appels de cotisations sont contre-passés.',
    };
    await this.renderBatch(caisseId, batchId, req, reply, { form: blankForm(), message: typeof ok === 'string' ? messages[ok] : undefined });
  }

  @Get(':batchId/pain008')
  @Roles('admin', 'treasurer')
  async file(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Res() reply: HttpReply): Promise<void> {
    const { messageId, xml } = await this.contributions.directDebitFile(caisseId, batchId);
    reply.header('Content-Type', 'application/xml; charset=utf-8').header('Content-Disposition', `attachment; filename="${messageId}.xml"`).send(xml);
  }

  @Post(':batchId/envoi')
  @Roles('admin', 'treasurer')
  async sent(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    try {
      await this.contributions.markDirectDebitBatchSent(caisseId, batchId);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/${batchId}?ok=envoye`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      await this.renderBatch(caisseId, batchId, req, reply, { form: blankForm(), error: french(e) }, e.status);
    }
  }

  /** The bank credited the batch (seen on the account before any statement import): recorded on the day typed. */
  @Post(':batchId/reglement')
  @Roles('admin', 'treasurer')
  async settle(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const form = { ...blankForm(), ...formValues(body, ['settledOn'] as const) };
    try {
      if (formValue(body, 'confirm') !== 'oui') throw new ValidationFailed({ settleConfirm: ['Cochez la case pour confirmer que la banque a crédité cette remise.'] });
      const dto = await validated({ settledOn: form.settledOn }, SettleInputDto);
      await this.contributions.confirmDirectDebitBatchSettled(caisseId, batchId, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/${batchId}?ok=regle`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderBatch(caisseId, batchId, req, reply, { form, errors, error: errors ? FORM_HAS_ERRORS : french(e) }, e.status);
    }
  }

  /** A batch not yet sent is withdrawn: its calls of dues are reversed, nothing reaches the bank. */
  @Post(':batchId/annulation')
  @Roles('admin', 'treasurer')
  async cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    try {
      if (formValue(body, 'confirm') !== 'oui') throw new ValidationFailed({ cancelConfirm: ['Cochez la case pour confirmer l’annulation de la remise.'] });
      await this.contributions.cancelDirectDebitBatch(caisseId, batchId);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/${batchId}?ok=annule`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderBatch(caisseId, batchId, req, reply, { form: blankForm(), errors, error: errors ? FORM_HAS_ERRORS : french(e) }, e.status);
    }
  }

  @Post(':batchId/retours')
  @Roles('admin', 'treasurer')
  async recordReturn(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const form = formValues(body, ['endToEndId', 'reasonCode', 'returnedOn', 'fee'] as const);
    try {
      const dto = await validated({ endToEndId: form.endToEndId, reasonCode: form.reasonCode, returnedOn: form.returnedOn, fee: optional(amountOf(form.fee)) }, ReturnInputDto);
      await this.contributions.recordDirectDebitReturn(caisseId, batchId, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/${batchId}?ok=retour`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderBatch(caisseId, batchId, req, reply, { form: { ...blankForm(), ...form }, errors, error: errors ? FORM_HAS_ERRORS : french(e) }, e.status);
    }
  }

  private async renderList(caisseId: string, req: WebRequest, reply: HttpReply, form: Record<string, string>, errors?: FieldErrors, error?: string, status = 200, message?: string): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const [batches, settings, mandates, roster] = await Promise.all([
      this.contributions.listDirectDebitBatches(caisseId),
      this.contributions.directDebitSettings(caisseId),
      this.contributions.listMandates(caisseId),
      this.members.activeInPeriod(caisseId, todayInFrance().slice(0, 7)),
    ]);
    const members = new Map(roster.map((m) => [m.memberId, m.pseudonym]));
    this.pages.send(reply, ctx, { title: 'Prélèvements', body: batchesPage(ctx, { batches, settings, mandates, members, form, key: randomUUID(), errors, error, message }) }, status);
  }

  private async renderBatch(
    caisseId: string,
    batchId: string,
    req: WebRequest,
    reply: HttpReply,
    o: { form: Record<string, string>; errors?: FieldErrors; error?: string; message?: string },
    status = 200,
  ): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const batch = await this.contributions.directDebitBatch(caisseId, batchId);
    const members = new Map((await this.members.activeInPeriod(caisseId, batch.period)).map((m) => [m.memberId, m.pseudonym]));
    this.pages.send(reply, ctx, { title: `Remise ${batch.messageId}`, body: batchPage(ctx, { batch, members, ...o }) }, status);
  }
}
