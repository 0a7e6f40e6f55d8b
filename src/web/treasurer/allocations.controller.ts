import { randomUUID } from 'node:crypto';
import { Body, Get, Post, Req, Res } from '@nestjs/common';
import { AllocationsService } from '../../allocations/allocations.service.js';
import { PERIOD_PATTERN } from '../../allocations/dto/allocation-run.dto.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import type { WebRequest } from '../session/web-session.types.js';
import { fieldErrorsOf, formValue, type FieldErrors } from '../view/forms.js';
import { formatPeriod } from '../view/format.js';
import { render } from '../view/html.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { runPage, runProgress, runsPage } from './allocations.page.js';

/** Allocation runs: start one, follow its progress live, see the result, cancel or catch up. */
@WebController('caisses/:caisseId/allocations')
export class AllocationsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly runs: AllocationsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer', 'committee')
  async list(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const runs = await this.runs.list(caisseId);
    this.pages.send(reply, ctx, { title: 'Allocations', body: runsPage(ctx, { runs, period: new Date().toISOString().slice(0, 7), key: randomUUID() }) });
  }

  @Post()
  @Roles('admin', 'treasurer')
  async start(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const period = formValue(body, 'period')?.trim() ?? '';
    const dryRun = formValue(body, 'dryRun') === 'true';
    const key = formValue(body, 'idempotencyKey');
    let error: string | undefined;
    let status = 400;
    let errors: FieldErrors | undefined = PERIOD_PATTERN.test(period) ? undefined : { period: ['Indiquez un mois au format AAAA-MM.'] };
    if (!errors) {
      try {
        // The form's key makes a double submit (or a reload of the POST) start nothing twice, as the API's header does.
        const result = await this.idempotency.once(caisseId, 'allocations.request', key || undefined, { period, dryRun }, async () => {
          const run = await this.runs.request(caisseId, { period, dryRun });
          return { status: 202, body: { id: run.id } };
        });
        return this.pages.redirect(reply, `/caisses/${caisseId}/allocations/${result.body.id}`);
      } catch (e) {
        if (!(e instanceof DomainError) || (e.status >= 500 && e.status !== 503)) throw e;
        errors = fieldErrorsOf(e);
        error = french(e);
        status = e.status;
      }
    }
    const ctx = await this.pages.context(req, reply, caisseId);
    const runs = await this.runs.list(caisseId);
    this.pages.send(reply, ctx, { title: 'Allocations', body: runsPage(ctx, { runs, period, error, errors, key: randomUUID() }) }, status);
  }

  @Get(':runId')
  @Roles('admin', 'treasurer', 'committee')
  async show(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const run = await this.runs.get(caisseId, runId);
    this.pages.send(reply, ctx, { title: `Allocations de ${periodLabel(run.period)}`, body: runPage(ctx, run) });
  }

  /** The progress fragment htmx polls; once the run is over it asks htmx to reload the page and show the result. */
  @Get(':runId/progression')
  @Roles('admin', 'treasurer', 'committee')
  async progress(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const run = await this.runs.get(caisseId, runId);
    if (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') reply.header('HX-Refresh', 'true');
    this.pages.sendFragment(reply, render(runProgress(ctx, run)));
  }

  @Post(':runId/annuler')
  @Roles('admin', 'treasurer')
  async cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.act(caisseId, runId, req, reply, () => this.runs.cancel(caisseId, runId));
  }

  @Post(':runId/rattrapage')
  @Roles('admin', 'treasurer')
  async catchUp(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    await this.act(caisseId, runId, req, reply, () => this.runs.catchUp(caisseId, runId));
  }

  private async act(caisseId: string, runId: string, req: WebRequest, reply: HttpReply, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      return this.pages.redirect(reply, `/caisses/${caisseId}/allocations/${runId}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 409) throw e;
      const ctx = await this.pages.context(req, reply, caisseId);
      const run = await this.runs.get(caisseId, runId);
      this.pages.send(reply, ctx, { title: `Allocations de ${periodLabel(run.period)}`, body: runPage(ctx, run, french(e)) }, 409);
    }
  }
}

function periodLabel(period: string): string {
  return formatPeriod(period);
}

/** The refusals a treasurer can meet here, in French (others keep the API's sentence). */
const REFUSALS: Record<string, string> = {
  PERIOD_CLOSED: 'Ce mois est clôturé : on ne peut plus y verser d’allocations.',
  QUEUE_UNAVAILABLE: 'La file des traitements est momentanément injoignable ; rien n’a été enregistré. Réessayez dans un instant.',
  IDEMPOTENCY_CONFLICT: 'Ce formulaire a déjà servi pour une autre demande : rechargez la page.',
  RUN_FINISHED: 'Cette exécution est déjà terminée.',
};

function french(e: DomainError): string {
  return REFUSALS[e.code] ?? e.message;
}
