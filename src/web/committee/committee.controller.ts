import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { DomainError, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import type { CastBallotDto } from '../../governance/dto/ballot.dto.js';
import { GovernanceService } from '../../governance/governance.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formValue } from '../view/forms.js';
import { addNavEntry } from '../view/nav.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { agendaPage, decisionsPage } from './committee.page.js';
import { decisionPage, type DecisionPageData } from './decision.page.js';

addNavEntry({ label: 'Comité', path: '/comite', roles: ['admin', 'committee'] });
addNavEntry({ label: 'Décisions', path: '/comite/decisions', roles: ['member'] });

const GRADE_FIELD = 'grade.';

/** Every value of a repeated form field (checkboxes). */
function formValues(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** The ballot form as the API's ballot body (the governance module checks it against the decision's method). */
function ballotFromForm(body: unknown): CastBallotDto {
  const dto: CastBallotDto = {};
  const choice = formValue(body, 'choice');
  const position = formValue(body, 'position');
  const reason = formValue(body, 'reason')?.trim();
  if (choice) dto.choice = choice;
  if (position) dto.position = position;
  if (reason) dto.reason = reason;
  if (reason && reason.length > 2000) throw new ValidationFailed({ reason: ['reason must be at most 2000 characters'] });
  const approved = formValues(body, 'approved');
  if (approved.length > 30) throw new ValidationFailed({ approved: ['at most 30 options'] });
  if (approved.length || (!choice && !position && body && typeof body === 'object' && !Object.keys(body).some((k) => k.startsWith(GRADE_FIELD)))) dto.approved = approved;
  if (body && typeof body === 'object') {
    const grades = Object.keys(body).filter((k) => k.startsWith(GRADE_FIELD));
    if (grades.length) {
      dto.grades = {};
      for (const k of grades) {
        const g = Number(formValue(body, k));
        if (!Number.isInteger(g) || g < 0 || g > 9) throw new ValidationFailed({ grades: ['choose one grade for each option'] });
        dto.grades[k.slice(GRADE_FIELD.length)] = g;
      }
    }
  }
  return dto;
}

/** The committee's pages: agenda, decisions, voting with each method, results with their verification links. */
@WebController('caisses/:caisseId/comite')
export class CommitteeController {
  constructor(
    private readonly pages: WebPages,
    private readonly governance: GovernanceService,
  ) {}

  @Get()
  @Roles('admin', 'committee')
  async agenda(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Ordre du jour du comité', body: agendaPage(ctx, await this.governance.agenda(ctx.caisse!.id)) });
  }

  @Get('decisions')
  @Roles('admin', 'committee', 'member')
  async decisions(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    this.pages.send(reply, ctx, { title: 'Décisions du comité', body: decisionsPage(ctx, await this.governance.list(ctx.caisse!.id)) });
  }

  @Get('decisions/:decisionId')
  @Roles('admin', 'committee', 'member')
  async decision(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('vote') voted?: string): Promise<void> {
    await this.render(caisseId, decisionId, req, reply, { voted: voted === '1' });
  }

  @Post('decisions/:decisionId/vote')
  @Roles('committee', 'member')
  async vote(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    try {
      const receipt = await this.governance.cast(caisseId.toLowerCase(), decisionId.toLowerCase(), req.principal!, ballotFromForm(body));
      // A secret ballot's receipt is shown once, on this answer (not in a URL a proxy or history would keep); an open
      // ballot redirects, so reloading the page does not post it again.
      if (!receipt.receipt) return this.pages.redirect(reply, `/caisses/${caisseId.toLowerCase()}/comite/decisions/${decisionId.toLowerCase()}?vote=1`);
      await this.render(caisseId, decisionId, req, reply, { voted: true, receipt: receipt.receipt }, 201);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 401) throw e;
      const errors = Object.values((e.extra.errors as Record<string, string[]> | undefined) ?? {}).flat();
      await this.render(caisseId, decisionId, req, reply, { error: `Vote refusé : ${e.message}${errors.length ? ` (${errors.join(' ; ')})` : ''}` }, e.status);
    }
  }

  @Post('decisions/:decisionId/cloture')
  @Roles('admin', 'committee')
  async close(@UuidParam('caisseId') caisseId: string, @UuidParam('decisionId') decisionId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.governance.close(caisseId.toLowerCase(), decisionId.toLowerCase());
    this.pages.redirect(reply, `/caisses/${caisseId.toLowerCase()}/comite/decisions/${decisionId.toLowerCase()}`);
  }

  private async render(caisseId: string, decisionId: string, req: WebRequest, reply: HttpReply, data: Omit<DecisionPageData, 'decision' | 'record'>, status = 200): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const decision = await this.governance.decision(ctx.caisse!.id, decisionId.toLowerCase());
    const record = decision.tally ? await this.governance.decisionRecord(ctx.caisse!.id, decision.id) : null;
    const charts = decision.tally?.method === 'majority-judgment' && decision.tally.detail ? ['chart.umd.min.js', 'charts.js'] : undefined;
    this.pages.send(reply, ctx, { title: decision.title, body: decisionPage(ctx, { decision, record, ...data }), scripts: charts }, status);
  }
}
