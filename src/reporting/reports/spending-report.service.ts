import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { CaissesService } from '../../caisses/caisses.service.js';
import { formatMoney, money } from '../../common/money/money.js';
import type { Table, TabularDoc } from '../../common/tabular/tabular.types.js';
import { MembersService } from '../../members/members.service.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { OutletProfile } from '../../outlets/outlets.types.js';
import { PurchasesService } from '../../purchases/purchases.service.js';
import { incomeBands } from './income-bands.js';
import type { ReportAudience } from './report-access.guard.js';
import { type ReportPeriod, shiftMonth } from './report-period.js';
import { percentOf, rulesOrNone } from './report-helpers.js';
import { smallCount, suppressionNote } from './small-cells.js';

export interface SpendingRow {
  key: string;
  label: string;
  purchases: number;
  amount: string;
  covered: string;
  refunded: string;
}

export interface SpendingView {
  from: string;
  to: string;
  audience: ReportAudience;
  totals: Omit<SpendingRow, 'key' | 'label'>;
  byOutlet: (SpendingRow & { kind: string; commune: string; organic: boolean; local: boolean | null })[];
  byKind: SpendingRow[];
  byCommune: SpendingRow[];
  byMonth: SpendingRow[];
  /** Share of the amount spent at outlets with an organic label (AB, Nature & Progrès, Demeter, HVE), in percent. */
  organicPercent: string | null;
  /** Share spent at outlets in the caisse's territory, in percent (null when the caisse has no territory). */
  localPercent: string | null;
  /** Members active on `to`, there for 2 months or more, who bought nothing in the last 2 months. Never named. */
  inactive: { count: number | null; byCommune: { commune: string; count: number | null }[]; byBand: { band: string; count: number | null }[] };
}

/** Purchases by outlet, kind, commune and month; organic and local shares; members who stopped buying. */
@Injectable()
export class SpendingReportService {
  constructor(
    private readonly purchases: PurchasesService,
    private readonly outlets: OutletsService,
    private readonly members: MembersService,
    private readonly caisses: CaissesService,
  ) {}

  /** All reads of this report, in one place (to point them at a read replica later). */
  private async read(caisseId: string, p: ReportPeriod) {
    const [spending, outlets, profiles, last, caisse, rules] = await Promise.all([
      this.purchases.spendingByOutletMonth(caisseId, p.from, p.to),
      this.outlets.profilesAt(caisseId, p.to),
      this.members.profilesAt(caisseId, p.to),
      this.purchases.lastPurchases(caisseId, p.to),
      this.caisses.get(caisseId),
      rulesOrNone(this.caisses, caisseId, p.to),
    ]);
    return { spending, outlets, profiles, last, territory: caisse.territory, rules };
  }

