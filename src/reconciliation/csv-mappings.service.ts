import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CsvMappingDto } from './dto/csv-mapping.dto.js';
import type { CsvMapping } from './parsers/csv-statement.parser.js';

/** The column mapping of each bank account's CSV export, saved once and used by every CSV import of that account. */
@Injectable()
export class CsvMappings {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /** The saved mapping of an account, or undefined (the web form starts from it). */
  async find(caisseId: string, bankAccount: string): Promise<CsvMapping | undefined> {
    const [row]: { mapping: CsvMapping }[] = await this.txHost.tx.query(`SELECT mapping FROM bank_csv_mappings WHERE caisse_id = $1 AND bank_account = $2`, [caisseId, bankAccount]);
    return row?.mapping;
  }

  async get(caisseId: string, bankAccount: string): Promise<CsvMapping> {
    const row = await this.find(caisseId, bankAccount).then((mapping) => mapping && { mapping });
    if (!row) throw new DomainError('CSV_MAPPING_MISSING', 422, `No CSV column mapping is saved for ${bankAccount}: PUT …/bank-accounts/${bankAccount}/csv-mapping first.`, { errors: { bankAccount: ['no CSV mapping saved for this bank account'] } });
    return row.mapping;
  }

  async save(caisseId: string, bankAccount: string, dto: CsvMappingDto): Promise<CsvMappingDto> {
    return this.txHost.run(async () => {
      const banks = await this.ledger.bankAccounts(caisseId);
      if (!banks.some((b) => b.account === bankAccount)) throw new ValidationFailed({ bankAccount: [`${bankAccount} is not a bank account of this caisse`] });
      if (!dto.columns.amount && !(dto.columns.debit && dto.columns.credit)) throw new ValidationFailed({ 'columns.amount': ['give an amount column, or both debit and credit columns'] });
      const mapping: CsvMapping = { delimiter: dto.delimiter as CsvMapping['delimiter'], decimalSeparator: dto.decimalSeparator as CsvMapping['decimalSeparator'], dateFormat: dto.dateFormat as CsvMapping['dateFormat'], columns: { ...dto.columns } };
      await this.txHost.tx.query(
        `INSERT INTO bank_csv_mappings (caisse_id, bank_account, mapping) VALUES ($1, $2, $3)
           ON CONFLICT (caisse_id, bank_account) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
        [caisseId, bankAccount, JSON.stringify(mapping)],
      );
      await this.audit.record({ caisseId, action: 'reconciliation.csv-mapping-saved', targetType: 'bank-account', targetId: bankAccount, after: mapping });
      return dto;
    });
  }
}
