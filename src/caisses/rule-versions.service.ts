import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { QueryFailedError } from 'typeorm';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { RequestContext } from '../common/request-context/request-context.js';
import type { CreateRuleVersionDto, RuleVersionDto } from './dto/rule-version.dto.js';
import type { RulesInForce } from './dto/rules.types.js';
import { RuleVersion } from './entities/rule-version.entity.js';
import { normaliseRules, ruleCoherenceErrors, type RuleInput } from './rule-coherence.js';

export function toRuleVersionDto(v: RuleVersion): RuleVersionDto {
  return {
    id: v.id,
    effectiveFrom: v.effectiveFrom,
    allocation: v.allocation,
    contribution: v.contribution,
    rollover: v.rollover,
    gate: v.gate,
    createdAt: v.createdAt.toISOString(),
  };
}

@Injectable()
export class RuleVersionsService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateRuleVersionDto): Promise<RuleVersionDto> {
    const input = dto as unknown as RuleInput;
    const errors = ruleCoherenceErrors(input);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const rules = normaliseRules(input);
    const principal = RequestContext.principal();
    let inserted: { id: string }[];
    try {
      inserted = await this.txHost.tx.query(
        `INSERT INTO caisse_rule_versions (caisse_id, effective_from, allocation, contribution, rollover, gate, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (caisse_id, effective_from) DO NOTHING RETURNING id`,
        [caisseId, dto.effectiveFrom, rules.allocation, rules.contribution, rules.rollover, rules.gate, principal?.kind === 'user' ? principal.userId : null],
      );
    } catch (e) {
      // Only the platform admin passes the guard for a caisse that does not exist: same answer as the guard gives others.
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23503') throw new NotFound('Caisse', caisseId);
      throw e;
    }
    if (inserted.length === 0) {
      throw new Conflict('RULE_VERSION_EXISTS', `A rule version already takes effect on ${dto.effectiveFrom}; versions are immutable, choose another date.`);
    }
    const version = await this.txHost.tx.getRepository(RuleVersion).findOneByOrFail({ id: inserted[0].id });
    await this.audit.record({ caisseId, action: 'rule-version.created', targetType: 'rule-version', targetId: version.id, after: { effectiveFrom: dto.effectiveFrom, ...rules } });
    return toRuleVersionDto(version);
  }

  async list(caisseId: string): Promise<RuleVersionDto[]> {
    const versions = await this.txHost.tx.getRepository(RuleVersion).find({ where: { caisseId }, order: { effectiveFrom: 'ASC' } });
    return versions.map(toRuleVersionDto);
  }

  /** The version whose effectiveFrom is the latest on or before the date: the one every other module uses. */
  async inForce(caisseId: string, date: string): Promise<RulesInForce> {
    const { id, effectiveFrom, allocation, contribution, rollover, gate } = await this.versionInForce(caisseId, date);
    return { id, caisseId, effectiveFrom, allocation, contribution, rollover, gate };
  }

  /** The same version in its API shape (what GET …/rule-versions/in-force documents and returns). */
  async inForceDto(caisseId: string, date: string): Promise<RuleVersionDto> {
    return toRuleVersionDto(await this.versionInForce(caisseId, date));
  }

  private async versionInForce(caisseId: string, date: string): Promise<RuleVersion> {
    const version = await this.txHost.tx
      .getRepository(RuleVersion)
      .createQueryBuilder('v')
      .where('v.caisse_id = :caisseId AND v.effective_from <= :date', { caisseId, date })
      .orderBy('v.effective_from', 'DESC')
      .limit(1)
      .getOne();
    if (!version) throw new DomainError('NO_RULES_IN_FORCE', 404, `No rule version is in force on ${date}; create one that takes effect on or before that date.`);
    return version;
  }
}
