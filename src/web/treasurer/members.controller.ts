import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { buildValidationPipe } from '../../common/validation/validation.pipe.js';
import { CreateMemberDto } from '../../members/dto/member-input.dto.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue } from '../view/forms.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { importPage, memberPage, membersPage, newMemberPage, type NewMemberValues } from './members.page.js';

const validation = buildValidationPipe();

/** Members for the treasury and admins: search, enrol, import a CSV with a preview, PIN reset and unlock. */
@WebController('caisses/:caisseId/membres')
export class MembersPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async list(
    @UuidParam('caisseId') caisseId: string,
    @Req() req: WebRequest,
    @Res() reply: HttpReply,
    @Query('q') q?: unknown,
    @Query('statut') statut?: unknown,
    @Query('curseur') cursor?: unknown,
  ): Promise<void> {
    const search = typeof q === 'string' ? q.slice(0, 100) : '';
    const status = typeof statut === 'string' && statut ? statut : '';
    const ctx = await this.pages.context(req, reply, caisseId);
    const page = await this.members.list(caisseId, {
      search,
      status: status || undefined,
      cursor: typeof cursor === 'string' && cursor ? cursor : undefined,
      limit: 50,
    });
    this.pages.send(reply, ctx, { title: 'Membres', body: membersPage(ctx, { members: page.items, search, status, next: page.nextCursor }) });
  }

  @Get('nouveau')
  @Roles('admin')
  async newForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Inscrire un membre', body: newMemberPage(ctx, { values: { joinedOn: new Date().toISOString().slice(0, 10) }, key: randomUUID() }) });
  }

  @Post()
  @Roles('admin')
  async create(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const v: NewMemberValues = Object.fromEntries(
      ['firstName', 'lastName', 'commune', 'status', 'joinedOn', 'adults', 'children', 'email', 'monthlyIncome'].map((k) => [k, formValue(body, k)?.trim() ?? '']),
    );
    const plain = {
      firstName: v.firstName,
      lastName: v.lastName,
      commune: v.commune,
      status: v.status,
      joinedOn: v.joinedOn,
      household: { adults: /^\d+$/.test(v.adults ?? '') ? Number(v.adults) : v.adults, childrenBirthYears: (v.children ?? '').split(/[\s,;]+/).filter(Boolean).map((y) => (/^\d+$/.test(y) ? Number(y) : y)) },
      ...(v.email ? { contact: { email: v.email } } : {}),
      ...(v.monthlyIncome ? { monthlyIncome: v.monthlyIncome.replace(',', '.') } : {}),
    };
    try {
      const dto = (await validation.transform(plain, { type: 'body', metatype: CreateMemberDto })) as CreateMemberDto;
      let pin: string | null = null;
      const result = await this.idempotency.once(caisseId, 'members.create', formValue(body, 'idempotencyKey') || undefined, { ...dto, pin: undefined }, async () => {
        const created = await this.members.create(caisseId, dto);
        pin = created.pin;
        return { status: 201, body: created.member };
      });
      const ctx = await this.pages.context(req, reply, caisseId);
      const message = result.replayed ? 'Ce membre était déjà inscrit (formulaire envoyé deux fois).' : 'Membre inscrit.';
      this.pages.send(reply, ctx, { title: `Membre ${result.body.number}`, body: memberPage(ctx, result.body, { pin, message }) }, 201);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      const ctx = await this.pages.context(req, reply, caisseId);
      const error = 'Le formulaire contient des erreurs : corrigez les champs signalés.';
      this.pages.send(reply, ctx, { title: 'Inscrire un membre', body: newMemberPage(ctx, { values: v, errors: fieldErrorsOf(e), error, key: randomUUID() }) }, e.status);
    }
  }

  @Get('import')
  @Roles('admin')
  async importForm(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Importer des membres', body: importPage(ctx, { csv: '' }) });
  }

  /** action=preview checks every line (nothing written); action=import imports all lines or none. */
  @Post('import')
  @Roles('admin')
  async import(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const csv = formValue(body, 'csv') ?? '';
    const commit = formValue(body, 'action') === 'import';
    const ctx = await this.pages.context(req, reply, caisseId);
    try {
      const report = commit ? await this.members.importCommit(caisseId, csv) : await this.members.importCheck(caisseId, csv);
      this.pages.send(reply, ctx, { title: 'Importer des membres', body: importPage(ctx, { csv: commit ? '' : csv, report }) }, commit ? 201 : 200);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      const report = e.status === 400 ? await this.members.importCheck(caisseId, csv).catch(() => undefined) : undefined;
      this.pages.send(reply, ctx, { title: 'Importer des membres', body: importPage(ctx, { csv, report, error: 'Le fichier n’a pas été importé : ' + e.message }) }, e.status);
    }
  }

  @Get(':memberId')
  @Roles('admin', 'treasurer')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('ok') ok?: unknown): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const member = await this.members.view(caisseId, memberId, 'staff');
    this.pages.send(reply, ctx, { title: `Membre ${member.number}`, body: memberPage(ctx, member, { message: ok === 'deverrouillee' ? 'Carte déverrouillée.' : undefined }) });
  }

  @Post(':memberId/code')
  @Roles('admin')
  async resetPin(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const issued = await this.members.resetPin(caisseId, memberId);
    const ctx = await this.pages.context(req, reply, caisseId);
    const member = await this.members.view(caisseId, memberId, 'staff');
    // Rendered, not redirected: the PIN is shown this once and never stored in clear.
    this.pages.send(reply, ctx, { title: `Membre ${member.number}`, body: memberPage(ctx, member, { pin: issued.pin, message: 'Nouveau code généré ; la carte est déverrouillée.' }) });
  }

  @Post(':memberId/deverrouillage')
  @Roles('admin')
  async unlock(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Res() reply: HttpReply): Promise<void> {
    await this.members.unlockCard(caisseId, memberId);
    this.pages.redirect(reply, `/caisses/${caisseId}/membres/${memberId}?ok=deverrouillee`);
  }
}
