import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldErrors, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { PlaceDto, PlaceInputDto } from './dto/place.dto.js';
import { hoursErrors, roundConflicts, type Slot } from './opening-hours.js';
import { OutletNotFound } from './outlets.errors.js';

interface PlaceRow {
  id: string;
  outlet_id: string;
  kind: string;
  label: string;
  address: string | null;
  commune: string;
  commune_name: string | null;
  always_open: boolean;
  access_notes: string | null;
  hours: Slot[];
}

const PLACE_SELECT = `
  SELECT p.id, p.outlet_id, p.kind, p.label, p.address, p.commune, p.commune_name, p.always_open, p.access_notes,
         coalesce((SELECT json_agg(json_build_object('weekday', h.weekday, 'opens', to_char(h.opens, 'HH24:MI'),
                                                     'closes', CASE WHEN h.closes = '24:00' THEN '24:00' ELSE to_char(h.closes, 'HH24:MI') END)
                                   ORDER BY h.weekday, h.opens)
                     FROM outlet_place_hours h WHERE h.place_id = p.id), '[]') AS hours
    FROM outlet_places p`;

function toDto(r: PlaceRow): PlaceDto {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    address: r.address,
    commune: r.commune,
    communeName: r.commune_name,
    alwaysOpen: r.always_open,
    accessNotes: r.access_notes,
    hours: r.hours,
  };
}

