import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, Forbidden, NotFound } from '../common/errors/domain-error.js';
import { type Principal, rolesIn } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CreateOutletDto, OutletDto, UpdateOutletDto } from './dto/outlet.dto.js';
import { type Audience } from './outlet-access.service.js';
import { currentActor } from './outlet-actor.js';
import { OutletReader, type OutletRow } from './outlet-reader.service.js';
import { OutletNotFound } from './outlets.errors.js';

/** Outlet code: "O" + 8 digits from a per-caisse counter, pseudonymous (no name in the books' auxiliary codes). */
const outletCode = (n: number) => `O${String(n).padStart(8, '0')}`;

function pgError(e: unknown): { code?: string; constraint?: string } | undefined {
  return e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
}

function siretTaken(siret: string): Conflict {
  return new Conflict('SIRET_TAKEN', `An outlet of this caisse is already registered with SIRET ${siret}.`, {
    errors: { siret: ['siret is already registered in this caisse'] },
  });
}

/** Columns a PATCH may change, with the DTO field each comes from. */
const COLUMNS: [keyof UpdateOutletDto, string][] = [
  ['legalName', 'legal_name'],
  ['name', 'name'],
  ['siret', 'siret'],
  ['kind', 'kind'],
  ['labels', 'labels'],
  ['address', 'address'],
  ['postcode', 'postcode'],
  ['commune', 'commune'],
  ['communeName', 'commune_name'],
  ['streetName', 'street_name'],
  ['buildingNumber', 'building_number'],
  ['country', 'country'],
  ['iban', 'iban'],
  ['bic', 'bic'],
];

