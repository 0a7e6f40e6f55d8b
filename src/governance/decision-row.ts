import type { DecisionDto, TallyDto } from './dto/decision.dto.js';
import type { MethodSpec } from './methods/method.types.js';
import type { QuorumRule } from './methods/quorum.js';

/** A decisions row as read by the governance services. */
export interface DecisionRow {
  id: string;
  caisse_id: string;
  title: string;
  subject: string;
  outlet_id: string | null;
  method: MethodSpec;
  quorum: QuorumRule;
  secret: boolean;
  min_published_count: number;
  opens_at: Date;
  closes_at: Date;
  effective_at: Date | null;
  review_on: string | null;
  valid_until: string | null;
  reply_deadline: Date | null;
  reply: string | null;
  fallback: string[];
  parent_id: string | null;
  frozen_at: Date | null;
  closed_at: Date | null;
  outcome: string | null;
  tally: TallyDto | null;
  transition_id: string | null;
  consequence_error: string | null;
  next_id: string | null;
}

export const DECISION_COLS = `d.id, d.caisse_id, d.title, d.subject, d.outlet_id, d.method, d.quorum, d.secret, d.min_published_count, d.opens_at, d.closes_at,
  d.effective_at, d.review_on::text AS review_on, d.valid_until::text AS valid_until, d.reply_deadline, d.reply, d.fallback, d.parent_id,
  d.frozen_at, d.closed_at, d.outcome, d.tally, d.transition_id, d.consequence_error, (SELECT n.id FROM decisions n WHERE n.parent_id = d.id LIMIT 1) AS next_id`;

export function stateOf(r: DecisionRow, now: Date): 'scheduled' | 'open' | 'closed' {
  if (r.closed_at) return 'closed';
  return now < r.opens_at ? 'scheduled' : 'open';
}

export function toDecisionDto(r: DecisionRow, electorate: DecisionDto['electorate'], now: Date): DecisionDto {
  return {
    id: r.id,
    title: r.title,
    subject: r.subject,
    outletId: r.outlet_id,
    method: r.method,
    quorumPercent: r.quorum.kind === 'percent' ? r.quorum.percent : null,
    secret: r.secret,
    state: stateOf(r, now),
    opensAt: r.opens_at.toISOString(),
    closesAt: r.closes_at.toISOString(),
    effectiveAt: r.effective_at?.toISOString() ?? null,
    reviewOn: r.review_on,
    validUntil: r.valid_until,
    replyDeadline: r.reply_deadline?.toISOString() ?? null,
    reply: r.reply,
    fallback: r.fallback,
    parentId: r.parent_id,
    electorate,
    closedAt: r.closed_at?.toISOString() ?? null,
    tally: r.closed_at ? r.tally : null,
    transitionId: r.transition_id,
    consequenceError: r.consequence_error,
    nextId: r.next_id,
  };
}
