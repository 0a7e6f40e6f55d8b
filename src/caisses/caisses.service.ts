import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, NotFound } from '../common/errors/domain-error.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Principal } from '../common/request-context/principal.js';
import type { CaisseDto, CreateCaisseDto } from './dto/caisse.dto.js';
import type { RulesInForce } from './dto/rules.types.js';
import { Caisse } from './entities/caisse.entity.js';
import { RuleVersionsService } from './rule-versions.service.js';

function toDto(c: Caisse): CaisseDto {
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    territory: c.territory,
    currency: c.currency,
    unitLabel: c.unitLabel,
    siren: c.siren,
    fiscalYearStartMonth: c.fiscalYearStartMonth,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Facade of the caisses module: the tenants and the rules in force. */
@Injectable()
export class CaissesService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly rules: RuleVersionsService,
    private readonly ledger: LedgerService,
  ) {}

  @Transactional()
  async create(dto: CreateCaisseDto): Promise<CaisseDto> {
    const repo = this.txHost.tx.getRepository(Caisse);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({
        name: dto.name.trim(),
        slug: dto.slug,
        territory: [...new Set(dto.territory ?? [])],
        currency: 'EUR',
        unitLabel: dto.unitLabel ?? '€',
        siren: dto.siren ?? null,
        fiscalYearStartMonth: dto.fiscalYearStartMonth ?? 1,
      })
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length === 0) throw new Conflict('SLUG_TAKEN', `The slug "${dto.slug}" is already used by another caisse.`);
    const caisse = await repo.findOneByOrFail({ id: inserted.raw[0].id });
    await this.ledger.openBooks(caisse.id, { fiscalYearStartMonth: caisse.fiscalYearStartMonth });
    await this.audit.record({ caisseId: caisse.id, action: 'caisse.created', targetType: 'caisse', targetId: caisse.id, after: toDto(caisse) });
    return toDto(caisse);
  }

  async get(caisseId: string): Promise<CaisseDto> {
    const caisse = await this.txHost.tx.getRepository(Caisse).findOneBy({ id: caisseId });
    if (!caisse) throw new NotFound('Caisse', caisseId);
    return toDto(caisse);
  }

  async exists(caisseId: string): Promise<boolean> {
    return this.txHost.tx.getRepository(Caisse).existsBy({ id: caisseId });
  }

  async listFor(principal: Principal): Promise<CaisseDto[]> {
    const repo = this.txHost.tx.getRepository(Caisse);
    if (principal.kind === 'user' && principal.platformAdmin) return (await repo.find({ order: { name: 'ASC' } })).map(toDto);
    const ids = principal.kind === 'user' ? Object.keys(principal.roles) : [principal.caisseId];
    if (ids.length === 0) return [];
    return (await repo.find({ where: { id: In(ids) }, order: { name: 'ASC' } })).map(toDto);
  }

  rulesInForce(caisseId: string, date: string): Promise<RulesInForce> {
    return this.rules.inForce(caisseId, date);
  }
}
