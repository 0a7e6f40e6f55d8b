import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { GrantNotFound } from './contributions.errors.js';
import { ContributorsService } from './contributors.service.js';
import type { ContributorDto } from './dto/contributor.dto.js';
import type { GrantDto, GrantInputDto, TrancheDto, TrancheInputDto } from './dto/grant.dto.js';
import { FundsService } from './funds.service.js';

interface GrantRow {
  id: string;
  contributor_id: string;
  reference: string;
  amount: string;
  received: string;
  period_from: string;
  period_to: string;
  fund: string | null;
  notified_on: string;
  entry_id: string;
  number: string;
  kind: string;
}

const GRANT_SELECT = `SELECT g.id, g.contributor_id, g.reference, g.amount::text, g.received::text, to_char(g.period_from, 'YYYY-MM-DD') AS period_from,
  to_char(g.period_to, 'YYYY-MM-DD') AS period_to, g.fund, to_char(g.notified_on, 'YYYY-MM-DD') AS notified_on, g.entry_id, c.number, c.kind
  FROM grant_agreements g JOIN contributors c ON c.id = g.contributor_id`;

/** Public funders: 441/741 per funder; everyone else pledges through 4687 and 7551 (accounting.md). */
function accountsOf(kind: string, number: string): { receivable: string; income: string } {
  return kind === 'public-funder' ? { receivable: `441-${number}`, income: `741-${number}` } : { receivable: `4687-${number}`, income: '7551' };
}

