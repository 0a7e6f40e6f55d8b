import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Forbidden, NotFound, Unauthorized, ValidationFailed } from '../../common/errors/domain-error.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Public, Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { renderTabular } from '../../common/tabular/render.js';
import { TABULAR_FORMATS, type TabularDoc, type TabularFormat } from '../../common/tabular/tabular.types.js';
import { ReportingService } from '../../reporting/reporting.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { html, type SafeHtml } from '../view/html.js';
import { hasRole } from '../view/page-context.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import type { RunwayView, SolidarityView } from './report-views.js';
import { runwayChart, solidarityChart } from './report-charts.js';
import { BOOKS, REPORTS, reportPage, reportsIndex, type WebBookName, type WebReportName } from './reports.page.js';

const ACCOUNT = /^[1-7][0-9]{0,9}$/;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Management reports (public ones without login when the caisse publishes them) and the books, with downloads. */
@WebController('caisses/:caisseId')
export class ReportsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly reporting: ReportingService,
  ) {}

  @Get('rapports')
  @Roles('admin', 'treasurer')
  async index(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('enregistre') saved?: unknown): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const settings = await this.reporting.reportSettings(caisseId);
    const body = reportsIndex(ctx, settings.publicReports, hasRole(ctx, 'admin'), saved === '1' ? 'Publication enregistrée.' : undefined);
    this.pages.send(reply, ctx, { title: 'Rapports et livres', body });
  }

  @Post('rapports/publication')
  @Roles('admin')
  async publish(@UuidParam('caisseId') caisseId: string, @Res() reply: HttpReply, @Body() body: unknown): Promise<void> {
    const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).publicReports : undefined;
    const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    const unknown = chosen.filter((v) => !(v in REPORTS));
    if (unknown.length) throw new ValidationFailed({ publicReports: [`publicReports must hold only ${Object.keys(REPORTS).join(', ')}`] });
    await this.reporting.updateReportSettings(caisseId, { publicReports: [...new Set(chosen)] as WebReportName[] });
    this.pages.redirect(reply, `/caisses/${caisseId}/rapports?enregistre=1`);
  }

  /** Public for the global guard: staff see the full report; anyone else only a report the caisse publishes. */
  @Get('rapports/:report')
  @Public()
  async report(@UuidParam('caisseId') caisseId: string, @Param('report') name: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query() q: Record<string, unknown>): Promise<void> {
    if (!(name in REPORTS)) throw new NotFound('Report', name);
    const report = name as WebReportName;
    const ctx = await this.pages.context(req, reply, caisseId);
    const staff = hasRole(ctx, 'admin', 'treasurer');
    if (!staff && !(await this.reporting.isPublic(caisseId, report))) {
      if (!ctx.principal) throw new Unauthorized('This report is not public: log in.');
      throw new Forbidden('This report needs one of the roles: admin, treasurer.');
    }
    const format = formatOf(q.format);
    const period = { from: str(q.from), to: str(q.to), audience: staff ? ('staff' as const) : ('public' as const) };
    const r = await this.load(caisseId, report, period);
    const p = this.reporting.period(period);
    if (format) return this.download(reply, r.doc, format, `rapport-${report}-${p.from}-${p.to}`);
    const url = `/caisses/${caisseId}/rapports/${report}`;
    const filter = { action: url, from: p.from, to: p.to, download: `${url}?from=${p.from}&to=${p.to}` };
    const chart: SafeHtml = report === 'runway' ? runwayChart(r.view as RunwayView) : report === 'solidarity' ? solidarityChart(r.view as SolidarityView) : html``;
    const scripts = report === 'runway' || report === 'solidarity' ? ['chart.umd.min.js', 'charts.js'] : undefined;
    this.pages.send(reply, ctx, { title: `Rapport : ${REPORTS[report]}`, body: reportPage(filter, r.doc, chart, !staff), scripts });
  }

  @Get('livres/:book')
  @Roles('admin', 'treasurer')
  async book(@UuidParam('caisseId') caisseId: string, @Param('book') name: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query() q: Record<string, unknown>): Promise<void> {
    if (!(name in BOOKS)) throw new NotFound('Book', name);
    const book = name as WebBookName;
    const account = str(q.account);
    if (account !== undefined && !ACCOUNT.test(account)) throw new ValidationFailed({ account: ['account must be an account number or prefix such as 4671 or 51'] });
    const format = formatOf(q.format);
    const query = { from: str(q.from), to: str(q.to), account };
    const r = book === 'balance' ? await this.reporting.balance(caisseId, query) : await this.reporting.generalLedger(caisseId, query);
    const p = this.reporting.period(query);
    if (format) return this.download(reply, r.doc, format, `${book}${account ? `-${account}` : ''}-${p.from}-${p.to}`);
    const ctx = await this.pages.context(req, reply, caisseId);
    const url = `/caisses/${caisseId}/livres/${book}`;
    const filter = { action: url, from: p.from, to: p.to, account: account ?? null, download: `${url}?from=${p.from}&to=${p.to}${account ? `&account=${account}` : ''}` };
    this.pages.send(reply, ctx, { title: BOOKS[book], body: reportPage(filter, r.doc, html``, false) });
  }

  private load(caisseId: string, report: WebReportName, r: { from?: string; to?: string; audience: 'staff' | 'public' }): Promise<{ view: unknown; doc: TabularDoc }> {
    switch (report) {
      case 'funders':
        return this.reporting.funders(caisseId, r);
      case 'runway':
        return this.reporting.runway(caisseId, r);
      case 'solidarity':
        return this.reporting.solidarity(caisseId, r);
      case 'spending':
        return this.reporting.spending(caisseId, r);
      case 'activity':
        return this.reporting.activity(caisseId, r);
    }
  }

  private async download(reply: HttpReply, doc: TabularDoc, format: TabularFormat, basename: string): Promise<void> {
    const file = await renderTabular(doc, format, basename);
    reply.header('Content-Type', file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).header('Cache-Control', 'no-store').send(file.body);
  }
}

function formatOf(v: unknown): TabularFormat | undefined {
  if (v === undefined || v === '' || v === 'html') return undefined;
  if (typeof v === 'string' && (TABULAR_FORMATS as readonly string[]).includes(v)) return v as TabularFormat;
  throw new ValidationFailed({ format: ['format must be one of csv, xlsx, pdf'] });
}
