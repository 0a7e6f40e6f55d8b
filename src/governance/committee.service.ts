import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { ConflictDto, CreateConflictDto, CreateMandateDto, MandateDto, RenewalByThirdsDto } from './dto/committee.dto.js';
import { GovernanceLogService } from './governance-log.service.js';

interface MandateRow { id: string; member_id: string; designation: string; position: string; starts_on: string; ends_on: string; cohort: number | null; in_office: boolean }
interface ConflictRow { id: string; member_id: string; outlet_id: string; nature: string; note: string | null; declared_at: Date }

const MANDATE_COLS = `id, member_id, designation, position, starts_on::text AS starts_on, ends_on::text AS ends_on, cohort,
  (starts_on <= (now() AT TIME ZONE 'Europe/Paris')::date AND ends_on >= (now() AT TIME ZONE 'Europe/Paris')::date) AS in_office`;
const toMandate = (r: MandateRow): MandateDto => ({ id: r.id, memberId: r.member_id, designation: r.designation, position: r.position, startsOn: r.starts_on, endsOn: r.ends_on, cohort: r.cohort, inOffice: r.in_office });
const toConflict = (r: ConflictRow): ConflictDto => ({ id: r.id, memberId: r.member_id, outletId: r.outlet_id, nature: r.nature, note: r.note, declaredAt: r.declared_at.toISOString() });

export interface Elector { memberId: string; number: string; userId: string | null; recusal: string | null }

/** Committee mandates and conflict-of-interest declarations, and the electorate they give at an instant. */
@Injectable()
export class CommitteeService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly audit: AuditService,
    private readonly log: GovernanceLogService,
  ) {}

  @Transactional()
  async addMandate(caisseId: string, dto: CreateMandateDto): Promise<MandateDto> {
    if (dto.endsOn <= dto.startsOn) throw new ValidationFailed({ endsOn: ['endsOn must be after startsOn'] });
    await this.members.get(caisseId, dto.memberId);
    // One seat per member at a time: a second overlapping mandate would count the member twice in the electorate.
    const overlap: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM committee_mandates WHERE caisse_id = $1 AND member_id = $2 AND starts_on <= $4 AND ends_on >= $3 FOR UPDATE`,
      [caisseId, dto.memberId, dto.startsOn, dto.endsOn],
    );
    if (overlap.length) throw new Conflict('MANDATE_OVERLAP', 'This member already holds a mandate over part of this period.');
    const [row]: MandateRow[] = await this.txHost.tx.query(
      `INSERT INTO committee_mandates (caisse_id, member_id, designation, position, starts_on, ends_on, cohort) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MANDATE_COLS}`,
      [caisseId, dto.memberId, dto.designation, dto.position.trim(), dto.startsOn, dto.endsOn, dto.cohort ?? null],
    );
    const mandate = toMandate(row);
    await this.audit.record({ caisseId, action: 'governance.mandate.create', targetType: 'committee-mandate', targetId: mandate.id, after: mandate });
    const { number } = await this.members.get(caisseId, dto.memberId);
    // The public log names members by pseudonym only.
    await this.log.append(caisseId, 'committee.mandate', { mandateId: mandate.id, member: number, designation: mandate.designation, position: mandate.position, startsOn: mandate.startsOn, endsOn: mandate.endsOn, cohort: mandate.cohort });
    return mandate;
  }

  async mandates(caisseId: string): Promise<MandateDto[]> {
    const rows: MandateRow[] = await this.txHost.tx.query(`SELECT ${MANDATE_COLS} FROM committee_mandates WHERE caisse_id = $1 ORDER BY starts_on, id`, [caisseId]);
    return rows.map(toMandate);
  }

  /** Which seats end when, per cohort: what a renewal by thirds has to fill next. */
  async renewalByThirds(caisseId: string): Promise<RenewalByThirdsDto[]> {
    const rows: { cohort: number; ends_on: string | null; ids: string[] }[] = await this.txHost.tx.query(
      `SELECT cohort, max(ends_on)::text AS ends_on, array_agg(id ORDER BY id) AS ids FROM committee_mandates
        WHERE caisse_id = $1 AND cohort IS NOT NULL AND ends_on >= (now() AT TIME ZONE 'Europe/Paris')::date GROUP BY cohort ORDER BY cohort`,
      [caisseId],
    );
    return rows.map((r) => ({ cohort: r.cohort, endsOn: r.ends_on, mandateIds: r.ids }));
  }

  @Transactional()
  async declareConflict(caisseId: string, dto: CreateConflictDto): Promise<ConflictDto> {
    await this.members.get(caisseId, dto.memberId);
    await this.outlets.standingAt(caisseId, dto.outletId);
    const rows: ConflictRow[] = await this.txHost.tx.query(
      `INSERT INTO conflict_declarations (caisse_id, member_id, outlet_id, nature, note) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member_id, outlet_id) DO NOTHING RETURNING id, member_id, outlet_id, nature, note, declared_at`,
      [caisseId, dto.memberId, dto.outletId, dto.nature, dto.note?.trim() ?? null],
    );
    if (!rows.length) throw new Conflict('CONFLICT_ALREADY_DECLARED', 'This member already declared a conflict of interest with this outlet.');
    const conflict = toConflict(rows[0]);
    await this.audit.record({ caisseId, action: 'governance.conflict.declare', targetType: 'conflict-declaration', targetId: conflict.id, after: conflict });
    return conflict;
  }

  async conflicts(caisseId: string): Promise<ConflictDto[]> {
    const rows: ConflictRow[] = await this.txHost.tx.query(`SELECT id, member_id, outlet_id, nature, note, declared_at FROM conflict_declarations WHERE caisse_id = $1 ORDER BY declared_at, id`, [caisseId]);
    return rows.map(toConflict);
  }

  /**
   * Members in office on the day of `at` (Paris), with a recusal for those who declared a conflict with the outlet.
   * The user account linked to each member is captured too, so a committee user can vote as that member.
   */
  async electorateAt(caisseId: string, at: Date, outletId: string | null): Promise<Elector[]> {
    const rows: { member_id: string; nature: string | null }[] = await this.txHost.tx.query(
      `SELECT DISTINCT m.member_id, c.nature FROM committee_mandates m
         LEFT JOIN conflict_declarations c ON c.member_id = m.member_id AND c.outlet_id = $3
        WHERE m.caisse_id = $1 AND m.starts_on <= ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date AND m.ends_on >= ($2::timestamptz AT TIME ZONE 'Europe/Paris')::date
        ORDER BY m.member_id`,
      [caisseId, at, outletId],
    );
    const electors: Elector[] = [];
    for (const r of rows) {
      const member = await this.members.get(caisseId, r.member_id);
      if (member.status !== 'active') continue;
      electors.push({ memberId: r.member_id, number: member.number, userId: member.userId, recusal: r.nature ? `declared conflict of interest (${r.nature})` : null });
    }
    return electors;
  }
}
