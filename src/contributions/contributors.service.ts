import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ContributorNotFound } from './contributions.errors.js';
import type { ContributorKind } from './contributions.types.js';
import type { ContributorDto, ContributorInputDto, ContributorUpdateDto } from './dto/contributor.dto.js';

interface ContributorRow {
  id: string;
  number: string;
  kind: ContributorKind;
  funder_type: string | null;
  name: string;
  siret: string | null;
  iban: string | null;
  address: string | null;
  created_at: Date;
}

const toDto = (r: ContributorRow): ContributorDto => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  funderType: r.funder_type,
  name: r.name,
  siret: r.siret,
  iban: r.iban,
  address: r.address,
  createdAt: r.created_at.toISOString(),
});

/** Employers, public funders, foundations, patrons and individual donors of a caisse. */
@Injectable()
export class ContributorsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: ContributorInputDto): Promise<ContributorDto> {
    // The number is the funder's auxiliary account: gapless per caisse, taken under the settings row lock.
    await this.txHost.tx.query(`INSERT INTO contribution_settings (caisse_id) VALUES ($1) ON CONFLICT DO NOTHING`, [caisseId]);
    const [{ n }] = await this.txHost.tx.query(
      `WITH u AS (UPDATE contribution_settings SET next_contributor_no = next_contributor_no + 1 WHERE caisse_id = $1 RETURNING next_contributor_no - 1 AS n)
       SELECT n FROM u`,
      [caisseId],
    );
    const number = `F${String(n).padStart(6, '0')}`;
    const [row]: ContributorRow[] = await this.txHost.tx.query(
      `INSERT INTO contributors (caisse_id, number, kind, funder_type, name, siret, iban, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [caisseId, number, dto.kind, dto.kind === 'public-funder' ? dto.funderType : null, dto.name.trim(), dto.siret ?? null, dto.iban ?? null, dto.address?.trim() ?? null],
    );
    const contributor = toDto(row);
    await this.audit.record({ caisseId, action: 'contributions.contributor-created', targetType: 'contributor', targetId: row.id, after: contributor });
    return contributor;
  }

  /**
   * Corrects what identifies the contributor to people (name, address, SIRET, IBAN). The kind and number stay: they
   * chose the accounts (441/741 or 4687) its entries were already posted to.
   */
  @Transactional()
  async update(caisseId: string, id: string, dto: ContributorUpdateDto): Promise<ContributorDto> {
    const before = await this.get(caisseId, id);
    if (before.kind === 'employer' && dto.siret === undefined) throw new ValidationFailed({ siret: ['siret is required for an employer'] });
    await this.txHost.tx.query(`UPDATE contributors SET name = $3, siret = $4, iban = $5, address = $6 WHERE caisse_id = $1 AND id = $2`, [
      caisseId,
      id,
      dto.name.trim(),
      dto.siret ?? null,
      dto.iban ?? null,
      dto.address?.trim() || null,
    ]);
    const after = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.contributor-updated', targetType: 'contributor', targetId: id, before, after });
    return after;
  }

  async list(caisseId: string): Promise<ContributorDto[]> {
    const rows: ContributorRow[] = await this.txHost.tx.query(`SELECT * FROM contributors WHERE caisse_id = $1 ORDER BY number`, [caisseId]);
    return rows.map(toDto);
  }

  async get(caisseId: string, id: string): Promise<ContributorDto & { kind: ContributorKind }> {
    const rows: ContributorRow[] = await this.txHost.tx.query(`SELECT * FROM contributors WHERE caisse_id = $1 AND id = $2`, [caisseId, id]);
    if (!rows[0]) throw new ContributorNotFound(id);
    return toDto(rows[0]) as ContributorDto & { kind: ContributorKind };
  }

  /** Individuals are natural persons: the books name them by number only (the FEC goes to third parties). */
  accountLabel(c: ContributorDto): string {
    return c.kind === 'individual' ? `Donateur ${c.number}` : c.name.slice(0, 200);
  }
}
