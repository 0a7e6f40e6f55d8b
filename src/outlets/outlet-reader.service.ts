import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { maskIban } from '../common/validation/identifiers.js';
import { TransactionHost } from '../database/transaction.js';
import { ReadReplica } from '../database/read-replica.js';
import type { ListOutletsQueryDto } from './dto/list-outlets.query.js';
import type { OutletDto } from './dto/outlet.dto.js';
import type { PlaceDto } from './dto/place.dto.js';
import { type Audience, audienceFilter } from './outlet-access.service.js';
import { OutletPlacesService } from './outlet-places.service.js';
import { acceptingCondition, pendingJoin, statusColumns, statusJoin } from './outlet-status.sql.js';
import { isoWeekday } from './opening-hours.js';
import { OutletNotFound } from './outlets.errors.js';

export interface OutletRow {
  id: string;
  code: string;
  legal_name: string;
  name: string;
  siret: string;
  siren: string;
  kind: string;
  labels: string[];
  address: string | null;
  postcode: string | null;
  commune: string;
  commune_name: string | null;
  street_name: string | null;
  building_number: string | null;
  country: string | null;
  iban_changed_at: Date | null;
  iban: string;
  bic: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  account_code: string;
  status: string;
  status_since: Date;
  accepting: boolean;
  review_on: string | null;
  valid_until: string | null;
  pending_to: string | null;
  pending_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Every outlet column plus its status now, terms and next scheduled step. $1 is the caisse. */
const outletSelect = (extraJoin = '') => `
  SELECT o.id, o.code, o.legal_name, o.name, o.siret, o.siren, o.kind, o.labels, o.address, o.postcode, o.commune,
         o.commune_name, o.street_name, o.building_number, o.country, o.iban_changed_at, o.iban, o.bic, o.contact_name, o.contact_email, o.contact_phone, o.account_code,
         o.created_at, o.updated_at, ${statusColumns('now()')}, coalesce(${acceptingCondition('now()')}, false) AS accepting,
         st.review_on::text AS review_on, st.valid_until::text AS valid_until, nx.to_status AS pending_to, nx.effective_at AS pending_at
    FROM outlets o
    ${statusJoin('o.id', 'now()')}
    ${pendingJoin('o.id', 'now()')}
    ${extraJoin}
   WHERE o.caisse_id = $1`;

/** What a caller sees of an outlet: payout details in full only for those who pay; no contact in the public directory. */
export function toOutletDto(r: OutletRow, places: PlaceDto[], audience: Audience): OutletDto {
  const privateView = audience.seesAll || audience.staffUserId !== null || audience.terminalOutletId !== undefined;
  const hasContact = r.contact_name || r.contact_email || r.contact_phone;
  return {
    id: r.id,
    code: r.code,
    legalName: r.legal_name,
    name: r.name,
    siret: r.siret,
    siren: r.siren,
    kind: r.kind,
    labels: r.labels,
    address: r.address,
    postcode: r.postcode,
    commune: r.commune,
    communeName: r.commune_name,
    streetName: r.street_name,
    buildingNumber: r.building_number,
    country: r.country,
    ibanChangedAt: r.iban_changed_at ? r.iban_changed_at.toISOString() : null,
    iban: audience.manager ? r.iban : maskIban(r.iban),
    bic: r.bic,
    contact: privateView && hasContact ? { name: r.contact_name ?? undefined, email: r.contact_email ?? undefined, phone: r.contact_phone ?? undefined } : null,
    accountCode: r.account_code,
    status: r.status,
    statusSince: r.status_since.toISOString(),
    accepting: r.accepting,
    reviewOn: r.review_on,
    validUntil: r.valid_until,
    pendingTransition: r.pending_to && r.pending_at ? { to: r.pending_to, effectiveAt: r.pending_at.toISOString() } : null,
    places,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Reads of the registry: one outlet, or the directory filtered by commune, day, status and kind. */
@Injectable()
export class OutletReader {
  constructor(
    readonly txHost: TransactionHost,
    private readonly places: OutletPlacesService,
    private readonly replica: ReadReplica,
  ) {}

  async row(caisseId: string, outletId: string): Promise<OutletRow> {
    const rows: OutletRow[] = await this.txHost.tx.query(`${outletSelect()} AND o.id = $2`, [caisseId, outletId]);
    if (!rows[0]) throw new OutletNotFound(outletId);
    return rows[0];
  }

  async get(caisseId: string, outletId: string, audience: Audience): Promise<OutletDto> {
    const row = await this.row(caisseId, outletId);
    return toOutletDto(row, await this.places.list(caisseId, outletId), audience);
  }

  async list(caisseId: string, query: ListOutletsQueryDto, audience: Audience): Promise<Page<OutletDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor<{ code: string }>(query.cursor, ['code']);
    const params: unknown[] = [caisseId];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    const visible = audienceFilter(audience, params.length + 1);
    params.push(...visible.params);
    where.push(visible.sql);
    if (after) where.push(`o.code > ${bind(after.code)}`);
    if (query.kind) where.push(`o.kind = ${bind(query.kind)}`);
    if (query.commune || query.openOn) {
      const commune = bind(query.commune ?? null);
      const weekday = bind(query.openOn ? isoWeekday(query.openOn) : null);
      where.push(`EXISTS (SELECT 1 FROM outlet_places p WHERE p.outlet_id = o.id AND p.archived_at IS NULL
                    AND (${commune}::text IS NULL OR p.commune = ${commune})
                    AND (${weekday}::int IS NULL OR p.always_open
                         OR EXISTS (SELECT 1 FROM outlet_place_hours h WHERE h.place_id = p.id AND h.weekday = ${weekday})))`);
    }
    let dayJoin = '';
    if (query.openOn) {
      // Accepting on that day: a revocation scheduled before it hides the outlet already.
      const day = `greatest(now(), (${bind(query.openOn)}::date::timestamp AT TIME ZONE 'Europe/Paris'))`;
      dayJoin = statusJoin('o.id', day, 'sd');
      where.push(`coalesce(${acceptingCondition(day, 'sd')}, false)`);
    }
    const statusFilter = query.status ? `WHERE x.status = ${bind(query.status)}` : '';
    const limitParam = bind(limit + 1);
    // The register may be a few seconds stale: it is read from the replica when there is one (never inside a write).
    const rows: OutletRow[] = await this.replica.query(
      `SELECT x.* FROM (${outletSelect(dayJoin)} AND ${where.join(' AND ')}) x
        ${statusFilter} ORDER BY x.code LIMIT ${limitParam}`,
      params,
    );
    const page = rows.slice(0, limit);
    const places = await this.places.forOutlets(caisseId, page.map((r) => r.id));
    return toPage(rows, limit, (r) => ({ code: r.code }), (r) => toOutletDto(r, places.get(r.id) ?? [], audience));
  }
}
