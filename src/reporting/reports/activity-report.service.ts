import { Injectable } from '@nestjs/common';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { GovernanceService } from '../../governance/governance.service.js';
import { MembersService } from '../../members/members.service.js';
import { OutletsService } from '../../outlets/outlets.service.js';
import type { ReportAudience } from './report-access.guard.js';
import type { ReportPeriod } from './report-period.js';
import { smallCount, suppressionNote } from './small-cells.js';

export interface ActivityView {
  from: string;
  to: string;
  audience: ReportAudience;
  /** Members by status on `to`. */
  membersByStatus: { status: string; count: number | null }[];
  /** Active members on `to`: each is one household. */
  households: number;
  /** People in those households (adults and children). */
  people: number;
  /** Null in a public report when under the small-count threshold. */
  enrolments: number | null;
  exits: number | null;
  outletsByStatus: { status: string; count: number }[];
  decisions: { taken: number; adopted: number; rejected: number; noDecision: number };
}

const STATUS_ORDER = ['applicant', 'waitlisted', 'active', 'suspended', 'left'];

/** Members, households, people, enrolments and exits, outlets by status, decisions taken in the period. */
@Injectable()
export class ActivityReportService {
  constructor(
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly governance: GovernanceService,
  ) {}

  /** All reads of this report, in one place (to point them at a read replica later). */
  private async read(caisseId: string, p: ReportPeriod) {
    const [profiles, moves, outlets, decisions] = await Promise.all([
      this.members.profilesAt(caisseId, p.to),
      this.members.movesBetween(caisseId, p.from, p.to),
      this.outlets.profilesAt(caisseId, p.to),
      this.governance.list(caisseId),
    ]);
    return { profiles, moves, outlets, decisions };
  }

  async view(caisseId: string, p: ReportPeriod, audience: ReportAudience, minCell: number): Promise<ActivityView> {
    const { profiles, moves, outlets, decisions } = await this.read(caisseId, p);
    const active = profiles.filter((m) => m.status === 'active');
    const taken = decisions.filter((d) => d.state === 'closed' && d.closedAt !== null && d.closedAt.slice(0, 10) >= p.from && d.closedAt.slice(0, 10) <= p.to);
    const count = (n: number) => (audience === 'public' ? smallCount(n, minCell) : n);
    return {
      from: p.from,
      to: p.to,
      audience,
      // "1 suspended" in a small caisse points at someone: statuses are people counts too.
      membersByStatus: STATUS_ORDER.map((status) => ({ status, count: count(profiles.filter((m) => m.status === status).length) })),
      households: active.length,
      people: active.reduce((s, m) => s + m.adults + m.children, 0),
      enrolments: count(moves.enrolments),
      exits: count(moves.exits),
      outletsByStatus: tally(outlets.map((o) => o.status ?? 'candidate')),
      decisions: {
        taken: taken.length,
        adopted: taken.filter((d) => d.tally?.outcome === 'adopted').length,
        rejected: taken.filter((d) => d.tally?.outcome === 'rejected').length,
        noDecision: taken.filter((d) => d.tally?.outcome === 'no-decision').length,
      },
    };
  }

  doc(v: ActivityView, minCell: number): TabularDoc {
    const figures: [string, number | null][] = [
      ['Foyers adhérents actifs', v.households],
      ['Personnes dans ces foyers', v.people],
      ['Entrées sur la période', v.enrolments],
      ['Sorties sur la période', v.exits],
      ['Décisions prises', v.decisions.taken],
      ['… adoptées', v.decisions.adopted],
      ['… rejetées', v.decisions.rejected],
      ['… sans décision', v.decisions.noDecision],
    ];
    return {
      title: 'Activité de la caisse',
      subtitle: `Du ${v.from} au ${v.to}`,
      tables: [
        { title: 'Chiffres clés', columns: [{ key: 'figure', label: 'Indicateur', width: 3 }, { key: 'value', label: 'Valeur', kind: 'int' }], rows: figures.map(([figure, value]) => ({ figure, value })) },
        { title: 'Adhérents par statut', columns: [{ key: 'status', label: 'Statut', width: 2 }, { key: 'count', label: 'Nombre', kind: 'int' }], rows: v.membersByStatus },
        { title: 'Points de vente par statut', columns: [{ key: 'status', label: 'Statut', width: 2 }, { key: 'count', label: 'Nombre', kind: 'int' }], rows: v.outletsByStatus },
      ],
      notes: v.audience === 'public' ? [suppressionNote(minCell)] : [],
    };
  }
}

function tally(values: string[]): { status: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => ({ status, count }));
}
