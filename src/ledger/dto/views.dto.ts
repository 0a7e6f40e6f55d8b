import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOURNALS } from '../ledger.types.js';

export class EntryLineViewDto {
  @ApiProperty() lineNo: number;
  @ApiProperty({ example: '4671-M000042' }) account: string;
  @ApiProperty() accountLabel: string;
  @ApiProperty({ example: '12.50' }) debit: string;
  @ApiProperty({ example: '0.00' }) credit: string;
  @ApiPropertyOptional({ nullable: true, type: String }) fund: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) grant: string | null;
}

export class EntryViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Global number in the caisse\'s books, in validation order (what the seals chain over)' }) entryNo: number;
  @ApiProperty({ example: '2026-01-01', description: 'First day of the fiscal year of the entry date' }) fiscalYear: string;
  @ApiProperty({ description: 'Continuous number within the fiscal year, in validation order (FEC EcritureNum)' }) yearEntryNo: number;
  @ApiProperty({ enum: JOURNALS }) journal: string;
  @ApiProperty({ example: '2026-11-26' }) date: string;
  @ApiProperty() label: string;
  @ApiProperty() pieceRef: string;
  @ApiProperty() idempotencyKey: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Entry this one reverses' }) reverses: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Entry that reversed this one' }) reversedBy: string | null;
  @ApiProperty({ description: 'SHA-256 of the canonical content' }) contentHash: string;
  @ApiProperty() validatedAt: string;
  @ApiProperty({ type: [EntryLineViewDto] }) lines: EntryLineViewDto[];
}

export class AccountViewDto {
  @ApiProperty({ example: '4671-M000042' }) code: string;
  @ApiProperty({ example: '4671' }) number: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'M000042' }) aux: string | null;
  @ApiProperty() label: string;
  @ApiProperty({ example: 'wallet' }) kind: string;
  @ApiProperty({ enum: ['D', 'C'] }) normalSide: string;
  @ApiProperty() noOverdraft: boolean;
  @ApiProperty({ description: 'Added by the caisse (open chart)' }) custom: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'supplier', description: 'Kept per third party of this kind' }) auxiliaryKind: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ example: '150.00', description: 'Total debits posted' }) debit: string;
  @ApiProperty({ example: '200.00', description: 'Total credits posted' }) credit: string;
  @ApiProperty({ example: '-50.00', description: 'Debits minus credits (negative: credit balance)' }) balance: string;
}

export class CounterpartDto {
  @ApiProperty({ example: '401-O000012' }) account: string;
  @ApiProperty({ example: 'Épicerie solidaire du Faubourg' }) label: string;
}

export class AccountLineViewDto {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() entryNo: number;
  @ApiProperty() journal: string;
  @ApiProperty() date: string;
  @ApiProperty() label: string;
  @ApiProperty() pieceRef: string;
  @ApiProperty() debit: string;
  @ApiProperty() credit: string;
  @ApiProperty({ description: 'Running balance (debits − credits) after this line' }) balance: string;
  @ApiProperty({ type: [CounterpartDto], description: 'Other accounts of the entry, e.g. the outlet a wallet paid' }) counterparts: CounterpartDto[];
}

export class AccountLinesPageDto {
  @ApiProperty({ type: [AccountLineViewDto] }) items: AccountLineViewDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TrialBalanceAccountDto {
  @ApiProperty() number: string;
  @ApiProperty() label: string;
  @ApiProperty() debit: string;
  @ApiProperty() credit: string;
  @ApiProperty() balance: string;
}

class TotalsDto {
  @ApiProperty() debit: string;
  @ApiProperty() credit: string;
}

export class TrialBalanceDto {
  @ApiProperty() at: string;
  @ApiProperty({ type: [TrialBalanceAccountDto] }) accounts: TrialBalanceAccountDto[];
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
}

export class VerifyProblemDto {
  @ApiProperty({ enum: ['entry-hash', 'entry-unbalanced', 'numbering', 'balance', 'seal', 'overdraft'] }) kind: string;
  @ApiProperty() detail: string;
  @ApiPropertyOptional() entryId?: string;
  @ApiPropertyOptional() entryNo?: number;
  @ApiPropertyOptional() account?: string;
  @ApiPropertyOptional() seal?: number;
}

export class VerifyReportDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() checkedEntries: number;
  @ApiProperty() checkedAccounts: number;
  @ApiProperty() checkedSeals: number;
  @ApiProperty({ type: [VerifyProblemDto] }) problems: VerifyProblemDto[];
}

export class SealViewDto {
  @ApiProperty() seq: number;
  @ApiProperty() fromEntryNo: number;
  @ApiProperty() toEntryNo: number;
  @ApiProperty() entriesHash: string;
  @ApiProperty({ type: TotalsDto, description: 'Running grand totals through toEntryNo' }) totals: TotalsDto;
  @ApiProperty() previousHash: string;
  @ApiProperty() sealHash: string;
  @ApiProperty() sealedAt: string;
}

export class ClosingViewDto {
  @ApiProperty({ example: '2026-10' }) period: string;
  @ApiProperty() closedAt: string;
  @ApiProperty({ example: '2026-10-31' }) closedThrough: string;
  @ApiProperty() lastEntryNo: number;
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
}
