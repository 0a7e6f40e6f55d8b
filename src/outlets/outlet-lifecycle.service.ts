import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { TransitionDto } from './dto/transition.dto.js';
import { currentActor } from './outlet-actor.js';
import { OUTLET_DECISIONS, type OutletDecisions } from './outlet-decisions.port.js';
import { isAccepting, type OutletStatus, transitionRule } from './outlet-lifecycle.js';
import { IllegalTransition, OutletNotFound } from './outlets.errors.js';
import { checkTiming, decisionErrors, type StepInput, type Terms, termsFor } from './transition-checks.js';

interface TransitionRow {
  id: string;
  seq: number;
  from_status: OutletStatus | null;
  to_status: OutletStatus;
  effective_at: Date;
  recorded_at: Date;
  actor_kind: string;
  actor_id: string | null;
  reason: string;
  decision_id: string | null;
  decision_ref: string | null;
  decision_minutes: string | null;
  review_on: string | null;
  valid_until: string | null;
}

const COLUMNS = `id, seq, from_status, to_status, effective_at, recorded_at, actor_kind, actor_id, reason, decision_id, decision_ref,
                 decision_minutes, review_on::text AS review_on, valid_until::text AS valid_until`;

function toDto(r: TransitionRow): TransitionDto {
  return {
    id: r.id,
    seq: r.seq,
    from: r.from_status,
    to: r.to_status,
    step: r.from_status ? (transitionRule(r.from_status, r.to_status)?.name ?? r.to_status) : 'registered',
    effectiveAt: r.effective_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id },
    reason: r.reason,
    decisionId: r.decision_id,
    decisionRef: r.decision_ref,
    decisionMinutes: r.decision_minutes,
    reviewOn: r.review_on,
    validUntil: r.valid_until,
  };
}

export interface TransitionRequest extends StepInput {
  reason: string;
  effectiveAt?: Date;
}

type Actor = [kind: 'user' | 'terminal' | 'system', id: string | null];

/**
 * Records lifecycle steps. Each step continues the last recorded one (which may itself take effect later): its
 * legality comes from outlet-lifecycle.ts, its proof is a decision when the table says so, and it is appended,
 * never edited, so the gate can compute the status at any instant from this history.
 */
@Injectable()
export class OutletLifecycleService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    @Optional() @Inject(OUTLET_DECISIONS) private readonly decisions?: OutletDecisions,
  ) {}

  async history(caisseId: string, outletId: string): Promise<TransitionDto[]> {
    const rows: TransitionRow[] = await this.txHost.tx.query(`SELECT ${COLUMNS} FROM outlet_transitions WHERE outlet_id = $1 AND caisse_id = $2 ORDER BY seq`, [
      outletId,
      caisseId,
    ]);
    if (rows.length === 0) throw new OutletNotFound(outletId);
    return rows.map(toDto);
  }

  @Transactional()
  async transition(caisseId: string, outletId: string, req: TransitionRequest): Promise<TransitionDto> {
    const [{ now }]: { now: Date }[] = await this.txHost.tx.query(`SELECT now() AS now`);
    const effectiveAt = req.effectiveAt ?? now;
    // A validity that ended before this step is first written down, so the step starts from "expired".
    const last = await this.expireIfEnded(caisseId, outletId, effectiveAt);
    const rule = transitionRule(last.to_status, req.to);
    if (!rule) throw new IllegalTransition(last.to_status, req.to);
    checkTiming(effectiveAt, now, last, false);
    const errors = decisionErrors(req, rule);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    if (req.decisionId) await this.checkDecision(caisseId, outletId, req.decisionId);
    if (req.to === 'dossier-complete') await this.checkDossier(outletId);
    const terms = termsFor(req, rule, last, effectiveAt);
    return this.append(caisseId, outletId, last, req, effectiveAt, terms, currentActor());
  }

  /**
   * Writes "expired" into the history of an accepting outlet whose validity ended at or before `upTo` (the gate
   * refuses from that instant anyway). Used by transitions and by the daily job; returns the last step.
   */
  @Transactional()
  async expireIfEnded(caisseId: string, outletId: string, upTo: Date): Promise<TransitionRow> {
    const tx = this.txHost.tx;
    const locked: unknown[] = await tx.query(`SELECT id FROM outlets WHERE id = $1 AND caisse_id = $2 FOR UPDATE`, [outletId, caisseId]);
    if (locked.length === 0) throw new OutletNotFound(outletId);
    const [last]: TransitionRow[] = await tx.query(`SELECT ${COLUMNS} FROM outlet_transitions WHERE outlet_id = $1 ORDER BY seq DESC LIMIT 1`, [outletId]);
    if (!isAccepting(last.to_status) || !last.valid_until) return last;
    const [{ end }]: { end: Date }[] = await tx.query(`SELECT (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Paris') AS end`, [last.valid_until]);
    if (end > upTo) return last;
    const at = end < last.effective_at ? last.effective_at : end;
    const step = { to: 'expired' as const, reason: `The conventionnement was valid until ${last.valid_until} and was not renewed.` };
    const dto = await this.append(caisseId, outletId, last, step, at, { reviewOn: last.review_on, validUntil: last.valid_until }, ['system', null]);
    return { ...last, id: dto.id, seq: dto.seq, from_status: last.to_status, to_status: 'expired', effective_at: at };
  }

  private async append(caisseId: string, outletId: string, last: TransitionRow, req: TransitionRequest, at: Date, terms: Terms, actor: Actor): Promise<TransitionDto> {
    const [row]: TransitionRow[] = await this.txHost.tx.query(
      `INSERT INTO outlet_transitions (caisse_id, outlet_id, seq, from_status, to_status, effective_at, actor_kind, actor_id, reason,
                                       decision_id, decision_ref, decision_minutes, review_on, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
      [
        caisseId, outletId, last.seq + 1, last.to_status, req.to, at, ...actor, req.reason.trim(),
        req.decisionId ?? null, req.decisionRef ?? null, req.decisionMinutes ?? null, terms.reviewOn, terms.validUntil,
      ],
    );
    const dto = toDto(row);
    await this.audit.record({ caisseId, action: 'outlet.transition', targetType: 'outlet', targetId: outletId, before: { status: last.to_status }, after: dto });
    return dto;
  }

  private async checkDecision(caisseId: string, outletId: string, decisionId: string): Promise<void> {
    const decision = this.decisions ? await this.decisions.find(caisseId, decisionId, outletId) : undefined;
    const problem = !this.decisions
      ? 'decisions cannot be verified yet: give decisionRef with decisionMinutes'
      : !decision
        ? 'no such decision in this caisse'
        : !decision.adopted
          ? 'this decision was not adopted'
          : !decision.concernsOutlet
            ? 'this decision is about another outlet'
            : undefined;
    if (problem) throw new DomainError('DECISION_NOT_USABLE', 422, `Decision ${decisionId} cannot authorise this step: ${problem}.`, { errors: { decisionId: [problem] } });
  }

  /** A dossier is not complete without somewhere to shop. */
  private async checkDossier(outletId: string): Promise<void> {
    const [{ n }] = await this.txHost.tx.query(`SELECT count(*)::int AS n FROM outlet_places WHERE outlet_id = $1 AND archived_at IS NULL`, [outletId]);
    if (n === 0) throw new DomainError('DOSSIER_INCOMPLETE', 409, 'Add at least one place (point of sale, stop or locker) before the dossier is complete.', { currentStatus: 'candidate' });
  }
}
