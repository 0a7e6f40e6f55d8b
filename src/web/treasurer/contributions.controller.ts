import { Get, Query, Req, Res } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { PERIOD_PATTERN } from '../../allocations/dto/allocation-run.dto.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import type { HttpReply } from '../../common/http/http-types.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { MembersService } from '../../members/members.service.js';
import type { WebRequest } from '../session/web-session.types.js';
import { formatAmount, formatInteger, formatPeriod } from '../view/format.js';
import { field, notice } from '../view/forms.js';
import { html } from '../view/html.js';
import { WebController } from '../web-controller.decorator.js';
import { WebPages } from '../web-pages.service.js';

const STATUS_FR: Record<string, string> = { due: 'À régler', paid: 'Réglée', partial: 'Réglée en partie', waived: 'Dispensée' };

/** The members' contributions of a month: due, received, who still owes, each with a link to record a payment. */
@WebController('caisses/:caisseId/contributions')
export class ContributionsPagesController {
  constructor(
    private readonly pages: WebPages,
    private readonly contributions: ContributionsService,
    private readonly members: MembersService,
  ) {}

  @Get()
  @Roles('admin', 'treasurer')
  async month(@UuidParam('caisseId') caisseId: string, @Req() req: WebRequest, @Res() reply: HttpReply, @Query('mois') mois?: unknown, @Query('paiement') recorded?: unknown, @Query('dispense') waived?: unknown): Promise<void> {
    const period = typeof mois === 'string' && PERIOD_PATTERN.test(mois) ? mois : new Date().toISOString().slice(0, 7);
    const ctx = await this.pages.context(req, reply, caisseId);
    const [statuses, roster] = await Promise.all([this.contributions.statusFor(caisseId, period), this.members.activeInPeriod(caisseId, period)]);
    const numbers = new Map(roster.map((m) => [m.memberId, m.pseudonym]));
    const due = statuses.reduce((s, x) => s.plus(x.due), new Decimal(0)).toFixed(2);
    const paid = statuses.reduce((s, x) => s.plus(x.paid), new Decimal(0)).toFixed(2);
    const open = statuses.filter((s) => s.status === 'due' || s.status === 'partial');
    const base = `/caisses/${caisseId}`;
    const body = html`${notice(recorded === '1' ? 'Paiement enregistré.' : waived === '1' ? 'Dispense enregistrée : ce mois n’est plus dû.' : undefined)}<form method="get" action="${base}/contributions" class="search">
  ${field({ name: 'mois', label: 'Mois', type: 'month', value: period })}
  <button type="submit">Afficher</button>
</form>
<p>${formatPeriod(period)} : reçues <span class="amount">${formatAmount(paid)}</span> sur <span class="amount">${formatAmount(due)}</span> dues,
${formatInteger(statuses.length)} membre(s) concerné(s), ${formatInteger(open.length)} restant à régler.</p>
<h2>Restant à régler</h2>
${open.length === 0
  ? html`<p>Tout est réglé.</p>`
  : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">Membre</th><th scope="col">État</th><th scope="col" class="num">Dû</th><th scope="col" class="num">Réglé</th><th scope="col">Paiement</th></tr></thead>
  <tbody>${open.map(
    (s) => html`<tr><td><a href="${base}/membres/${s.memberId}">${numbers.get(s.memberId) ?? 'Membre'}</a></td><td>${STATUS_FR[s.status] ?? s.status}</td>
      <td class="num amount">${formatAmount(s.due)}</td><td class="num amount">${formatAmount(s.paid)}</td>
      <td><a href="${base}/contributions/paiement?membre=${s.memberId}&amp;mois=${period}">Enregistrer un paiement<span class="sr-only"> de ${numbers.get(s.memberId) ?? 'ce membre'}</span></a></td></tr>`,
  )}</tbody>
</table></div>`}`;
    this.pages.send(reply, ctx, { title: 'Cotisations', body });
  }
}