  async view(caisseId: string, p: ReportPeriod, audience: ReportAudience, minCell: number): Promise<SpendingView> {
    const { spending, outlets, profiles, last, territory, rules } = await this.read(caisseId, p);
    const outletOf = new Map(outlets.map((o) => [o.outletId, o]));
    const isLocal = (o: OutletProfile) => (territory.length ? territory.includes(o.commune) : null);
    const rows = spending.map((s) => ({ ...s, outlet: outletOf.get(s.outletId)! }));
    const group = (keyOf: (r: (typeof rows)[number]) => [string, string]) => {
      const groups = new Map<string, { label: string; items: typeof rows }>();
      for (const r of rows) {
        const [key, label] = keyOf(r);
        groups.set(key, { label, items: [...(groups.get(key)?.items ?? []), r] });
      }
      return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ key, label: g.label, ...sums(g.items) }));
    };
    const total = sums(rows);
    const share = (pred: (o: OutletProfile) => boolean | null) =>
      percentOf(sums(rows.filter((r) => pred(r.outlet))).amount, total.amount);

    // Inactive: active on `to`, joined at least 2 months before, no purchase in the last 2 months.
    const since = `${shiftMonth(p.toMonth, -2)}${p.to.slice(7)}`;
    const lastOn = new Map(last.map((l) => [l.memberId, l.lastOn]));
    const active = profiles.filter((m) => m.status === 'active' && m.joinedOn <= since);
    const inactive = active.filter((m) => (lastOn.get(m.memberId) ?? '') <= since);
    const bands = incomeBands(rules?.contribution, active.map((m) => m.monthlyIncome));
    const count = (n: number) => (audience === 'public' ? smallCount(n, minCell) : n);
    const countBy = (keyOf: (m: (typeof inactive)[number]) => string) => {
      const counts = new Map<string, number>();
      for (const m of inactive) counts.set(keyOf(m), (counts.get(keyOf(m)) ?? 0) + 1);
      return [...counts].sort(([a], [b]) => a.localeCompare(b));
    };
    return {
      from: p.from,
      to: p.to,
      audience,
      totals: total,
      byOutlet: group((r) => [r.outlet.code, r.outlet.name]).map((g) => {
        const o = outlets.find((x) => x.code === g.key)!;
        return { ...g, kind: o.kind, commune: o.communeName ?? o.commune, organic: o.labels.length > 0, local: isLocal(o) };
      }),
      byKind: group((r) => [r.outlet.kind, r.outlet.kind]),
      byCommune: group((r) => [r.outlet.commune, r.outlet.communeName ?? r.outlet.commune]),
      byMonth: group((r) => [r.month, r.month]),
      organicPercent: share((o) => o.labels.length > 0),
      localPercent: territory.length ? share(isLocal) : null,
      inactive: {
        count: count(inactive.length),
        byCommune: countBy((m) => m.commune).map(([commune, n]) => ({ commune, count: count(n) })),
        byBand: countBy((m) => bands.bandOf(m.monthlyIncome).label).map(([band, n]) => ({ band, count: count(n) })),
      },
    };
  }

  doc(v: SpendingView, minCell: number): TabularDoc {
    const cols = (first: string) => [
      { key: 'label', label: first, width: 3 },
      { key: 'purchases', label: 'Achats', kind: 'int' as const },
      { key: 'amount', label: 'Montant', kind: 'money' as const },
      { key: 'covered', label: 'Pris en charge', kind: 'money' as const },
      { key: 'refunded', label: 'Remboursé', kind: 'money' as const },
    ];
    const table = (title: string, first: string, rows: SpendingRow[]): Table => ({ title, columns: cols(first), rows: rows.map((r) => ({ ...r })), totals: { label: 'Total', ...v.totals } });
    return {
      title: 'Dépenses alimentaires des adhérents',
      subtitle: `Du ${v.from} au ${v.to}`,
      tables: [
        table('Par point de vente', 'Point de vente', v.byOutlet),
        table('Par type de point de vente', 'Type', v.byKind),
        table('Par commune du point de vente', 'Commune', v.byCommune),
        table('Par mois', 'Mois', v.byMonth),
        {
          title: 'Parts et adhérents sans achat depuis 2 mois ou plus',
          columns: [{ key: 'figure', label: 'Indicateur', width: 3 }, { key: 'value', label: 'Valeur' }],
          rows: [
            { figure: 'Part dépensée chez des points de vente labellisés bio (%)', value: v.organicPercent },
            { figure: 'Part dépensée sur le territoire de la caisse (%)', value: v.localPercent },
            { figure: 'Adhérents sans achat depuis 2 mois ou plus', value: v.inactive.count },
            ...v.inactive.byCommune.map((c) => ({ figure: `… dont commune ${c.commune}`, value: c.count })),
            ...v.inactive.byBand.map((b) => ({ figure: `… dont tranche ${b.band}`, value: b.count })),
          ],
        },
      ],
      notes: [
        'Catégories de produits : non ventilées, les achats ne conservent pas le détail des lignes par catégorie.',
        ...(v.audience === 'public' ? [suppressionNote(minCell)] : []),
      ],
    };
  }
}

function sums(rows: { purchases: number; amount: string; covered: string; refunded: string }[]): Omit<SpendingRow, 'key' | 'label'> {
  const add = (f: (r: (typeof rows)[number]) => string) => formatMoney(rows.reduce((s: Decimal, r) => s.plus(f(r)), money(0)));
  return { purchases: rows.reduce((s, r) => s + r.purchases, 0), amount: add((r) => r.amount), covered: add((r) => r.covered), refunded: add((r) => r.refunded) };
}
