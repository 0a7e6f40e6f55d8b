import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, DomainError, type FieldErrors, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { AnswerCriterionDto, CreateCriteriaVersionDto, CriteriaVersionDto, GridItemDto, OutletGridDto } from './dto/criteria.dto.js';
import { OutletEvidenceService } from './outlet-evidence.service.js';
import { OutletNotFound } from './outlets.errors.js';

interface VersionRow {
  id: string;
  version: number;
  effective_from: string;
  created_at: Date;
  criteria: { code: string; label: string; description: string | null; evidence_required: boolean }[];
}

const VERSION_SELECT = `
  SELECT v.id, v.version, v.effective_from::text AS effective_from, v.created_at,
         (SELECT json_agg(json_build_object('code', c.code, 'label', c.label, 'description', c.description,
                                            'evidence_required', c.evidence_required) ORDER BY c.position)
            FROM outlet_criteria c WHERE c.version_id = v.id) AS criteria
    FROM outlet_criteria_versions v`;

function toDto(v: VersionRow): CriteriaVersionDto {
  return {
    id: v.id,
    version: v.version,
    effectiveFrom: v.effective_from,
    criteria: v.criteria.map((c) => ({ code: c.code, label: c.label, description: c.description ?? undefined, evidenceRequired: c.evidence_required })),
    createdAt: v.created_at.toISOString(),
  };
}

const userId = () => {
  const p = RequestContext.principal();
  return p?.kind === 'user' ? p.userId : null;
};

/**
 * The committee's criteria grid (organic/sustainable practice, locality, working conditions, price transparency,
 * limited profit, accessibility…): a versioned, immutable catalogue per caisse, and per outlet one answer per
 * criterion code with its supporting documents.
 */
