import { Body, Get, Post, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { CreateOutletDto } from '../../outlets/dto/outlet.dto.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { type FieldErrors } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { newOutletPage, OUTLET_FIELDS, type OutletValues } from './outlet-new.page.js';
import { FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from './treasury-forms.js';

const MESSAGES: Record<string, string> = {
  legalName: 'Donnez la raison sociale (2 à 200 caractères).',
  name: 'Donnez le nom commercial (2 à 120 caractères).',
  siret: 'SIRET invalide : 14 chiffres, clé de contrôle comprise.',
  kind: 'Choisissez le type de point de vente dans la liste.',
  commune: 'Code INSEE invalide : 5 caractères, par exemple 71014 (pas le code postal).',
  communeName: 'Nom de commune trop long (120 caractères au plus).',
  postcode: 'Code postal invalide : 5 chiffres.',
  streetName: 'Voie trop longue (70 caractères au plus).',
  buildingNumber: 'Numéro trop long (16 caractères au plus).',
  country: 'Pays invalide : un code ISO de deux lettres majuscules, par exemple FR.',
  iban: 'IBAN invalide : vérifiez-le (clé de contrôle comprise).',
  bic: 'BIC invalide : 8 ou 11 caractères.',
  'contact.email': 'Adresse e-mail invalide.',
  'contact.phone': 'Numéro de téléphone invalide.',
};
const REFUSALS: Record<string, string> = {
  SIRET_TAKEN: 'Un point de vente de la caisse est déjà enregistré avec ce SIRET.',
};

/** Registers a producer or point of sale from a form, over the outlets facade (the API's POST …/outlets). */
@WebController('caisses/:caisseId/points-de-vente/nouveau')
export class NewOutletPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly outlets: OutletsService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async form(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const values = { ...(Object.fromEntries(OUTLET_FIELDS.map((f) => [f, ''])) as OutletValues), kind: 'producer', country: 'FR' };
    await this.render(req, reply, caisseId, values);
  }

  @Post()
  @Roles('admin', 'treasurer')
  async register(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body, OUTLET_FIELDS);
    try {
      const { email, phone, ...rest } = values;
      const fields = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, optional(v)]));
      const contact = email || phone ? { email: optional(email), phone: optional(phone) } : undefined;
      const dto = await validated({ ...fields, siret: values.siret.replace(/\s/g, ''), contact }, CreateOutletDto);
      const outlet = await this.outlets.register(caisseId, dto, req.principal!);
      return this.pages.redirect(reply, `/caisses/${caisseId}/comite/points-de-vente/${outlet.id}`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      // SIRET_TAKEN names the siret field too: the field says why, not that the number is malformed.
      const errors = e.code === 'SIRET_TAKEN' ? { siret: [REFUSALS.SIRET_TAKEN] } : frenchFieldErrors(e, MESSAGES);
      await this.render(req, reply, caisseId, values, errors, errors ? FORM_HAS_ERRORS : (REFUSALS[e.code] ?? e.message), e.status);
    }
  }

  private async render(req: WebRequest, reply: HttpReply, caisseId: string, values: OutletValues, errors?: FieldErrors, error?: string, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Enregistrer un point de vente', body: newOutletPage(ctx, { values, errors, error }) }, status);
  }
}
