import { Get, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import type { WebRequest } from '../session/web-session.types.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';
import { DashboardData } from './dashboard.data.js';
import { dashboardPage } from './dashboard.page.js';

@WebController('caisses/:caisseId')
export class DashboardController {
  constructor(
    private readonly pages: WebPages,
    private readonly data: DashboardData,
  ) {}

  @Get('tableau-de-bord')
  @Roles('admin', 'treasurer')
  async dashboard(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply): Promise<void> {
    const ctx = await this.pages.context(req, reply, caisseId);
    const view = await this.data.load(caisseId);
    this.pages.send(reply, ctx, { title: 'Tableau de bord', body: dashboardPage(ctx, view), scripts: ['chart.umd.min.js', 'charts.js'] });
  }
}
