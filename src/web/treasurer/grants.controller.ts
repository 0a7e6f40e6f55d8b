import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import type { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { GrantInputDto, TrancheInputDto } from '../../contributions/dto/grant.dto.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { grantPage, grantsPage, newGrantPage, type GrantValues } from './grants.page.js';
import { amountOf, FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from './treasury-forms.js';

addNavEntry({ label: 'Subventions', path: '/subventions', roles: ['admin', 'treasurer'] }, '/points-de-vente');

const GRANT_FIELDS = ['contributorId', 'reference', 'amount', 'from', 'to', 'notifiedOn', 'fund'] as const;
const TRANCHE_FIELDS = ['amount', 'receivedOn', 'bankAccount'] as const;

const MESSAGES: Record<string, string> = {
  contributorId: 'Choisissez un financeur de la caisse (un particulier ne signe pas de convention).',
  reference: 'Référence invalide : 1 à 40 lettres, chiffres ou . _ / -.',
  amount: 'Montant invalide : un nombre positif d’au plus deux décimales, par exemple 12 500,00.',
  from: 'Date de début invalide.',
  to: 'Date de fin invalide (elle ne peut précéder le début).',
  notifiedOn: 'Date de notification invalide.',
  fund: 'Fonds inconnu : choisissez-le dans la liste.',
  receivedOn: 'Date de réception invalide (ou dans une période close).',
  bankAccount: 'Compte bancaire invalide : par exemple 512 ou 5121.',
};
/** A tranche above what remains is the one amount refusal a treasurer meets here: say it in those words. */
const TRANCHE_MESSAGES = { ...MESSAGES, amount: 'Montant invalide, ou supérieur à ce qui reste à recevoir sur la convention.' };

const REFUSALS: Record<string, string> = {
  GRANT_REFERENCE_TAKEN: 'Une convention porte déjà cette référence.',
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  PERIOD_CLOSED: 'Cette date tombe dans une période close : choisissez une date d’une période ouverte.',
};
const french = (e: DomainError) => REFUSALS[e.code] ?? e.message;

/** Grant agreements: the list with what came in, a grant's tranches, a new agreement, a tranche received. */
@WebController('caisses/:caisseId/subventions')
export class GrantsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const [grants, contributors, funds] = await Promise.all([
      this.contributions.listGrants(caisseId),
      this.contributions.listContributors(caisseId),
      this.contributions.fundCatalogue(caisseId),
    ]);
    this.pages.send(reply, ctx, { title: 'Subventions et tranches', body: grantsPage(ctx, { grants, contributors, funds }) });
  }

  @Get('nouvelle')
  @Roles('admin', 'treasurer')
  async newForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('contributeur') contributeur?: unknown): Promise<void> {
    const values: GrantValues = { contributorId: typeof contributeur === 'string' ? contributeur : undefined };
    await this.renderNew(caisseId, req, reply, values);
  }

  @Post()
  @Roles('admin', 'treasurer')
  async create(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const v: GrantValues = formValues(body, GRANT_FIELDS);
    try {
      const plain = { contributorId: v.contributorId, reference: v.reference, amount: amountOf(v.amount!), from: v.from, to: v.to, notifiedOn: optional(v.notifiedOn!), fund: optional(v.fund!) ?? null };
      const dto = await validated(plain, GrantInputDto);
      // The form's key makes a double submit record one agreement, as the API's Idempotency-Key does.
      const result = await this.idempotency.once(caisseId, 'grants.create', formValue(body, 'idempotencyKey') || undefined, dto, async () => ({
        status: 201,
        body: await this.contributions.createGrant(caisseId, dto),
      }));
      return this.pages.redirect(reply, `/caisses/${caisseId}/subventions/${result.body.id}?ok=creee`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderNew(caisseId, req, reply, v, { errors, error: errors ? FORM_HAS_ERRORS : french(e) }, e.status);
    }
  }

  @Get(':grantId')
  @Roles('admin', 'treasurer')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('grantId') grantId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const message = ok === 'creee' ? 'Convention enregistrée.' : ok === 'tranche' ? 'Tranche enregistrée.' : undefined;
    await this.renderGrant(caisseId, grantId, req, reply, { tranche: { receivedOn: todayInFrance() }, message });
  }

  @Post(':grantId/tranches')
  @Roles('admin', 'treasurer')
  async tranche(@UuidParam('caisseId') caisseId: string, @UuidParam('grantId') grantId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const v = formValues(body, TRANCHE_FIELDS);
    try {
      const dto = await validated({ amount: amountOf(v.amount), receivedOn: v.receivedOn, bankAccount: optional(v.bankAccount) }, TrancheInputDto);
      await this.idempotency.once(caisseId, `grants.tranche:${grantId}`, formValue(body, 'idempotencyKey') || randomUUID(), dto, async () => ({
        status: 201,
        body: await this.contributions.addGrantTranche(caisseId, grantId, dto),
      }));
      return this.pages.redirect(reply, `/caisses/${caisseId}/subventions/${grantId}?ok=tranche`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, TRANCHE_MESSAGES);
      await this.renderGrant(caisseId, grantId, req, reply, { tranche: v, errors, error: errors ? FORM_HAS_ERRORS : french(e) }, e.status);
    }
  }

  private async renderNew(caisseId: string, req: WebRequest, reply: HttpReply, values: GrantValues, extra: { errors?: Record<string, string[]>; error?: string } = {}, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const [contributors, funds] = await Promise.all([this.contributions.listContributors(caisseId), this.contributions.fundCatalogue(caisseId)]);
    const body = newGrantPage(ctx, { values, contributors, funds, key: randomUUID(), ...extra });
    this.pages.send(reply, ctx, { title: 'Enregistrer une convention de subvention', body }, status);
  }

  private async renderGrant(
    caisseId: string,
    grantId: string,
    req: WebRequest,
    reply: HttpReply,
    o: { tranche: Record<string, string>; errors?: Record<string, string[]>; error?: string; message?: string },
    status = 200,
  ): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const grant = await this.contributions.grant(caisseId, grantId);
    const [contributor, funds] = await Promise.all([this.contributions.contributor(caisseId, grant.contributorId), this.contributions.fundCatalogue(caisseId)]);
    this.pages.send(reply, ctx, { title: `Convention ${grant.reference}`, body: grantPage(ctx, { grant, contributor, funds, key: randomUUID(), ...o }) }, status);
  }
}
