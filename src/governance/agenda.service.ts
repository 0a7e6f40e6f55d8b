import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { AgendaDto } from './dto/agenda.dto.js';

/** What the committee has to do next: votes to cast or close, outlets to review. Computed live, never stored. */
@Injectable()
export class AgendaService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly outlets: OutletsService,
  ) {}

  async agenda(caisseId: string, within = 30): Promise<AgendaDto> {
    const rows: { id: string; title: string; subject: string; opens_at: Date; closes_at: Date; open: boolean; electorate: number; participants: number }[] = await this.txHost.tx.query(
      `SELECT d.id, d.title, d.subject, d.opens_at, d.closes_at, d.opens_at <= now() AS open,
              (SELECT count(*)::int FROM decision_electorate e WHERE e.decision_id = d.id AND e.recusal IS NULL) AS electorate,
              (SELECT count(*)::int FROM decision_participation p WHERE p.decision_id = d.id) AS participants
         FROM decisions d
        WHERE d.caisse_id = $1 AND d.closed_at IS NULL AND d.opens_at <= now() + make_interval(days => $2)
        ORDER BY d.closes_at, d.id`,
      [caisseId, within],
    );
    return {
      decisions: rows.map((r) => ({
        decisionId: r.id, title: r.title, subject: r.subject, state: r.open ? 'open' : 'scheduled', opensAt: r.opens_at.toISOString(), closesAt: r.closes_at.toISOString(),
        electorate: r.electorate, participants: r.participants,
      })),
      outletsDueForReview: await this.outlets.reviewDue(caisseId, within),
    };
  }
}
