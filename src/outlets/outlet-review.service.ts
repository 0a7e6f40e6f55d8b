import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { TransactionHost } from '../database/transaction.js';
import type { ReviewDueDto, ReviewReasonDto } from './dto/review.dto.js';
import { OutletLifecycleService } from './outlet-lifecycle.service.js';
import { statusColumns, statusJoin } from './outlet-status.sql.js';

/** How long before its review date a conventionnement is flagged "renewal due" by the daily job. */
export const REVIEW_NOTICE_DAYS = 30;

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

interface DueRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  status: string;
  review_on: string | null;
  valid_until: string | null;
  evidence: { id: string; criterion: string; valid_until: string }[] | null;
}

export interface SweepResult {
  renewalDue: number;
  expired: number;
  evidenceFlagged: number;
  failed: number;
}

/**
 * Periodic re-examination. The listing is computed from the data each time (it never depends on the job having
 * run); the daily job writes what the committee must act on: "renewal due" steps, "expired" steps for validities
 * that ended, and an expiry flag (with an audit row) on documents that lapsed.
 */
@Injectable()
export class OutletReviewService {
  private readonly logger = new Logger('OutletReview');

  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly lifecycle: OutletLifecycleService,
  ) {}

  async due(caisseId: string, within = REVIEW_NOTICE_DAYS, today = todayInFrance()): Promise<ReviewDueDto[]> {
    const horizon = addDays(today, within);
    const rows: DueRow[] = await this.txHost.tx.query(
      `WITH latest AS (
         SELECT DISTINCT ON (e.outlet_id, e.criterion_code) e.outlet_id, e.id, e.criterion_code, e.valid_until
           FROM outlet_evidence e WHERE e.caisse_id = $1
          ORDER BY e.outlet_id, e.criterion_code, e.uploaded_at DESC, e.id DESC)
       SELECT * FROM (
         SELECT o.id, o.code, o.name, o.kind, ${statusColumns('now()')}, st.review_on::text AS review_on, st.valid_until::text AS valid_until,
                (SELECT json_agg(json_build_object('id', l.id, 'criterion', l.criterion_code, 'valid_until', l.valid_until::text) ORDER BY l.valid_until)
                   FROM latest l WHERE l.outlet_id = o.id AND l.valid_until <= $2::date) AS evidence
           FROM outlets o ${statusJoin('o.id', 'now()')}
          WHERE o.caisse_id = $1) x
        WHERE x.status IN ('candidate', 'dossier-complete', 'conventionne', 'renewal-due', 'suspended')`,
      [caisseId, horizon],
    );
    const items = rows.map((r) => ({ row: r, reasons: reasonsOf(r, today, horizon) })).filter((x) => x.reasons.length > 0);
    items.sort((a, b) => a.reasons[0].date.localeCompare(b.reasons[0].date) || a.row.code.localeCompare(b.row.code));
    return items.map(({ row, reasons }) => ({
      outletId: row.id,
      code: row.code,
      name: row.name,
      kind: row.kind,
      status: row.status,
      reviewOn: row.review_on,
      validUntil: row.valid_until,
      reasons,
    }));
  }

  /** The daily job. Each outlet is its own transaction: one failure is logged and the others go on. */
  async sweep(now = new Date()): Promise<SweepResult> {
    const today = todayInFrance(now);
    const result: SweepResult = { renewalDue: 0, expired: 0, evidenceFlagged: 0, failed: 0 };
    const candidates: { caisse_id: string; id: string; to_status: string; review_on: string; valid_until: string | null; ended: boolean }[] =
      await this.txHost.tx.query(
        `SELECT o.caisse_id, o.id, l.to_status, l.review_on::text AS review_on, l.valid_until::text AS valid_until,
                coalesce(l.valid_until < $1::date, false) AS ended
           FROM outlets o
           JOIN LATERAL (SELECT t.to_status, t.effective_at, t.review_on, t.valid_until FROM outlet_transitions t
                          WHERE t.outlet_id = o.id ORDER BY t.seq DESC LIMIT 1) l ON true
          WHERE l.to_status IN ('conventionne', 'renewal-due') AND l.effective_at <= $3
            AND (l.valid_until < $1::date OR (l.to_status = 'conventionne' AND l.review_on <= $2::date))
          ORDER BY o.caisse_id, o.code`,
        [today, addDays(today, REVIEW_NOTICE_DAYS), now],
      );
    for (const c of candidates) {
      try {
        if (c.ended) {
          const last = await this.lifecycle.expireIfEnded(c.caisse_id, c.id, now);
          if (last.to_status === 'expired') result.expired++;
        } else {
          await this.lifecycle.transition(c.caisse_id, c.id, { to: 'renewal-due', reason: `Review date ${c.review_on} is less than ${REVIEW_NOTICE_DAYS} days away.` });
          result.renewalDue++;
        }
      } catch (e) {
        result.failed++;
        this.logger.error(`outlet ${c.id}: ${(e as Error).message}`);
      }
    }
    result.evidenceFlagged = await this.flagEvidence(today);
    return result;
  }

  /** Flags the current document of each outlet and criterion whose validity ended (once). */
  private async flagEvidence(today: string): Promise<number> {
    return this.txHost.run(async () => {
      const flagged: { caisse_id: string; outlet_id: string; id: string; criterion_code: string; valid_until: string }[] = await this.txHost.tx.query(
        // Wrapped in a CTE: TypeORM hands back [rows, count] for a bare UPDATE … RETURNING.
        `WITH flagged AS (
           UPDATE outlet_evidence e SET expiry_flagged_at = now()
             FROM (SELECT DISTINCT ON (outlet_id, criterion_code) id FROM outlet_evidence
                    ORDER BY outlet_id, criterion_code, uploaded_at DESC, id DESC) latest
            WHERE e.id = latest.id AND e.valid_until < $1::date AND e.expiry_flagged_at IS NULL
            RETURNING e.caisse_id, e.outlet_id, e.id, e.criterion_code, e.valid_until::text AS valid_until)
         SELECT * FROM flagged ORDER BY caisse_id, outlet_id, criterion_code`,
        [today],
      );
      for (const f of flagged) {
        await this.audit.record({
          caisseId: f.caisse_id,
          action: 'outlet.evidence-expired',
          targetType: 'outlet',
          targetId: f.outlet_id,
          after: { evidenceId: f.id, criterion: f.criterion_code, validUntil: f.valid_until },
        });
      }
      return flagged.length;
    });
  }
}

function reasonsOf(r: DueRow, today: string, horizon: string): ReviewReasonDto[] {
  const reasons: ReviewReasonDto[] = [];
  const alive = r.status === 'conventionne' || r.status === 'renewal-due' || r.status === 'suspended';
  if (r.status === 'renewal-due' && r.review_on) reasons.push({ code: 'RENEWAL_DUE', date: r.review_on });
  else if (r.status === 'conventionne' && r.review_on && r.review_on <= horizon) {
    reasons.push({ code: r.review_on < today ? 'REVIEW_OVERDUE' : 'REVIEW_DATE_NEAR', date: r.review_on });
  }
  if (alive && r.valid_until && r.valid_until <= horizon) reasons.push({ code: 'VALIDITY_ENDS', date: r.valid_until });
  for (const e of r.evidence ?? []) {
    reasons.push({ code: e.valid_until < today ? 'EVIDENCE_EXPIRED' : 'EVIDENCE_EXPIRING', date: e.valid_until, criterion: e.criterion, evidenceId: e.id });
  }
  return reasons.sort((a, b) => a.date.localeCompare(b.date));
}
