import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { AllocationsService } from '../../allocations/allocations.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { ContributionsService } from '../../contributions/contributions.service.js';
import { ReadReplica } from '../../database/read-replica.js';
import { Transactional, TransactionHost } from '../../database/transaction.js';
import { GovernanceService } from '../../governance/governance.service.js';
import { MembersService } from '../../members/members.service.js';

/** The figures a caisse may publish, in display order, with their French labels. */
export const PUBLIC_FIGURES = {
  members: 'Membres actifs ce mois-ci',
  allocations: 'Allocations versées le dernier mois terminé',
  outlets: 'Points de vente conventionnés',
  decisions: 'Décisions du comité citoyen',
  available: 'Fonds disponibles pour les allocations',
} as const;
export type PublicFigure = keyof typeof PUBLIC_FIGURES;
export const FIGURE_KEYS = Object.keys(PUBLIC_FIGURES) as PublicFigure[];

export interface FigureValue {
  key: PublicFigure;
  label: string;
  /** A count, or an amount (decimal string) when `amount`. */
  value: string;
  amount: boolean;
}

/** Which figures a caisse publishes (its admins choose), and their live values read through the facades. */
@Injectable()
export class PublicFiguresService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly members: MembersService,
    private readonly allocations: AllocationsService,
    private readonly governance: GovernanceService,
    private readonly contributions: ContributionsService,
    private readonly replica: ReadReplica,
  ) {}

  async chosen(caisseId: string): Promise<PublicFigure[]> {
    const [row]: { figures: string[] }[] = await this.txHost.tx.query(`SELECT figures FROM web_public_figures WHERE caisse_id = $1`, [caisseId]);
    return FIGURE_KEYS.filter((k) => row?.figures.includes(k));
  }

  @Transactional()
  async choose(caisseId: string, figures: PublicFigure[]): Promise<void> {
    const before = await this.chosen(caisseId);
    await this.txHost.tx.query(
      `INSERT INTO web_public_figures (caisse_id, figures) VALUES ($1, $2)
       ON CONFLICT (caisse_id) DO UPDATE SET figures = EXCLUDED.figures, updated_at = now()`,
      [caisseId, figures],
    );
    await this.audit.record({ caisseId, action: 'public-figures.chosen', targetType: 'caisse', targetId: caisseId, before: { figures: before }, after: { figures } });
  }

  /** The live values of the chosen figures only (nothing else is read). */
  async values(caisseId: string): Promise<FigureValue[]> {
    // The choice is the admin's own write (primary); the figures are public reads, from the replica while it keeps up.
    const chosen = await this.chosen(caisseId);
    const now = new Date();
    const period = now.toISOString().slice(0, 7);
    return this.replica.read(async () => {
      const out: FigureValue[] = [];
      for (const key of chosen) {
        const value = await this.read(caisseId, key, period, now);
        out.push({ key, label: PUBLIC_FIGURES[key], value: value.value, amount: value.amount });
      }
      return out;
    });
  }

  private async read(caisseId: string, key: PublicFigure, period: string, now: Date): Promise<{ value: string; amount: boolean }> {
    switch (key) {
      case 'members':
        return { value: String((await this.members.activeInPeriod(caisseId, period)).length), amount: false };
      case 'allocations': {
        const done = (await this.allocations.list(caisseId)).find((r) => !r.dryRun && r.status === 'completed');
        return { value: done ? new Decimal(done.totals.amount).toFixed(2) : '0.00', amount: true };
      }
      case 'outlets':
        return { value: String((await this.governance.register(caisseId)).outlets.length), amount: false };
      case 'decisions':
        return { value: String((await this.governance.register(caisseId)).decisions.length), amount: false };
      case 'available':
        return { value: new Decimal((await this.contributions.availableForAllocations(caisseId, now.toISOString().slice(0, 10))).available).toFixed(2), amount: true };
    }
  }
}
