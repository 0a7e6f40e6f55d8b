import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { maskIban } from '../common/validation/identifiers.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import type { DirectDebitSettingsDto, DirectDebitSettingsInputDto, SepaMandateDto, MandateInputDto } from './dto/direct-debit.dto.js';

export interface MandateRow {
  id: string;
  member_id: string;
  reference: string;
  signed_on: string;
  debtor_name: string;
  iban: string;
  bic: string | null;
  first_collected: boolean;
  flagged_at: Date | null;
  flag_reason: string | null;
}

export const MANDATE_SELECT = `SELECT id, member_id, reference, to_char(signed_on, 'YYYY-MM-DD') AS signed_on, debtor_name, iban, bic, first_collected,
  flagged_at, flag_reason FROM sepa_mandates`;

export const toMandateDto = (r: MandateRow): SepaMandateDto => ({
  id: r.id,
  memberId: r.member_id,
  reference: r.reference,
  signedOn: r.signed_on,
  debtorName: r.debtor_name,
  iban: maskIban(r.iban),
  bic: r.bic,
  nextSequenceType: r.first_collected ? 'RCUR' : 'FRST',
  flaggedAt: r.flagged_at ? r.flagged_at.toISOString() : null,
  flagReason: r.flag_reason,
});

/** The caisse's creditor identity (ICS, account) and its members' SEPA mandates. */
@Injectable()
export class MandatesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly members: MembersService,
  ) {}

  @Transactional()
  async configure(caisseId: string, dto: DirectDebitSettingsInputDto): Promise<DirectDebitSettingsDto> {
    await this.txHost.tx.query(
      `INSERT INTO contribution_settings (caisse_id, creditor_id, creditor_name, creditor_iban, creditor_bic) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (caisse_id) DO UPDATE SET creditor_id = $2, creditor_name = $3, creditor_iban = $4, creditor_bic = $5, updated_at = now()`,
      [caisseId, dto.creditorId, dto.creditorName.trim(), dto.creditorIban, dto.creditorBic ?? null],
    );
    const settings = (await this.settings(caisseId))!;
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-configured', targetType: 'caisse', targetId: caisseId, after: settings });
    return settings;
  }

  async settings(caisseId: string): Promise<DirectDebitSettingsDto | undefined> {
    const [row] = await this.txHost.tx.query(
      `SELECT creditor_id, creditor_name, creditor_iban, creditor_bic FROM contribution_settings WHERE caisse_id = $1 AND creditor_id IS NOT NULL`,
      [caisseId],
    );
    return row ? { creditorId: row.creditor_id, creditorName: row.creditor_name, creditorIban: row.creditor_iban, creditorBic: row.creditor_bic } : undefined;
  }

  @Transactional()
  async create(caisseId: string, dto: MandateInputDto): Promise<SepaMandateDto> {
    await this.members.get(caisseId, dto.memberId).catch((e: unknown) => {
      if (e instanceof NotFound) throw new ValidationFailed({ memberId: ['no such member in this caisse'] });
      throw e;
    });
    const [taken] = await this.txHost.tx.query(`SELECT 1 FROM sepa_mandates WHERE caisse_id = $1 AND reference = $2`, [caisseId, dto.reference]);
    if (taken) throw new Conflict('MANDATE_REFERENCE_TAKEN', `The mandate reference ${dto.reference} is already used in this caisse.`);
    // A new mandate replaces the member's previous one (new account): the old one is revoked the day the new is signed.
    await this.txHost.tx.query(`UPDATE sepa_mandates SET revoked_on = $3 WHERE caisse_id = $1 AND member_id = $2 AND revoked_on IS NULL`, [caisseId, dto.memberId, dto.signedOn]);
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO sepa_mandates (caisse_id, member_id, reference, signed_on, debtor_name, iban, bic) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [caisseId, dto.memberId, dto.reference, dto.signedOn, dto.debtorName.trim(), dto.iban, dto.bic ?? null],
    );
    const [row]: MandateRow[] = await this.txHost.tx.query(`${MANDATE_SELECT} WHERE id = $1`, [id]);
    const mandate = toMandateDto(row);
    await this.audit.record({ caisseId, action: 'contributions.mandate-created', targetType: 'member', targetId: dto.memberId, after: mandate });
    return mandate;
  }

  async list(caisseId: string): Promise<SepaMandateDto[]> {
    const rows: MandateRow[] = await this.txHost.tx.query(`${MANDATE_SELECT} WHERE caisse_id = $1 AND revoked_on IS NULL ORDER BY created_at, id`, [caisseId]);
    return rows.map(toMandateDto);
  }

  /** Active mandates, locked: two batches built at once must not both collect a member's first debit as FRST. */
  async activeForUpdate(caisseId: string): Promise<MandateRow[]> {
    return this.txHost.tx.query(`${MANDATE_SELECT} WHERE caisse_id = $1 AND revoked_on IS NULL ORDER BY created_at, id FOR UPDATE`, [caisseId]);
  }
}
