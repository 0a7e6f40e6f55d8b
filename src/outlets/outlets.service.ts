import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/request-context/principal.js';
import { TransactionHost } from '../database/transaction.js';
import { OutletAccess } from './outlet-access.service.js';
import type { CoverageInForce } from './coverage.js';
import type { OutletGridDto } from './dto/criteria.dto.js';
import type { EvidenceContentDto } from './dto/evidence.dto.js';
import { OutletCriteriaService } from './outlet-criteria.service.js';
import { OutletEvidenceService } from './outlet-evidence.service.js';
import { OutletCoverageService } from './outlet-coverage.service.js';
import type { ReviewDueDto } from './dto/review.dto.js';
import type { TransitionDto } from './dto/transition.dto.js';
import { OutletGate, type OutletStanding } from './outlet-gate.service.js';
import type { OutletStatus } from './outlet-lifecycle.js';
import { OutletLifecycleService } from './outlet-lifecycle.service.js';
import { OutletReviewService } from './outlet-review.service.js';
import { OutletTerminalsService } from './outlet-terminals.service.js';
import { OutletRegistry } from './outlet-registry.service.js';
import type { CreateOutletDto } from './dto/outlet.dto.js';
import type { CreatedTerminalDto, TerminalDto } from './dto/terminal.dto.js';
import { OutletNotFound } from './outlets.errors.js';
import type { OutletPayee, OutletProfile } from './outlets.types.js';
import { statusColumns, statusJoin } from './outlet-status.sql.js';

interface PayeeRow {
  id: string;
  code: string;
  name: string;
  legal_name: string;
  iban: string;
  bic: string | null;
  account_code: string;
  street_name: string | null;
  building_number: string | null;
  postcode: string | null;
  commune_name: string | null;
  country: string | null;
  address: string | null;
  iban_changed_at: Date | null;
}
import type { Page } from '../common/pagination/cursor.js';
import type { ListOutletsQueryDto } from './dto/list-outlets.query.js';
import type { OutletDto } from './dto/outlet.dto.js';
import { audienceOf } from './outlet-access.service.js';
import { OutletReader } from './outlet-reader.service.js';

/**
 * Facade of the outlets module: what purchases and settlements ask about an outlet. Every method joins the
 * caller's transaction and reads the database on each call (never a cache: a revocation must hold everywhere at
 * once). caisseId may be omitted when the caller only has the outlet (e.g. a terminal principal resolved it).
 */