/** Registration and changes of outlets; the payable account is opened in the same transaction. */
@Injectable()
export class OutletRegistry {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly reader: OutletReader,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateOutletDto, audience: Audience): Promise<OutletDto> {
    const tx = this.txHost.tx;
    let counter: { last_no: number }[];
    try {
      // The counter row also serialises concurrent registrations of one caisse.
      counter = await tx.query(
        `INSERT INTO outlet_counters (caisse_id, last_no) VALUES ($1, 1)
         ON CONFLICT (caisse_id) DO UPDATE SET last_no = outlet_counters.last_no + 1 RETURNING last_no`,
        [caisseId],
      );
    } catch (e) {
      // Only the platform admin passes the guard for a caisse that does not exist: same answer as others get.
      if (pgError(e)?.code === '23503') throw new NotFound('Caisse', caisseId);
      throw e;
    }
    const code = outletCode(counter[0].last_no);
    const name = dto.name.trim();
    const accountCode = await this.ledger.ensureAuxAccount({ caisseId, number: '401', aux: code, label: name });
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO outlets (caisse_id, code, legal_name, name, siret, kind, labels, address, postcode, commune, commune_name,
                            iban, bic, contact_name, contact_email, contact_phone, account_code, street_name, building_number, country)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (caisse_id, siret) DO NOTHING RETURNING id`,
      [
        caisseId, code, dto.legalName.trim(), name, dto.siret, dto.kind, dto.labels ?? [], dto.address ?? null, dto.postcode ?? null,
        dto.commune, dto.communeName ?? null, dto.iban, dto.bic ?? null, dto.contact?.name ?? null, dto.contact?.email ?? null,
        dto.contact?.phone ?? null, accountCode, dto.streetName ?? null, dto.buildingNumber ?? null,
        dto.country ?? null,
      ],
    );
    if (inserted.length === 0) throw siretTaken(dto.siret);
    const id = inserted[0].id;
    await tx.query(
      `INSERT INTO outlet_transitions (caisse_id, outlet_id, seq, from_status, to_status, effective_at, actor_kind, actor_id, reason)
       VALUES ($1, $2, 1, NULL, 'candidate', now(), $3, $4, 'registered')`,
      [caisseId, id, ...currentActor()],
    );
    const outlet = await this.reader.get(caisseId, id, audience);
    await this.audit.record({ caisseId, action: 'outlet.created', targetType: 'outlet', targetId: id, after: { ...dto, code, accountCode } });
    return outlet;
  }

  /**
   * Changes only what the PATCH sends. A new IBAN or BIC redirects the caisse's payouts: only a treasurer may make
   * that change, and it gets an audit row of its own with the old and new details.
   */
  @Transactional()
  async update(caisseId: string, outletId: string, dto: UpdateOutletDto, principal: Principal, audience: Audience): Promise<OutletDto> {
    const tx = this.txHost.tx;
    const locked: unknown[] = await tx.query(`SELECT id FROM outlets WHERE id = $1 AND caisse_id = $2 FOR UPDATE`, [outletId, caisseId]);
    if (locked.length === 0) throw new OutletNotFound(outletId);
    const before = await this.reader.row(caisseId, outletId);
    const changes = COLUMNS.filter(([field, column]) => dto[field] !== undefined && !sameValue(dto[field], before[column as keyof OutletRow]));
    const contactChanged = dto.contact !== undefined && !sameValue(contactOf(dto.contact), contactOf(rowContact(before)));
    const payoutChanged = changes.some(([field]) => field === 'iban' || field === 'bic');
    if (payoutChanged && !rolesIn(principal, caisseId).includes('treasurer')) {
      throw new Forbidden('Changing the IBAN or BIC of an outlet redirects its payouts: only a treasurer may do it.');
    }
    if (changes.length === 0 && !contactChanged) return this.reader.get(caisseId, outletId, audience);

    const sets = changes.map(([field, column], i) => ({ sql: `${column} = $${i + 3}`, value: normalise(field, dto[field]) }));
    if (contactChanged) {
      const c = contactOf(dto.contact);
      for (const [column, value] of [['contact_name', c.name], ['contact_email', c.email], ['contact_phone', c.phone]] as const) {
        sets.push({ sql: `${column} = $${sets.length + 3}`, value });
      }
    }
    try {
      // When the IBAN changed is what settlements flag: a payout to a new IBAN needs a confirmation at approval.
      const ibanChanged = changes.some(([field]) => field === 'iban') ? ', iban_changed_at = now()' : '';
      await tx.query(`UPDATE outlets SET ${sets.map((s) => s.sql).join(', ')}${ibanChanged}, updated_at = now() WHERE id = $1 AND caisse_id = $2`, [
        outletId,
        caisseId,
        ...sets.map((s) => s.value),
      ]);
    } catch (e) {
      if (pgError(e)?.constraint === 'uq_outlets_siret') throw siretTaken(String(dto.siret));
      throw e;
    }
    // The payable account's label is what members read on their wallet statements: it follows the trade name.
    if (changes.some(([field]) => field === 'name')) await this.ledger.renameAccount(caisseId, before.account_code, normalise('name', dto.name) as string);
    const was: Record<string, unknown> = Object.fromEntries(changes.map(([field, column]) => [field, before[column as keyof OutletRow]]));
    const is: Record<string, unknown> = Object.fromEntries(changes.map(([field]) => [field, normalise(field, dto[field])]));
    if (contactChanged) {
      was.contact = rowContact(before);
      is.contact = contactOf(dto.contact);
    }
    await this.audit.record({ caisseId, action: 'outlet.updated', targetType: 'outlet', targetId: outletId, before: was, after: is });
    if (payoutChanged) {
      await this.audit.record({
        caisseId,
        action: 'outlet.iban-changed',
        targetType: 'outlet',
        targetId: outletId,
        before: { iban: before.iban, bic: before.bic },
        after: { iban: dto.iban ?? before.iban, bic: dto.bic === undefined ? before.bic : dto.bic },
      });
    }
    return this.reader.get(caisseId, outletId, audience);
  }
}

function normalise(field: keyof UpdateOutletDto, value: unknown): unknown {
  if (typeof value === 'string' && (field === 'name' || field === 'legalName')) return value.trim();
  return value ?? null;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function rowContact(r: OutletRow) {
  return { name: r.contact_name, email: r.contact_email, phone: r.contact_phone };
}

function contactOf(c: { name?: string | null; email?: string | null; phone?: string | null } | null | undefined) {
  return { name: c?.name ?? null, email: c?.email ?? null, phone: c?.phone ?? null };
}
