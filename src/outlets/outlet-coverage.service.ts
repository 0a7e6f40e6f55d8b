import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, type FieldErrors, ValidationFailed } from '../common/errors/domain-error.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { CoalescingReader } from '../database/coalescing-reader.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { type CoverageInForce, formatRate } from './coverage.js';
import type { CoverageVersionDto, CreateCoverageDto } from './dto/coverage.dto.js';
import { OutletNotFound } from './outlets.errors.js';
import { hot } from '../database/prepared.js';

interface VersionRow {
  n?: string;
  id: string;
  effective_from: string;
  created_at: Date;
  rates: { category: string; rate: string }[];
}

const VERSION_SELECT = `
  SELECT v.id, v.effective_from::text AS effective_from, v.created_at,
         (SELECT json_agg(json_build_object('category', r.category, 'rate', r.rate::text) ORDER BY r.category)
            FROM outlet_coverage_rates r WHERE r.version_id = v.id) AS rates
    FROM outlet_coverage_versions v`;

function toDto(v: VersionRow): CoverageVersionDto {
  return { id: v.id, effectiveFrom: v.effective_from, rates: v.rates.map((r) => ({ category: r.category, rate: formatRate(r.rate) })), createdAt: v.created_at.toISOString() };
}

/**
 * Which product categories an outlet's sales are covered for, and at what rate (100 %, 70 %, 30 % in Cadenet and
 * Gironde). Versions are immutable and dated; a purchase uses the version in force on its day.
 */
@Injectable()
export class OutletCoverageService {
  // Read on every purchase: concurrent tills share one query (see CoalescingReader).
  private readonly reader: CoalescingReader<{ outletId: string; day: string }, VersionRow | undefined>;

  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {
    this.reader = new CoalescingReader(txHost, (caisse, keys) => this.versionsOn(caisse || undefined, keys));
  }

  @Transactional()
  async create(caisseId: string, outletId: string, dto: CreateCoverageDto): Promise<CoverageVersionDto> {
    const errors: FieldErrors = {};
    const today = todayInFrance();
    // Purchases already made used the rates of their day: a version may not rewrite the past.
    if (dto.effectiveFrom < today) errors.effectiveFrom = [`effectiveFrom must be today (${today}) or later`];
    dto.rates.forEach((r, i) => {
      if (dto.rates.findIndex((o) => o.category === r.category) < i) errors[`rates.${i}.category`] = [`category ${r.category} is listed twice`];
    });
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const tx = this.txHost.tx;
    const outlet: unknown[] = await tx.query(`SELECT id FROM outlets WHERE id = $1 AND caisse_id = $2`, [outletId, caisseId]);
    if (outlet.length === 0) throw new OutletNotFound(outletId);
    const principal = RequestContext.principal();
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO outlet_coverage_versions (caisse_id, outlet_id, effective_from, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (outlet_id, effective_from) DO NOTHING RETURNING id`,
      [caisseId, outletId, dto.effectiveFrom, principal?.kind === 'user' ? principal.userId : null],
    );
    if (inserted.length === 0) {
      throw new Conflict('COVERAGE_VERSION_EXISTS', `Coverage rates already take effect on ${dto.effectiveFrom}; versions are immutable, choose another date.`, {
        errors: { effectiveFrom: ['a version already takes effect on this date'] },
      });
    }
    const id = inserted[0].id;
    await tx.query(
      `INSERT INTO outlet_coverage_rates (version_id, category, rate) SELECT $1, x.category, x.rate::numeric FROM unnest($2::text[], $3::text[]) AS x(category, rate)`,
      [id, dto.rates.map((r) => r.category), dto.rates.map((r) => r.rate)],
    );
    const [row]: VersionRow[] = await tx.query(`${VERSION_SELECT} WHERE v.id = $1`, [id]);
    const version = toDto(row);
    await this.audit.record({ caisseId, action: 'outlet.coverage-set', targetType: 'outlet', targetId: outletId, after: version });
    return version;
  }

  async list(caisseId: string, outletId: string): Promise<CoverageVersionDto[]> {
    const rows: VersionRow[] = await this.txHost.tx.query(`${VERSION_SELECT} WHERE v.outlet_id = $1 AND v.caisse_id = $2 ORDER BY v.effective_from`, [outletId, caisseId]);
    return rows.map(toDto);
  }

  /** The version in force on the (French) day of `at`, or null when none is: the outlet then covers nothing. */
  async inForce(caisseId: string | undefined, outletId: string, at: Date): Promise<CoverageInForce | null> {
    const dto = await this.versionOn(caisseId, outletId, todayInFrance(at));
    return dto && { versionId: dto.id, effectiveFrom: dto.effectiveFrom, rates: dto.rates };
  }

  async versionOn(caisseId: string | undefined, outletId: string, day: string): Promise<CoverageVersionDto | null> {
    const row = await this.reader.load(caisseId ?? '', { outletId, day });
    return row ? toDto(row) : null;
  }

  private async versionsOn(caisseId: string | undefined, keys: { outletId: string; day: string }[]): Promise<(VersionRow | undefined)[]> {
    const rows: VersionRow[] = await this.txHost.tx.query(
      hot(`SELECT q.n::text AS n, x.* FROM unnest($1::uuid[], $2::date[]) WITH ORDINALITY AS q(outlet_id, day, n)
       CROSS JOIN LATERAL (${VERSION_SELECT} WHERE v.outlet_id = q.outlet_id AND ($3::uuid IS NULL OR v.caisse_id = $3::uuid)
                            AND v.effective_from <= q.day ORDER BY v.effective_from DESC LIMIT 1) x`),
      [keys.map((k) => k.outletId), keys.map((k) => k.day), caisseId ?? null],
    );
    const byOrdinal = new Map(rows.map((r) => [Number(r.n), r]));
    return keys.map((_, i) => byOrdinal.get(i + 1));
  }
}