/** Grant agreements (notified amounts) and the tranches paid against them, each line carrying fund and grant. */
@Injectable()
export class GrantsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly contributors: ContributorsService,
    private readonly funds: FundsService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: GrantInputDto): Promise<GrantDto> {
    if (dto.to < dto.from) throw new ValidationFailed({ to: ['to must not be before from'] });
    const fund = await this.funds.assertExists(caisseId, dto.fund, 'fund');
    const contributor = await this.contributors.get(caisseId, dto.contributorId).catch((e: unknown) => {
      if (e instanceof NotFound) throw new ValidationFailed({ contributorId: ['no such contributor in this caisse'] });
      throw e;
    });
    if (contributor.kind === 'individual') throw new ValidationFailed({ contributorId: ['an individual donor gives; only organisations sign grant agreements'] });
    const [dup] = await this.txHost.tx.query(`SELECT 1 FROM grant_agreements WHERE caisse_id = $1 AND reference = $2`, [caisseId, dto.reference]);
    if (dup) throw new Conflict('GRANT_REFERENCE_TAKEN', `A grant with reference ${dto.reference} already exists.`);
    const acc = await this.ensureAccounts(caisseId, contributor);
    const notifiedOn = dto.notifiedOn ?? dto.from;
    const amount = formatMoney(dto.amount);
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'COT',
      date: notifiedOn,
      label: `Convention ${dto.reference} — ${contributor.number}`,
      pieceRef: dto.reference,
      idempotencyKey: `grant:${caisseId}:${dto.reference}`,
      fields: { date: dto.notifiedOn ? 'notifiedOn' : 'from', amount: 'amount' },
      lines: [
        { account: acc.receivable, debit: amount, fund: fund ?? undefined, grant: dto.reference },
        { account: acc.income, credit: amount, fund: fund ?? undefined, grant: dto.reference },
      ],
    });
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO grant_agreements (caisse_id, contributor_id, reference, amount, period_from, period_to, fund, notified_on, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [caisseId, contributor.id, dto.reference, amount, dto.from, dto.to, fund, notifiedOn, entry.id],
    );
    const grant = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.grant-created', targetType: 'grant', targetId: id, after: grant });
    return grant;
  }

  @Transactional()
  async addTranche(caisseId: string, grantId: string, dto: TrancheInputDto): Promise<GrantDto> {
    const [row]: GrantRow[] = await this.txHost.tx.query(`${GRANT_SELECT} WHERE g.caisse_id = $1 AND g.id = $2 FOR UPDATE OF g`, [caisseId, grantId]);
    if (!row) throw new GrantNotFound(grantId);
    const remaining = money(row.amount).minus(row.received);
    if (money(dto.amount).greaterThan(remaining)) {
      throw new ValidationFailed({ amount: [`the tranche exceeds what remains to be received on the grant (${formatMoney(remaining)})`] });
    }
    const acc = accountsOf(row.kind, row.number);
    const amount = formatMoney(dto.amount);
    const bank = await this.ledger.bankAccount(caisseId, dto.bankAccount);
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO grant_tranches (grant_id, amount, received_on, entry_id) VALUES ($1, $2, $3, gen_random_uuid()) RETURNING id`,
      [grantId, amount, dto.receivedOn],
    );
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'BQ',
      date: dto.receivedOn,
      label: `Versement convention ${row.reference}`,
      pieceRef: row.reference,
      idempotencyKey: `grant-tranche:${id}`,
      fields: { date: 'receivedOn', amount: 'amount' },
      lines: [
        { account: bank.account, debit: amount, fund: row.fund ?? undefined, grant: row.reference },
        { account: acc.receivable, credit: amount, fund: row.fund ?? undefined, grant: row.reference },
      ],
    });
    await this.txHost.tx.query(`UPDATE grant_tranches SET entry_id = $2 WHERE id = $1`, [id, entry.id]);
    await this.txHost.tx.query(`UPDATE grant_agreements SET received = received + $2 WHERE id = $1`, [grantId, amount]);
    const grant = await this.get(caisseId, grantId);
    await this.audit.record({ caisseId, action: 'contributions.grant-tranche-received', targetType: 'grant', targetId: grantId, after: { trancheId: id, amount, receivedOn: dto.receivedOn } });
    return grant;
  }

  /** The funder's oldest grant still waiting for money, if any: where its next payment belongs. */
  async openOf(caisseId: string, contributorId: string): Promise<{ id: string; reference: string; remaining: string } | undefined> {
    const [row]: { id: string; reference: string; remaining: string }[] = await this.txHost.tx.query(
      `SELECT id, reference, (amount - received)::text AS remaining FROM grant_agreements
        WHERE caisse_id = $1 AND contributor_id = $2 AND received < amount ORDER BY period_from, created_at, id LIMIT 1`,
      [caisseId, contributorId],
    );
    return row && { ...row, remaining: formatMoney(row.remaining) };
  }

  async list(caisseId: string): Promise<GrantDto[]> {
    const rows: GrantRow[] = await this.txHost.tx.query(`${GRANT_SELECT} WHERE g.caisse_id = $1 ORDER BY g.created_at, g.id`, [caisseId]);
    return Promise.all(rows.map((r) => this.toDto(r)));
  }

  async get(caisseId: string, id: string): Promise<GrantDto> {
    const [row]: GrantRow[] = await this.txHost.tx.query(`${GRANT_SELECT} WHERE g.caisse_id = $1 AND g.id = $2`, [caisseId, id]);
    if (!row) throw new GrantNotFound(id);
    return this.toDto(row);
  }

  private async ensureAccounts(caisseId: string, c: ContributorDto): Promise<{ receivable: string; income: string }> {
    const label = this.contributors.accountLabel(c);
    const receivable = await this.ledger.ensureAuxAccount({ caisseId, number: c.kind === 'public-funder' ? '441' : '4687', aux: c.number, label });
    const income = c.kind === 'public-funder' ? await this.ledger.ensureAuxAccount({ caisseId, number: '741', aux: c.number, label }) : '7551';
    return { receivable, income };
  }

  private async toDto(r: GrantRow): Promise<GrantDto> {
    const tranches: TrancheDto[] = (
      await this.txHost.tx.query(
        `SELECT id, amount::text, to_char(received_on, 'YYYY-MM-DD') AS received_on, entry_id FROM grant_tranches WHERE grant_id = $1 ORDER BY created_at, id`,
        [r.id],
      )
    ).map((t: { id: string; amount: string; received_on: string; entry_id: string }) => ({ id: t.id, amount: t.amount, receivedOn: t.received_on, entryId: t.entry_id }));
    const acc = accountsOf(r.kind, r.number);
    return {
      id: r.id,
      contributorId: r.contributor_id,
      reference: r.reference,
      amount: r.amount,
      received: r.received,
      remaining: formatMoney(money(r.amount).minus(r.received)),
      from: r.period_from,
      to: r.period_to,
      fund: r.fund,
      notifiedOn: r.notified_on,
      receivableAccount: acc.receivable,
      incomeAccount: acc.income,
      entryId: r.entry_id,
      tranches,
    };
  }
}
