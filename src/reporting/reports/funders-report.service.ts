import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { formatMoney, money } from '../../common/money/money.js';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import type { GrantWithFunder } from '../../contributions/contributions.types.js';
import type { DimensionTotalView } from '../../ledger/ledger.types.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import type { ReportAudience } from './report-access.guard.js';
import type { ReportPeriod } from './report-period.js';
import { fseStatement, type FseStatement, fseTables } from './fse-statement.js';

export interface FunderGrantRow {
  reference: string;
  funder: string;
  funderType: string | null;
  fund: string | null;
  notified: string;
  received: string;
  receivable: string;
  /** Expenses on the grant: lines carrying its reference, plus its share of its fund's expenses (oldest grant first). */
  used: string;
  /** notified − used: what would go to fonds dédiés (194/195) at year end. */
  unused: string;
}

export interface FundRow {
  fund: string | null;
  received: string;
  receivable: string;
  used: string;
  usedInPeriod: string;
  available: string;
}

export interface FundersView {
  from: string;
  to: string;
  audience: ReportAudience;
  grants: FunderGrantRow[];
  funds: FundRow[];
  topUps: { period: string; fund: string | null; members: number; amount: string }[];
  topUpTotal: string;
  operation: FseStatement | null;
}

const net = (rows: DimensionTotalView[], pred: (r: DimensionTotalView) => boolean, side: 'debit' | 'credit' = 'debit'): Decimal =>
  rows.filter(pred).reduce((s, r) => (side === 'debit' ? s.plus(r.debit).minus(r.credit) : s.plus(r.credit).minus(r.debit)), money(0));

const sumOf = (rows: DimensionTotalView[], pred: (r: DimensionTotalView) => boolean, side: 'debit' | 'credit'): Decimal =>
  rows.filter(pred).reduce((s, r) => s.plus(r[side]), money(0));

/** Per grant and funder: notified, received, used, unused; per fund; the Savoie top-ups; an FSE+ statement. */
@Injectable()
export class FundersReportService {
  constructor(
    private readonly contributions: ContributionsService,
    private readonly ledger: LedgerService,
  ) {}

  /** All reads of this report, in one place (to point them at a read replica later). */
  private async read(caisseId: string, p: ReportPeriod) {
    const [grants, cumulative, inPeriod, topUps] = await Promise.all([
      this.contributions.grantsWithFunders(caisseId),
      this.ledger.dimensionTotals(caisseId, null, p.to),
      this.ledger.dimensionTotals(caisseId, p.from, p.to),
      this.contributions.topUpsBetween(caisseId, p.fromMonth, p.toMonth),
    ]);
    return { grants: grants.filter((g) => g.notifiedOn <= p.to), cumulative, inPeriod, topUps };
  }

  async view(caisseId: string, p: ReportPeriod, audience: ReportAudience, operation?: string): Promise<FundersView> {
    const { grants, cumulative, inPeriod, topUps } = await this.read(caisseId, p);
    const used = attributeUse(grants, cumulative);
    const rows = grants.map((g) => {
      // What the funder paid: the credits to its receivable (441/4687) under the grant, i.e. the tranches.
      const received = sumOf(cumulative, (r) => r.kind === 'receivable' && r.grantRef === g.reference, 'credit');
      const u = used.get(g.reference)!;
      return {
        reference: g.reference,
        funder: g.funderName,
        funderType: g.funderType ?? g.funderKind,
        fund: g.fund,
        notified: g.notified,
        received: formatMoney(received),
        receivable: formatMoney(money(g.notified).minus(received)),
        used: formatMoney(u),
        unused: formatMoney(money(g.notified).minus(u)),
      };
    });
    const fundCodes = [...new Set([null, ...grants.map((g) => g.fund), ...cumulative.filter((r) => r.fund !== null).map((r) => r.fund)])];
    const funds = fundCodes.map((fund) => {
      // Money that came in on the fund (bank debits); what it paid from the bank shows in `used`.
      const received = sumOf(cumulative, (r) => r.kind === 'bank' && r.fund === fund, 'debit');
      const receivable = net(cumulative, (r) => r.kind === 'receivable' && r.fund === fund);
      const spent = net(cumulative, (r) => r.kind === 'expense' && r.fund === fund);
      return {
        fund,
        received: formatMoney(received),
        receivable: formatMoney(receivable),
        used: formatMoney(spent),
        usedInPeriod: formatMoney(net(inPeriod, (r) => r.kind === 'expense' && r.fund === fund)),
        available: formatMoney(received.plus(receivable).minus(spent)),
      };
    });
    let statement: FseStatement | null = null;
    if (operation !== undefined) {
      const grant = grants.find((g) => g.reference === operation);
      if (!grant) throw new ValidationFailed({ operation: [`no grant notified by ${p.to} has the reference ${operation}`] });
      statement = fseStatement(grant, cumulative, used.get(grant.reference)!);
    }
    return {
      from: p.from,
      to: p.to,
      audience,
      grants: rows,
      funds,
      topUps: topUps.map((t) => ({ period: t.period, fund: t.fund, members: t.members, amount: formatMoney(t.amount) })),
      topUpTotal: formatMoney(topUps.reduce((s, t) => s.plus(t.amount), money(0))),
      operation: statement,
    };
  }