/** Points of sale, market pitches, mobile-grocery stops and lockers of an outlet, with their weekly hours. */
@Injectable()
export class OutletPlacesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async list(caisseId: string, outletId: string): Promise<PlaceDto[]> {
    return (await this.forOutlets(caisseId, [outletId])).get(outletId) ?? [];
  }

  /** Active places of several outlets in one query (outlet listings embed them). */
  async forOutlets(caisseId: string, outletIds: string[]): Promise<Map<string, PlaceDto[]>> {
    const out = new Map<string, PlaceDto[]>();
    if (outletIds.length === 0) return out;
    const rows: PlaceRow[] = await this.txHost.tx.query(
      `${PLACE_SELECT} WHERE p.caisse_id = $1 AND p.outlet_id = ANY($2::uuid[]) AND p.archived_at IS NULL ORDER BY p.created_at, p.id`,
      [caisseId, outletIds],
    );
    for (const r of rows) out.set(r.outlet_id, [...(out.get(r.outlet_id) ?? []), toDto(r)]);
    return out;
  }

  @Transactional()
  async add(caisseId: string, outletId: string, dto: PlaceInputDto): Promise<PlaceDto> {
    await this.checkInput(caisseId, outletId, dto, null);
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO outlet_places (caisse_id, outlet_id, kind, label, address, commune, commune_name, always_open, access_notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [caisseId, outletId, dto.kind, dto.label.trim(), dto.address ?? null, dto.commune, dto.communeName ?? null, dto.alwaysOpen ?? false, dto.accessNotes ?? null],
    );
    await this.writeHours(id, dto.hours);
    const place = await this.one(caisseId, outletId, id);
    await this.audit.record({ caisseId, action: 'outlet.place-added', targetType: 'outlet', targetId: outletId, after: place });
    return place;
  }

  /** Replaces a place and its whole week of hours (the form a volunteer edits is the whole place). */
  @Transactional()
  async replace(caisseId: string, outletId: string, placeId: string, dto: PlaceInputDto): Promise<PlaceDto> {
    await this.checkInput(caisseId, outletId, dto, placeId);
    const before = await this.one(caisseId, outletId, placeId);
    await this.txHost.tx.query(
      `UPDATE outlet_places SET kind = $3, label = $4, address = $5, commune = $6, commune_name = $7, always_open = $8,
              access_notes = $9, updated_at = now() WHERE id = $1 AND outlet_id = $2`,
      [placeId, outletId, dto.kind, dto.label.trim(), dto.address ?? null, dto.commune, dto.communeName ?? null, dto.alwaysOpen ?? false, dto.accessNotes ?? null],
    );
    await this.txHost.tx.query(`DELETE FROM outlet_place_hours WHERE place_id = $1`, [placeId]);
    await this.writeHours(placeId, dto.hours);
    const after = await this.one(caisseId, outletId, placeId);
    await this.audit.record({ caisseId, action: 'outlet.place-updated', targetType: 'outlet', targetId: outletId, before, after });
    return after;
  }

  @Transactional()
  async archive(caisseId: string, outletId: string, placeId: string): Promise<PlaceDto> {
    await this.lockOutlet(caisseId, outletId);
    const place = await this.one(caisseId, outletId, placeId);
    await this.txHost.tx.query(`UPDATE outlet_places SET archived_at = now() WHERE id = $1`, [placeId]);
    await this.audit.record({ caisseId, action: 'outlet.place-removed', targetType: 'outlet', targetId: outletId, before: place });
    return place;
  }

  async activeCount(outletId: string): Promise<number> {
    const [{ n }] = await this.txHost.tx.query(`SELECT count(*)::int AS n FROM outlet_places WHERE outlet_id = $1 AND archived_at IS NULL`, [outletId]);
    return n;
  }

  private async one(caisseId: string, outletId: string, placeId: string): Promise<PlaceDto> {
    const rows: PlaceRow[] = await this.txHost.tx.query(`${PLACE_SELECT} WHERE p.id = $1 AND p.outlet_id = $2 AND p.caisse_id = $3 AND p.archived_at IS NULL`, [
      placeId,
      outletId,
      caisseId,
    ]);
    if (!rows[0]) throw new NotFound('Place', placeId);
    return toDto(rows[0]);
  }

  /** Locks the outlet (so two edits of a van's round cannot both pass the overlap check) and returns its kind. */
  private async lockOutlet(caisseId: string, outletId: string): Promise<string> {
    const rows: { kind: string }[] = await this.txHost.tx.query(`SELECT kind FROM outlets WHERE id = $1 AND caisse_id = $2 FOR UPDATE`, [outletId, caisseId]);
    if (!rows[0]) throw new OutletNotFound(outletId);
    return rows[0].kind;
  }

  private async checkInput(caisseId: string, outletId: string, dto: PlaceInputDto, placeId: string | null): Promise<void> {
    const outletKind = await this.lockOutlet(caisseId, outletId);
    const errors: FieldErrors = { ...hoursErrors(dto.hours) };
    if (dto.kind === 'stop' && outletKind !== 'mobile-grocery') errors.kind = ['kind stop is for the rounds of a mobile grocery; use shop, market, locker or pickup'];
    if (dto.alwaysOpen && dto.hours.length) errors.hours = ['an always-open place has no opening hours: send hours: [] or alwaysOpen: false'];
    if (!dto.alwaysOpen && dto.hours.length === 0) errors.hours = ['give the opening hours, or alwaysOpen: true for a place open at all hours'];
    if (dto.kind === 'stop' && dto.alwaysOpen) errors.alwaysOpen = ['a stop of a mobile grocery has hours: the van moves on'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    if (dto.kind !== 'stop') return;
    const others: { label: string; hours: Slot[] }[] = (await this.forOutlets(caisseId, [outletId])).get(outletId)?.filter((p) => p.kind === 'stop' && p.id !== placeId) ?? [];
    const clashes = roundConflicts(dto.hours, others);
    if (Object.keys(clashes).length) throw new DomainError('ROUND_OVERLAP', 409, 'The stop overlaps another stop of the round.', { errors: clashes });
  }

  private async writeHours(placeId: string, hours: Slot[]): Promise<void> {
    if (!hours.length) return;
    await this.txHost.tx.query(
      `INSERT INTO outlet_place_hours (place_id, weekday, opens, closes)
       SELECT $1, x.weekday, x.opens::time, x.closes::time FROM unnest($2::int[], $3::text[], $4::text[]) AS x(weekday, opens, closes)`,
      [placeId, hours.map((h) => h.weekday), hours.map((h) => h.opens), hours.map((h) => h.closes)],
    );
  }
}
