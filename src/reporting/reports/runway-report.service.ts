import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { AllocationsService } from '../../allocations/allocations.service.js';
import { addDays } from '../../common/dates.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { formatMoney, money } from '../../common/money/money.js';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import type { ReportAudience } from './report-access.guard.js';
import { monthsBetween, type ReportPeriod, shiftMonth } from './report-period.js';

const HORIZON = 3;
const DAYS_PER_MONTH = 30.4375;

export interface RunwayScenario {
  /** Monthly income assumed (average of the period's receipts). */
  monthlyIncome: string;
  /** Next month's need minus that income: what the reserve loses each month (≤ 0: it does not shrink). */
  monthlyBurn: string;
  /** available ÷ burn, one decimal; null when the burn is not positive (the money does not run out). */
  months: string | null;
  runsOutOn: string | null;
}

export interface RunwayView {
  from: string;
  to: string;
  audience: ReportAudience;
  cash: string;
  wallets: string;
  payables: string;
  commitments: string;
  receivables: string;
  available: string;
  needs: { period: string; members: number; amount: string }[];
  /** available ÷ next month's need (accounting.md), one decimal; null without a need. */
  runwayMonths: string | null;
  receipts: { members: string; funders: string; months: number };
  currentPace: RunwayScenario;
  noNewGrant: RunwayScenario;
}

/** Cash, commitments and what the coming months cost: how long the caisse lasts, with and without new grants. */
@Injectable()
export class RunwayReportService {
  constructor(
    private readonly contributions: ContributionsService,
    private readonly allocations: AllocationsService,
    private readonly ledger: LedgerService,
  ) {}

  /** All reads of this report, in one place (to point them at a read replica later). */
  private async read(caisseId: string, p: ReportPeriod) {
    const months = Array.from({ length: HORIZON }, (_, i) => shiftMonth(p.toMonth, i + 1));
    const funds = await this.contributions.availableForAllocations(caisseId, p.to);
    // Only money allocations may use sets their pace: a coordination grant (FSE+) never pays a wallet.
    const [balances, receipts, needs] = await Promise.all([
      this.ledger.periodBalances(caisseId, { from: p.to, to: p.to }),
      this.contributions.receiptsBetween(caisseId, p.from, p.to, funds.funds),
      Promise.all(months.map((m) => this.need(caisseId, m, p.toMonth))),
    ]);
    return { funds, balances, receipts, needs };
  }

  private async need(caisseId: string, period: string, membersOf: string) {
    try {
      return await this.allocations.monthlyNeed(caisseId, period, membersOf);
    } catch (e) {
      // No rules for that month yet: nothing is promised for it.
      if (e instanceof DomainError && e.code === 'NO_RULES_IN_FORCE') return { period, members: 0, amount: '0.00' };
      throw e;
    }
  }

  async view(caisseId: string, p: ReportPeriod, audience: ReportAudience): Promise<RunwayView> {
    const { funds, balances, receipts, needs } = await this.read(caisseId, p);
    const owed = (prefix: string) =>
      balances.filter((b) => b.number.startsWith(prefix)).reduce((s, b) => s.plus(b.openingCredit).plus(b.credit).minus(b.openingDebit).minus(b.debit), money(0));
    const monthCount = monthsBetween(p.fromMonth, p.toMonth).length;
    const next = money(needs[0].amount);
    const available = money(funds.available);
    const scenario = (income: Decimal): RunwayScenario => {
      const burn = next.minus(income);
      const months = burn.gt(0) ? available.dividedBy(burn) : null;
      return {
        monthlyIncome: formatMoney(income),
        monthlyBurn: formatMoney(burn),
        months: months ? months.toDecimalPlaces(1).toFixed(1) : null,
        runsOutOn: months ? addDays(p.to, months.isNegative() ? 0 : Math.floor(months.times(DAYS_PER_MONTH).toNumber())) : null,
      };
    };
    const memberIncome = money(receipts.members).dividedBy(monthCount).toDecimalPlaces(2);
    const funderIncome = money(receipts.funders).dividedBy(monthCount).toDecimalPlaces(2);
    return {
      from: p.from,
      to: p.to,
      audience,
      cash: funds.cash,
      wallets: formatMoney(owed('4671')),
      payables: formatMoney(owed('401')),
      commitments: funds.commitments,
      receivables: funds.receivables,
      available: funds.available,
      needs,
      runwayMonths: next.gt(0) ? available.dividedBy(next).toDecimalPlaces(1).toFixed(1) : null,
      receipts: { ...receipts, months: monthCount },
      currentPace: scenario(memberIncome.plus(funderIncome)),
      noNewGrant: scenario(memberIncome),
    };
  }

  doc(v: RunwayView): TabularDoc {
    const row = (figure: string, value: string | null) => ({ figure, value });
    return {
      title: 'Trésorerie et autonomie financière',
      subtitle: `Au ${v.to} (rythme mesuré du ${v.from} au ${v.to})`,
      tables: [
        {
          title: 'Situation',
          columns: [{ key: 'figure', label: 'Indicateur', width: 3 }, { key: 'value', label: 'Montant', kind: 'money' }],
          rows: [
            row('Trésorerie (512, fonds utilisables pour les allocations)', v.cash),
            row('Porte-monnaie des adhérents (4671)', v.wallets),
            row('Dû aux points de vente (401)', v.payables),
            row('Engagements', v.commitments),
            row('Créances fléchées allocations', v.receivables),
            row('Disponible pour les allocations', v.available),
          ],
        },
        {
          title: 'Besoins des prochains mois (règles et adhérents actuels)',
          columns: [{ key: 'period', label: 'Mois' }, { key: 'members', label: 'Adhérents', kind: 'int' }, { key: 'amount', label: 'Allocations', kind: 'money' }],
          rows: v.needs.map((n) => ({ ...n })),
        },
        {
          title: 'Autonomie',
          columns: [
            { key: 'scenario', label: 'Scénario', width: 3 },
            { key: 'monthlyIncome', label: 'Recettes / mois', kind: 'money' },
            { key: 'monthlyBurn', label: 'Consommation nette / mois', kind: 'money' },
            { key: 'months', label: 'Mois' },
            { key: 'runsOutOn', label: 'Épuisement', kind: 'date' },
          ],
          rows: [
            { scenario: 'Sans recettes (disponible ÷ besoin du mois)', monthlyIncome: '0.00', monthlyBurn: v.needs[0].amount, months: v.runwayMonths, runsOutOn: null },
            { scenario: 'Au rythme actuel', ...v.currentPace },
            { scenario: 'Sans nouvelle subvention', ...v.noNewGrant },
          ],
        },
      ],
      notes: [`Recettes moyennes sur ${v.receipts.months} mois : adhérents ${v.receipts.members} €, financeurs ${v.receipts.funders} €.`],
    };
  }
}