  doc(v: FundersView): TabularDoc {
    return {
      title: 'Rapport aux financeurs',
      subtitle: `Au ${v.to} (consommation de la période : du ${v.from} au ${v.to})`,
      tables: [
        {
          title: 'Par convention et financeur',
          columns: [
            { key: 'funder', label: 'Financeur', width: 2 },
            { key: 'reference', label: 'Convention', width: 1.5 },
            { key: 'fund', label: 'Fonds' },
            { key: 'notified', label: 'Notifié', kind: 'money' },
            { key: 'received', label: 'Encaissé', kind: 'money' },
            { key: 'receivable', label: 'À recevoir', kind: 'money' },
            { key: 'used', label: 'Utilisé', kind: 'money' },
            { key: 'unused', label: 'Non utilisé', kind: 'money' },
          ],
          rows: v.grants.map((g) => ({ ...g })),
        },
        {
          title: 'Par fonds',
          columns: [
            { key: 'fund', label: 'Fonds', width: 2 },
            { key: 'received', label: 'Encaissé', kind: 'money' },
            { key: 'receivable', label: 'À recevoir', kind: 'money' },
            { key: 'used', label: 'Utilisé (cumul)', kind: 'money' },
            { key: 'usedInPeriod', label: 'Utilisé (période)', kind: 'money' },
            { key: 'available', label: 'Disponible', kind: 'money' },
          ],
          rows: v.funds.map((f) => ({ ...f, fund: f.fund ?? 'Non affecté' })),
        },
        {
          title: 'Compléments versés (modèle savoyard)',
          columns: [{ key: 'period', label: 'Mois' }, { key: 'fund', label: 'Fonds', width: 2 }, { key: 'members', label: 'Foyers', kind: 'int' }, { key: 'amount', label: 'Complément', kind: 'money' }],
          rows: v.topUps.map((t) => ({ ...t, fund: t.fund ?? 'Non affecté' })),
          totals: { period: 'Total', amount: v.topUpTotal },
        },
        ...(v.operation ? fseTables(v.operation) : []),
      ],
      notes: [
        "Utilisé : dépenses portant la référence de la convention, plus la part des dépenses de son fonds, imputées aux conventions du fonds de la plus ancienne à la plus récente, dans la limite du montant notifié.",
      ],
    };
  }
}

/**
 * Expenses per grant: the lines that carry its reference, then each restricted fund's untagged expenses given to
 * that fund's grants oldest first, each up to what it notified. Unrestricted grants only count their tagged lines.
 */
function attributeUse(grants: GrantWithFunder[], rows: DimensionTotalView[]): Map<string, Decimal> {
  const used = new Map(grants.map((g) => [g.reference, net(rows, (r) => r.kind === 'expense' && r.grantRef === g.reference)]));
  const funds = new Set(grants.map((g) => g.fund).filter((f): f is string => f !== null));
  for (const fund of funds) {
    let left = net(rows, (r) => r.kind === 'expense' && r.fund === fund && r.grantRef === null);
    const ordered = grants.filter((g) => g.fund === fund).sort((a, b) => a.notifiedOn.localeCompare(b.notifiedOn) || a.reference.localeCompare(b.reference));
    for (const g of ordered) {
      if (!left.gt(0)) break;
      const room = money(g.notified).minus(used.get(g.reference)!);
      const take = room.lt(left) ? room : left;
      if (take.gt(0)) {
        used.set(g.reference, used.get(g.reference)!.plus(take));
        left = left.minus(take);
      }
    }
  }
  return used;
}