@Injectable()
export class OutletsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly gate: OutletGate,
    private readonly coverage: OutletCoverageService,
    private readonly lifecycle: OutletLifecycleService,
    private readonly review: OutletReviewService,
    private readonly access: OutletAccess,
    private readonly reader: OutletReader,
    private readonly criteria: OutletCriteriaService,
    private readonly evidence: OutletEvidenceService,
    private readonly terminalKeys: OutletTerminalsService,
    private readonly registry: OutletRegistry,
  ) {}

  /**
   * Passes only while the outlet is conventionné (or its renewal is due) at `at`, and returns its name and payable
   * account for the posting; throws OUTLET_NOT_ACCEPTING (409) otherwise, NOT_FOUND for an unknown outlet.
   */
  assertCanAccept(caisseId: string | undefined, outletId: string, at: Date = new Date()): Promise<OutletStanding> {
    return this.gate.assertCanAccept(caisseId, outletId, at);
  }

  /** Status, terms and acceptance at an instant, without throwing for a refusal. */
  standingAt(caisseId: string | undefined, outletId: string, at: Date = new Date()): Promise<OutletStanding> {
    return this.gate.standingAt(caisseId, outletId, at);
  }

  /** Coverage rates in force on the day of `at` (null: none, nothing is covered). Apply with rateFor(). */
  coverageAt(caisseId: string | undefined, outletId: string, at: Date = new Date()): Promise<CoverageInForce | null> {
    return this.coverage.inForce(caisseId, outletId, at);
  }

  /** Who to pay, and the ledger account the payout settles. */
  async payee(caisseId: string, outletId: string): Promise<OutletPayee> {
    const [payee] = await this.payees(caisseId, [outletId]);
    if (!payee) throw new OutletNotFound(outletId);
    return payee;
  }

  /** Payees of the caisse in code order: all of them, or those listed (unknown ids are left out). */
  async payees(caisseId: string, outletIds?: string[]): Promise<OutletPayee[]> {
    const rows: PayeeRow[] = await this.txHost.tx.query(
      `SELECT id, code, name, legal_name, iban, bic, account_code, street_name, building_number, postcode, commune_name, country, address, iban_changed_at
         FROM outlets WHERE caisse_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY code`,
      [caisseId, outletIds ?? null],
    );
    return rows.map((r) => ({
      outletId: r.id,
      code: r.code,
      name: r.name,
      legalName: r.legal_name,
      iban: r.iban,
      bic: r.bic,
      accountCode: r.account_code,
      address: { street: r.street_name, building: r.building_number, postcode: r.postcode, town: r.commune_name, country: r.country, line: r.address },
      ibanChangedAt: r.iban_changed_at,
    }));
  }

  /** 404 unless the principal may see this outlet (its staff, managers, committee): for documents about one outlet. */
  async assertCanSee(principal: Principal, caisseId: string, outletId: string): Promise<void> {
    await this.access.assertCanSee(principal, caisseId, outletId);
  }

  /**
   * The lifecycle step an adopted committee decision causes, in the caller's transaction (governance closes the
   * decision and moves the outlet atomically). The decision is checked through the OUTLET_DECISIONS port.
   */
  transitionByDecision(
    caisseId: string,
    outletId: string,
    step: { to: OutletStatus; decisionId: string; reason: string; effectiveAt?: Date; reviewOn?: string; validUntil?: string },
  ): Promise<TransitionDto> {
    return this.lifecycle.transition(caisseId, outletId, step);
  }

  /** Outlets whose review, validity or documents fall due within `within` days (the governance agenda). */
  reviewDue(caisseId: string, within?: number): Promise<ReviewDueDto[]> {
    return this.review.due(caisseId, within);
  }

  /** Every outlet of the caisse with kind, labels, commune and its status at the end of `at` (a date, Paris time). */
  async profilesAt(caisseId: string, at: string): Promise<OutletProfile[]> {
    const rows: { id: string; code: string; name: string; kind: string; labels: string[]; commune: string; commune_name: string | null; status: string | null }[] =
      await this.txHost.tx.query(
        `SELECT o.id, o.code, o.name, o.kind, o.labels, o.commune, o.commune_name, ${statusColumns('e.instant')}
           FROM outlets o CROSS JOIN (SELECT (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris') - interval '1 microsecond' AS instant) e
           ${statusJoin('o.id', 'e.instant')}
          WHERE o.caisse_id = $1 ORDER BY o.code`,
        [caisseId, at],
      );
    return rows.map((r) => ({ outletId: r.id, code: r.code, name: r.name, kind: r.kind, labels: r.labels, commune: r.commune, communeName: r.commune_name, status: r.status }));
  }

  /**
   * The committee's dossier of an outlet, as the API's routes give it to this principal (404 when it may not see
   * it): the outlet, its criteria grid in force with answers and documents, and every lifecycle step.
   */
  async dossier(caisseId: string, outletId: string, principal: Principal): Promise<{ outlet: OutletDto; grid: OutletGridDto; history: TransitionDto[] }> {
    const audience = await this.access.assertCanSee(principal, caisseId, outletId);
    const outlet = await this.reader.get(caisseId, outletId, audience);
    const grid = await this.criteria.grid(caisseId, outletId);
    return { outlet, grid, history: await this.lifecycle.history(caisseId, outletId) };
  }

  /** One supporting document with its content (base64), for whoever may see the outlet. */
  async evidenceContent(caisseId: string, outletId: string, evidenceId: string, principal: Principal): Promise<EvidenceContentDto> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.evidence.content(caisseId, outletId, evidenceId);
  }

  /**
   * Outlets as this principal may see them (the API's audiences: all for managers and the committee, the ones they
   * staff for cashiers, the directory of accepting outlets for members), with their places and hours.
   */
  list(caisseId: string, query: ListOutletsQueryDto, principal: Principal): Promise<Page<OutletDto>> {
    return this.reader.list(caisseId, query, audienceOf(principal, caisseId));
  }

  /** The outlet's till keys, newest first, with their last use (never the keys). */
  terminals(caisseId: string, outletId: string): Promise<TerminalDto[]> {
    return this.terminalKeys.list(caisseId, outletId);
  }

  /** Issues a till key for the outlet; the key is in this answer only (its hash is kept). */
  issueTerminal(caisseId: string, outletId: string, label: string): Promise<CreatedTerminalDto> {
    return this.terminalKeys.create(caisseId, outletId, label);
  }

  /** Revokes a till key at once: its next request, and any till session it opened, is refused. */
  revokeTerminal(caisseId: string, outletId: string, terminalId: string): Promise<TerminalDto> {
    return this.terminalKeys.revoke(caisseId, outletId, terminalId);
  }

  /** Registers a producer or point of sale (candidate) as the API's POST …/outlets: its payable account opens with it. */
  register(caisseId: string, dto: CreateOutletDto, principal: Principal): Promise<OutletDto> {
    return this.registry.create(caisseId, dto, audienceOf(principal, caisseId));
  }
}
