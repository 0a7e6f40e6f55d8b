import { Injectable } from '@nestjs/common';
import { ReadReplica } from '../database/read-replica.js';
import { TransactionHost } from '../database/transaction.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { TallyDto } from './dto/decision.dto.js';
import type { RegisterDecisionDto, RegisterDto, RegisterOutletDto } from './dto/register.dto.js';

interface ClosedRow { id: string; title: string; subject: string; method: { kind: string }; closed_at: Date; outcome: string; tally: TallyDto; transition_id: string | null; outlet_id: string | null }

const toEntry = (r: ClosedRow): RegisterDecisionDto => ({
  decisionId: r.id, title: r.title, subject: r.subject, method: r.method.kind, closedAt: r.closed_at.toISOString(), outcome: r.outcome, tally: r.tally, transitionId: r.transition_id,
});

/**
 * The public register: what a citizen may read without an account (no names of members, no bank details), read in
 * one snapshot on the replica while it keeps up.
 */
@Injectable()
export class RegisterService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly outlets: OutletsService,
    private readonly replica: ReadReplica,
  ) {}

  register(caisseId: string): Promise<RegisterDto> {
    return this.replica.read(() => this.read(caisseId));
  }

  private async read(caisseId: string): Promise<RegisterDto> {
    const rows: ClosedRow[] = await this.txHost.tx.query(
      `SELECT id, title, subject, method, closed_at, outcome, tally, transition_id, outlet_id FROM decisions
        WHERE caisse_id = $1 AND closed_at IS NOT NULL ORDER BY closed_at DESC, id`,
      [caisseId],
    );
    const outletIds = [...new Set(rows.map((r) => r.outlet_id).filter((id): id is string => id !== null))];
    const outlets: RegisterOutletDto[] = [];
    for (const outletId of outletIds) {
      const s = await this.outlets.standingAt(caisseId, outletId);
      if (!s.accepting) continue;
      outlets.push({
        outletId, name: s.name, status: s.status ?? 'candidate', since: s.since?.toISOString() ?? null, reviewOn: s.reviewOn, validUntil: s.validUntil,
        decisions: rows.filter((r) => r.outlet_id === outletId).map(toEntry),
      });
    }
    return { caisseId, outlets: outlets.sort((a, b) => a.name.localeCompare(b.name, 'fr')), decisions: rows.map(toEntry) };
  }
}
