import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { ContributorInputDto, ContributorUpdateDto } from '../../contributions/dto/contributor.dto.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import type { WebRequest } from '../session/web-session.types.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { contributorForm, contributorPage, contributorsPage, type ContributorValues } from './contributors.page.js';
import { FORM_HAS_ERRORS, frenchFieldErrors, isFormRefusal, optional, validated, formValues } from './treasury-forms.js';

addNavEntry({ label: 'Contributeurs', path: '/contributeurs', roles: ['admin', 'treasurer'] }, '/points-de-vente');

const FIELDS = ['kind', 'funderType', 'name', 'siret', 'iban', 'address'] as const;

/** The French sentence of each field the API may refuse. */
const MESSAGES: Record<string, string> = {
  kind: 'Choisissez une catégorie.',
  funderType: 'Choisissez le type de financeur public (obligatoire pour un financeur public).',
  name: 'Indiquez le nom (1 à 140 caractères).',
  siret: 'SIRET invalide : 14 chiffres dont la clé est juste (obligatoire pour un employeur).',
  iban: 'IBAN invalide : vérifiez les caractères et la clé.',
  address: 'L’adresse dépasse 300 caractères.',
};

/** Employers, public funders, foundations, patrons and donors: list, add, correct, and each one's grants and payments. */
@WebController('caisses/:caisseId/contributeurs')
export class ContributorsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Contributeurs', body: contributorsPage(ctx, await this.contributions.listContributors(caisseId)) });
  }

  @Get('nouveau')
  @Roles('admin', 'treasurer')
  async newForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Ajouter un contributeur', body: contributorForm(ctx, { values: {} }) });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async create(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const v: ContributorValues = formValues(body, FIELDS);
    try {
      const plain = { kind: v.kind, funderType: optional(v.funderType!), name: v.name, siret: optional(v.siret!), iban: optional(v.iban!), address: optional(v.address!) };
      const created = await this.contributions.createContributor(caisseId, await validated(plain, ContributorInputDto));
      return this.pages.redirect(reply, `/caisses/${caisseId}/contributeurs/${created.id}?ok=cree`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const ctx = await this.pages.context(req, reply, caisseId);
      this.pages.send(reply, ctx, { title: 'Ajouter un contributeur', body: contributorForm(ctx, { values: v, errors: frenchFieldErrors(e, MESSAGES), error: FORM_HAS_ERRORS }) }, e.status);
    }
  }

  @Get(':contributorId')
  @Roles('admin', 'treasurer')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('contributorId') id: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const contributor = await this.contributions.contributor(caisseId, id);
    const [grants, contributions] = await Promise.all([this.contributions.listGrants(caisseId), this.contributions.contributionsOfContributor(caisseId, id)]);
    const message = ok === 'cree' ? 'Contributeur ajouté.' : ok === 'modifie' ? 'Modifications enregistrées.' : undefined;
    this.pages.send(reply, ctx, {
      title: contributor.name,
      body: contributorPage(ctx, { contributor, grants: grants.filter((g) => g.contributorId === id), contributions, message }),
    });
  }

  @Get(':contributorId/modifier')
  @Roles('admin', 'treasurer')
  async editForm(@UuidParam('caisseId') caisseId: string, @UuidParam('contributorId') id: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const c = await this.contributions.contributor(caisseId, id);
    const values = { name: c.name, siret: c.siret ?? '', iban: c.iban ?? '', address: c.address ?? '' };
    this.pages.send(reply, ctx, { title: `Modifier ${c.name}`, body: contributorForm(ctx, { values, editing: c }) });
  }

  @Post(':contributorId')
  @Roles('admin', 'treasurer')
  async update(@UuidParam('caisseId') caisseId: string, @UuidParam('contributorId') id: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const v: ContributorValues = formValues(body, FIELDS);
    try {
      const plain = { name: v.name, siret: optional(v.siret!), iban: optional(v.iban!), address: optional(v.address!) };
      await this.contributions.updateContributor(caisseId, id, await validated(plain, ContributorUpdateDto));
      return this.pages.redirect(reply, `/caisses/${caisseId}/contributeurs/${id}?ok=modifie`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const ctx = await this.pages.context(req, reply, caisseId);
      const editing = await this.contributions.contributor(caisseId, id);
      this.pages.send(reply, ctx, { title: `Modifier ${editing.name}`, body: contributorForm(ctx, { values: v, editing, errors: frenchFieldErrors(e, MESSAGES), error: FORM_HAS_ERRORS }) }, e.status);
    }
  }
}
