import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { AllocationsService } from '../../allocations/allocations.service.js';
import { CaissesService } from '../../caisses/caisses.service.js';
import { formatMoney, money, roundCents } from '../../common/money/money.js';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { MembersService } from '../../members/members.service.js';
import { incomeBands, medianIncome } from './income-bands.js';
import type { ReportAudience } from './report-access.guard.js';
import { percentOf, rulesOrNone } from './report-helpers.js';
import type { ReportPeriod } from './report-period.js';
import { isSmall, suppressionNote } from './small-cells.js';

export interface SolidarityBand {
  band: string;
  label: string;
  /** Null (with every amount of the row) in a public report when under the small-count threshold. */
  members: number | null;
  contributions: string | null;
  allocations: string | null;
  averageContribution: string | null;
  averageAllocation: string | null;
  /** allocations − contributions: what the band received from the others (negative: what it gave). */
  netTransfer: string | null;
}

export interface SolidarityView {
  from: string;
  to: string;
  audience: ReportAudience;
  bandsFrom: 'grid' | 'deciles';
  bands: SolidarityBand[];
  totals: { members: number; contributions: string; allocations: string };
  medianIncome: string | null;
  /** Share of all allocations financed by members above the median income (their contributions − allocations), in percent. */
  redistributionPercent: string | null;
}

/** Contributions against allocations by income band, and how much the better-off finance the others. */
@Injectable()
export class SolidarityReportService {
  constructor(
    private readonly members: MembersService,
    private readonly contributions: ContributionsService,
    private readonly allocations: AllocationsService,
    private readonly caisses: CaissesService,
  ) {}

  /** All reads of this report, in one place (to point them at a read replica later). */
  private async read(caisseId: string, p: ReportPeriod) {
    const [profiles, paid, credited, rules] = await Promise.all([
      this.members.profilesAt(caisseId, p.to),
      this.contributions.memberContributionsBetween(caisseId, p.fromMonth, p.toMonth),
      this.allocations.creditedBetween(caisseId, p.fromMonth, p.toMonth),
      rulesOrNone(this.caisses, caisseId, p.to),
    ]);
    return { profiles, paid, credited, rules };
  }

  async view(caisseId: string, p: ReportPeriod, audience: ReportAudience, minCell: number): Promise<SolidarityView> {
    const { profiles, paid, credited, rules } = await this.read(caisseId, p);
    const sumBy = (rows: { memberId: string; amount: string }[]) => {
      const m = new Map<string, Decimal>();
      for (const r of rows) m.set(r.memberId, (m.get(r.memberId) ?? money(0)).plus(r.amount));
      return m;
    };
    const contributed = sumBy(paid);
    const received = sumBy(credited);
    // The members of the period: whoever paid or received something, and whoever is active at its end.
    const involved = profiles.filter((m) => contributed.has(m.memberId) || received.has(m.memberId) || m.status === 'active');
    const incomes = involved.map((m) => m.monthlyIncome);
    const { bands, bandOf } = incomeBands(rules?.contribution, incomes);
    const median = medianIncome(incomes);
    const of = (map: Map<string, Decimal>, id: string) => map.get(id) ?? money(0);
    const total = (ids: string[], map: Map<string, Decimal>) => ids.reduce((s, id) => s.plus(of(map, id)), money(0));

    const rows = bands.map((b) => {
      const ids = involved.filter((m) => bandOf(m.monthlyIncome).key === b.key).map((m) => m.memberId);
      const c = total(ids, contributed);
      const a = total(ids, received);
      const hidden = audience === 'public' && isSmall(ids.length, minCell);
      const avg = (x: Decimal) => (ids.length ? formatMoney(roundCents(x.dividedBy(ids.length))) : '0.00');
      return {
        band: b.key,
        label: b.label,
        members: hidden ? null : ids.length,
        contributions: hidden ? null : formatMoney(c),
        allocations: hidden ? null : formatMoney(a),
        averageContribution: hidden ? null : avg(c),
        averageAllocation: hidden ? null : avg(a),
        netTransfer: hidden ? null : formatMoney(a.minus(c)),
      };
    });
    const allIds = involved.map((m) => m.memberId);
    const allAllocations = total(allIds, received);
    const above = median === null ? [] : involved.filter((m) => m.monthlyIncome !== null && money(m.monthlyIncome).gt(median)).map((m) => m.memberId);
    const financed = atLeastZero(total(above, contributed).minus(total(above, received)));
    return {
      from: p.from,
      to: p.to,
      audience,
      bandsFrom: rules?.contribution.rule === 'grid' ? 'grid' : 'deciles',
      bands: rows.filter((r) => r.members !== 0),
      totals: { members: involved.length, contributions: formatMoney(total(allIds, contributed)), allocations: formatMoney(allAllocations) },
      medianIncome: audience === 'public' ? null : median,
      redistributionPercent: median === null ? null : percentOf(formatMoney(financed), formatMoney(allAllocations)),
    };
  }

  doc(v: SolidarityView, minCell: number): TabularDoc {
    return {
      title: 'Solidarité : cotisations et allocations par tranche de revenu',
      subtitle: `Du ${v.from} au ${v.to} — tranches ${v.bandsFrom === 'grid' ? 'de la grille de la caisse' : 'en déciles de revenu déclaré'}`,
      tables: [
        {
          columns: [
            { key: 'label', label: 'Tranche', width: 2 },
            { key: 'members', label: 'Adhérents', kind: 'int' },
            { key: 'contributions', label: 'Cotisations', kind: 'money' },
            { key: 'allocations', label: 'Allocations', kind: 'money' },
            { key: 'averageContribution', label: 'Cotisation moyenne', kind: 'money' },
            { key: 'averageAllocation', label: 'Allocation moyenne', kind: 'money' },
            { key: 'netTransfer', label: 'Transfert net reçu', kind: 'money' },
          ],
          rows: v.bands.map((b) => ({ ...b })),
          totals: { label: 'Total', members: v.totals.members, contributions: v.totals.contributions, allocations: v.totals.allocations },
        },
        {
          title: 'Redistribution',
          columns: [{ key: 'figure', label: 'Indicateur', width: 3 }, { key: 'value', label: 'Valeur' }],
          rows: [
            { figure: 'Part des allocations financée par les adhérents au-dessus du revenu médian (%)', value: v.redistributionPercent },
            ...(v.medianIncome === null ? [] : [{ figure: 'Revenu mensuel médian déclaré', value: v.medianIncome }]),
          ],
        },
      ],
      notes: [
        'Taux de redistribution : (cotisations − allocations des adhérents dont le revenu déclaré dépasse la médiane, si positif) ÷ total des allocations.',
        ...(v.audience === 'public' ? [suppressionNote(minCell)] : []),
      ],
    };
  }
}

function atLeastZero(x: Decimal): Decimal {
  return x.isNegative() ? money(0) : x;
}
