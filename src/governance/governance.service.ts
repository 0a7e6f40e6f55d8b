import { Injectable } from '@nestjs/common';
import type { PublishedDraw } from '../common/sortition/sortition.types.js';
import type { DrawVerification } from '../common/sortition/verify.js';
import type { Principal } from '../common/request-context/principal.js';
import { TransactionHost } from '../database/transaction.js';
import { AgendaService } from './agenda.service.js';
import { BallotsService } from './ballots.service.js';
import { CommitteeDrawsService } from './committee-draws.service.js';
import { CommitteeService } from './committee.service.js';
import { DecisionCloseService } from './decision-close.service.js';
import { DecisionsService } from './decisions.service.js';
import type { AgendaDto } from './dto/agenda.dto.js';
import type { BallotReceiptDto, CastBallotDto } from './dto/ballot.dto.js';
import type { CommitteeDrawDto } from './dto/committee-draw.dto.js';
import type { MandateDto, RenewalByThirdsDto } from './dto/committee.dto.js';
import type { CloseDecisionDto, CreateDecisionDto, DecisionDto } from './dto/decision.dto.js';
import type { DecisionRecordDto } from './dto/decision-record.dto.js';
import type { ChainCheckDto, RegisterDto } from './dto/register.dto.js';
import { GovernanceLogService } from './governance-log.service.js';
import { RegisterService } from './register.service.js';

/**
 * Facade of the governance module for the modules above it (reporting, web): decisions, ballots and their close,
 * the agenda, mandates and sortitions — each the same call the API's routes make.
 */
@Injectable()
export class GovernanceService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly decisions: DecisionsService,
    private readonly registerService: RegisterService,
    private readonly log: GovernanceLogService,
    private readonly ballots: BallotsService,
    private readonly closer: DecisionCloseService,
    private readonly agendaService: AgendaService,
    private readonly committee: CommitteeService,
    private readonly draws: CommitteeDrawsService,
  ) {}

  /** A decision with its electorate and, once closed, its tally. */
  decision(caisseId: string, decisionId: string): Promise<DecisionDto> {
    return this.decisions.get(caisseId, decisionId);
  }

  /** Puts a decision to the committee (the API's POST …/decisions): checked, logged, opened and closed on schedule. */
  create(caisseId: string, dto: CreateDecisionDto): Promise<DecisionDto> {
    return this.decisions.create(caisseId, dto);
  }

  /** Latest first; with `outletId`, the decisions about that outlet only. */
  list(caisseId: string, outletId?: string): Promise<DecisionDto[]> {
    return this.decisions.list(caisseId, outletId);
  }

  /** The log event that recorded a closed decision (null while it is open). */
  async decisionRecord(caisseId: string, decisionId: string): Promise<DecisionRecordDto | null> {
    const e = await this.log.closeEvent(caisseId, decisionId);
    if (!e) return null;
    const p = e.payload as { tieBreak?: DecisionRecordDto['tieBreak']; ballots?: DecisionRecordDto['ballots'] };
    return { seq: e.seq, recordedAt: e.recordedAt, prevHash: e.prevHash, hash: e.hash, tieBreak: p.tieBreak ?? null, ballots: p.ballots ?? [] };
  }

  /** The public register: outlets conventionnés with the decisions about them, and every closed decision. */
  register(caisseId: string): Promise<RegisterDto> {
    return this.registerService.register(caisseId);
  }

  /** The governance log's hash chain recomputed: ok, or where it breaks. */
  verifyLog(caisseId: string): Promise<ChainCheckDto> {
    return this.log.verify(caisseId);
  }

  agenda(caisseId: string, within?: number): Promise<AgendaDto> {
    return this.agendaService.agenda(caisseId, within);
  }

  cast(caisseId: string, decisionId: string, principal: Principal, dto: CastBallotDto): Promise<BallotReceiptDto> {
    return this.ballots.cast(caisseId, decisionId, principal, dto);
  }

  close(caisseId: string, decisionId: string, dto: CloseDecisionDto = {}): Promise<DecisionDto> {
    return this.closer.close(caisseId, decisionId, dto);
  }

  mandates(caisseId: string): Promise<MandateDto[]> {
    return this.committee.mandates(caisseId);
  }

  renewals(caisseId: string): Promise<RenewalByThirdsDto[]> {
    return this.committee.renewalByThirds(caisseId);
  }

  /** The caisse's committee sortitions, latest first (id, label, whether drawn). */
  async drawList(caisseId: string): Promise<{ id: string; label: string; drawn: boolean; committedAt: string }[]> {
    const rows: { id: string; label: string; drawn: boolean; committed_at: Date }[] = await this.txHost.tx.query(
      `SELECT id, label, outcome IS NOT NULL AS drawn, committed_at FROM committee_draws WHERE caisse_id = $1 ORDER BY committed_at DESC LIMIT 200`,
      [caisseId],
    );
    return rows.map((r) => ({ id: r.id, label: r.label, drawn: r.drawn, committedAt: r.committed_at.toISOString() }));
  }

  draw(caisseId: string, drawId: string): Promise<CommitteeDrawDto> {
    return this.draws.get(caisseId, drawId);
  }

  /** The document the standalone verifier re-runs (npm run verify-draw): pool with strata, quotas, randomness, seed. */
  publishedDraw(caisseId: string, drawId: string): Promise<PublishedDraw> {
    return this.draws.published(caisseId, drawId);
  }

  verifyDraw(caisseId: string, drawId: string): Promise<DrawVerification> {
    return this.draws.verify(caisseId, drawId);
  }
}