@Injectable()
export class OutletCriteriaService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly evidence: OutletEvidenceService,
  ) {}

  @Transactional()
  async publish(caisseId: string, dto: CreateCriteriaVersionDto): Promise<CriteriaVersionDto> {
    const errors: FieldErrors = {};
    dto.criteria.forEach((c, i) => {
      if (dto.criteria.findIndex((o) => o.code === c.code) < i) errors[`criteria.${i}.code`] = [`code ${c.code} is listed twice`];
    });
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const tx = this.txHost.tx;
    // Numbering is per caisse; the lock keeps two publications from taking the same number.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('outlet-criteria:' || $1))`, [caisseId]);
    let inserted: { id: string }[];
    try {
      inserted = await tx.query(
        `INSERT INTO outlet_criteria_versions (caisse_id, version, effective_from, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM outlet_criteria_versions WHERE caisse_id = $1
         ON CONFLICT (caisse_id, effective_from) DO NOTHING RETURNING id`,
        [caisseId, dto.effectiveFrom, userId()],
      );
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23503') throw new NotFound('Caisse', caisseId);
      throw e;
    }
    if (inserted.length === 0) {
      throw new Conflict('CRITERIA_VERSION_EXISTS', `A criteria catalogue already takes effect on ${dto.effectiveFrom}; versions are immutable, choose another date.`, {
        errors: { effectiveFrom: ['a catalogue already takes effect on this date'] },
      });
    }
    const id = inserted[0].id;
    await tx.query(
      `INSERT INTO outlet_criteria (version_id, code, position, label, description, evidence_required)
       SELECT $1, x.code, x.position - 1, x.label, x.description, x.required
         FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[]) WITH ORDINALITY AS x(code, label, description, required, position)`,
      [id, dto.criteria.map((c) => c.code), dto.criteria.map((c) => c.label.trim()), dto.criteria.map((c) => c.description ?? null), dto.criteria.map((c) => c.evidenceRequired ?? false)],
    );
    const version = toDto((await tx.query(`${VERSION_SELECT} WHERE v.id = $1`, [id]))[0]);
    await this.audit.record({ caisseId, action: 'outlet-criteria.published', targetType: 'outlet-criteria', targetId: id, after: version });
    return version;
  }

  async list(caisseId: string): Promise<CriteriaVersionDto[]> {
    return ((await this.txHost.tx.query(`${VERSION_SELECT} WHERE v.caisse_id = $1 ORDER BY v.version`, [caisseId])) as VersionRow[]).map(toDto);
  }

  async inForce(caisseId: string, day: string): Promise<CriteriaVersionDto | null> {
    const rows: VersionRow[] = await this.txHost.tx.query(`${VERSION_SELECT} WHERE v.caisse_id = $1 AND v.effective_from <= $2 ORDER BY v.effective_from DESC LIMIT 1`, [
      caisseId,
      day,
    ]);
    return rows[0] ? toDto(rows[0]) : null;
  }

  async inForceOrFail(caisseId: string, day: string): Promise<CriteriaVersionDto> {
    const version = await this.inForce(caisseId, day);
    if (!version) throw new DomainError('NO_CRITERIA_IN_FORCE', 404, `No criteria catalogue is in force on ${day}; publish one that takes effect on or before that date.`);
    return version;
  }

  /** Answers a criterion of the catalogue in force (a later answer replaces the earlier one; the audit keeps both). */
  @Transactional()
  async answer(caisseId: string, outletId: string, code: string, dto: AnswerCriterionDto): Promise<GridItemDto> {
    const version = await this.inForceOrFail(caisseId, todayInFrance());
    if (!version.criteria.some((c) => c.code === code)) throw new NotFound('Criterion', code);
    const outlet: unknown[] = await this.txHost.tx.query(`SELECT id FROM outlets WHERE id = $1 AND caisse_id = $2`, [outletId, caisseId]);
    if (outlet.length === 0) throw new OutletNotFound(outletId);
    await this.txHost.tx.query(
      `INSERT INTO outlet_criterion_answers (outlet_id, caisse_id, criterion_code, version_id, answer, comment, answered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (outlet_id, criterion_code) DO UPDATE
         SET version_id = EXCLUDED.version_id, answer = EXCLUDED.answer, comment = EXCLUDED.comment,
             answered_by = EXCLUDED.answered_by, answered_at = now()`,
      [outletId, caisseId, code, version.id, dto.answer, dto.comment ?? null, userId()],
    );
    await this.audit.record({ caisseId, action: 'outlet.criterion-answered', targetType: 'outlet', targetId: outletId, after: { criterion: code, version: version.version, ...dto } });
    return (await this.grid(caisseId, outletId)).items.find((i) => i.code === code)!;
  }

  /** The grid of the catalogue in force today, with the outlet's answers and documents. */
  async grid(caisseId: string, outletId: string): Promise<OutletGridDto> {
    const version = await this.inForce(caisseId, todayInFrance());
    if (!version) return { version: null, items: [] };
    const answers: { criterion_code: string; answer: string; comment: string | null; version: number; answered_at: Date; answered_by: string | null }[] =
      await this.txHost.tx.query(
        `SELECT a.criterion_code, a.answer, a.comment, v.version, a.answered_at, a.answered_by
           FROM outlet_criterion_answers a JOIN outlet_criteria_versions v ON v.id = a.version_id
          WHERE a.outlet_id = $1 AND a.caisse_id = $2`,
        [outletId, caisseId],
      );
    const documents = await this.evidence.list(caisseId, outletId);
    return {
      version: version.version,
      items: version.criteria.map((c) => {
        const a = answers.find((x) => x.criterion_code === c.code);
        return {
          code: c.code,
          label: c.label,
          description: c.description ?? null,
          evidenceRequired: c.evidenceRequired ?? false,
          answer: a ? { answer: a.answer, comment: a.comment, version: a.version, answeredAt: a.answered_at.toISOString(), answeredBy: a.answered_by } : null,
          evidence: documents.filter((d) => d.criterion === c.code),
        };
      }),
    };
  }
}
