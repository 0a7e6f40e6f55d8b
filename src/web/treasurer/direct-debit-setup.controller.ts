import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { todayInFrance } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { DirectDebitSettingsInputDto, MandateInputDto } from '../../contributions/dto/direct-debit.dto.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { mandatePage, type MandateView, settingsPage, type SettingsView } from './direct-debit-setup.page.js';
import { FORM_HAS_ERRORS, formValues, frenchFieldErrors, isFormRefusal, optional, validated } from './treasury-forms.js';

const MESSAGES: Record<string, string> = {
  creditorId: 'ICS invalide : l’identifiant créancier SEPA, par exemple FR72ZZZ123456 (clé de contrôle comprise).',
  creditorName: 'Donnez le nom du créancier (70 caractères au plus).',
  creditorIban: 'IBAN invalide : vérifiez-le (clé de contrôle comprise).',
  creditorBic: 'BIC invalide : 8 ou 11 caractères, par exemple BNPAFRPP.',
  reference: 'Référence invalide : 35 caractères au plus, lettres sans accent, chiffres, espaces, apostrophe droite et + ? / - : ( ) . , (ni « / » au début ou à la fin, ni « // »).',
  signedOn: 'Date de signature invalide.',
  debtorName: 'Donnez le titulaire du compte (70 caractères au plus).',
  iban: 'IBAN invalide : vérifiez-le (clé de contrôle comprise).',
  bic: 'BIC invalide : 8 ou 11 caractères, par exemple AGRIFRPP.',
  memberId: 'Ce membre n’existe pas dans cette caisse.',
};
const REFUSALS: Record<string, string> = {
  MANDATE_REFERENCE_TAKEN: 'Cette référence de mandat (RUM) est déjà utilisée dans la caisse : chaque mandat a la sienne.',
  MEMBER_ERASED: 'Ce membre a été effacé (RGPD) : aucun mandat ne peut lui être ajouté.',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a caisse needs before its first batch: its SEPA creditor identity, and each member's signed mandate. */
@WebController('caisses/:caisseId/prelevements')
export class DirectDebitSetupPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
    private readonly members: MembersService,
  ) {}

  @Get('parametres')
  @Roles('admin', 'treasurer')
  async settings(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const saved = await this.contributions.directDebitSettings(caisseId);
    const values = { creditorId: saved?.creditorId ?? '', creditorName: saved?.creditorName ?? '', creditorIban: saved?.creditorIban ?? '', creditorBic: saved?.creditorBic ?? '' };
    await this.renderSettings(req, reply, caisseId, { values, configured: saved !== undefined, done: ok === '1' ? 'Paramètres du prélèvement enregistrés.' : undefined });
  }

  @Post('parametres')
  @Roles('admin', 'treasurer')
  async saveSettings(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body, ['creditorId', 'creditorName', 'creditorIban', 'creditorBic'] as const);
    try {
      const dto = await validated({ ...values, creditorBic: optional(values.creditorBic) }, DirectDebitSettingsInputDto);
      await this.contributions.configureDirectDebit(caisseId, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements/parametres?ok=1`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      const configured = (await this.contributions.directDebitSettings(caisseId)) !== undefined;
      await this.renderSettings(req, reply, caisseId, { values, configured, errors, error: errors ? FORM_HAS_ERRORS : (REFUSALS[e.code] ?? e.message) }, e.status);
    }
  }

  @Get('mandats/nouveau')
  @Roles('admin', 'treasurer')
  async mandateForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('membre') memberParam?: unknown): Promise<void> {
    if (typeof memberParam !== 'string' || !UUID.test(memberParam)) throw new ValidationFailed({ membre: ['membre must be a member id (UUID)'] });
    const member = await this.members.view(caisseId, memberParam.toLowerCase(), 'staff');
    const values = { reference: '', signedOn: todayInFrance(), debtorName: `${member.firstName} ${member.lastName}`.trim(), iban: '', bic: '' };
    await this.renderMandate(req, reply, caisseId, { member, values });
  }

  @Post('mandats')
  @Roles('admin', 'treasurer')
  async recordMandate(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body, ['memberId', 'reference', 'signedOn', 'debtorName', 'iban', 'bic'] as const);
    if (!UUID.test(values.memberId)) throw new ValidationFailed({ memberId: ['memberId must be a member id (UUID)'] });
    const member = await this.members.view(caisseId, values.memberId.toLowerCase(), 'staff');
    try {
      const dto = await validated({ ...values, memberId: member.id, bic: optional(values.bic) }, MandateInputDto);
      await this.contributions.recordMandate(caisseId, dto);
      return this.pages.redirect(reply, `/caisses/${caisseId}/prelevements?ok=mandat`);
    } catch (e) {
      if (!isFormRefusal(e)) throw e;
      const errors = frenchFieldErrors(e, MESSAGES);
      await this.renderMandate(req, reply, caisseId, { member, values, errors, error: errors ? FORM_HAS_ERRORS : (REFUSALS[e.code] ?? e.message) }, e.status);
    }
  }

  private async renderSettings(req: WebRequest, reply: HttpReply, caisseId: string, v: SettingsView, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Paramètres du prélèvement SEPA', body: settingsPage(ctx, v) }, status);
  }

  private async renderMandate(req: WebRequest, reply: HttpReply, caisseId: string, v: MandateView, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: `Mandat de prélèvement : membre ${v.member.number}`, body: mandatePage(ctx, v) }, status);
  }
}
