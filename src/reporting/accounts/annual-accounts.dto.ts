import { ApiProperty } from '@nestjs/swagger';
import { YearClosingDto } from '../../ledger/dto/year-end.dto.js';

export class YearColumn {
  @ApiProperty({ example: '1250.00' }) current: string;
  @ApiProperty({ example: '980.00', description: 'Same rubrique, previous fiscal year' }) previous: string;
}

export class AccountsLine extends YearColumn {
  @ApiProperty({ example: 'Actif circulant' }) section: string;
  @ApiProperty({ example: 'Disponibilités' }) label: string;
}

class YearBounds {
  @ApiProperty({ example: '2026-01-01' }) start: string;
  @ApiProperty({ example: '2026-12-31' }) last: string;
}

class CaisseRef {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) siren: string | null;
}

class BalanceSheetTotals {
  @ApiProperty({ type: YearColumn }) assets: YearColumn;
  @ApiProperty({ type: YearColumn }) liabilities: YearColumn;
}

class BalanceSheet {
  @ApiProperty({ type: [AccountsLine] }) assets: AccountsLine[];
  @ApiProperty({ type: [AccountsLine], description: 'Fonds propres (with the result), fonds dédiés, provisions, dettes' }) liabilities: AccountsLine[];
  @ApiProperty({ type: BalanceSheetTotals }) totals: BalanceSheetTotals;
}

class IncomeTotals {
  @ApiProperty({ type: YearColumn }) revenue: YearColumn;
  @ApiProperty({ type: YearColumn }) expenses: YearColumn;
  @ApiProperty({ type: YearColumn, description: 'Produits − charges' }) result: YearColumn;
}

class IncomeStatement {
  @ApiProperty({ type: [AccountsLine] }) revenue: AccountsLine[];
  @ApiProperty({ type: [AccountsLine] }) expenses: AccountsLine[];
  @ApiProperty({ type: IncomeTotals }) totals: IncomeTotals;
}

export class DedicatedFundLine {
  @ApiProperty({ example: '194-F0001' }) account: string;
  @ApiProperty({ nullable: true, type: String, example: 'F0001' }) funder: string | null;
  @ApiProperty() label: string;
  @ApiProperty() opening: string;
  @ApiProperty({ description: 'Reports en fonds dédiés of the year (689x)' }) allotted: string;
  @ApiProperty({ description: 'Utilisations of the year (789x)' }) released: string;
  @ApiProperty() closing: string;
}

export class GrantLine {
  @ApiProperty() grant: string;
  @ApiProperty({ nullable: true, type: String }) fund: string | null;
  @ApiProperty({ nullable: true, type: String }) funder: string | null;
  @ApiProperty({ description: 'Recognised as income this year (7x)' }) notified: string;
  @ApiProperty({ description: 'Cash received this year' }) received: string;
  @ApiProperty({ description: 'Earlier fonds dédiés used this year' }) released: string;
  @ApiProperty({ description: 'Left unused, allotted to fonds dédiés' }) allotted: string;
  @ApiProperty({ description: 'notified + released − allotted' }) used: string;
}

export class AnnualAccounts {
  @ApiProperty({ type: CaisseRef }) caisse: CaisseRef;
  @ApiProperty({ type: YearBounds }) fiscalYear: YearBounds;
  @ApiProperty({ type: YearBounds }) previousYear: YearBounds;
  @ApiProperty({ type: YearClosingDto, nullable: true, description: 'The annual closing, or null while the year is open' }) closing: YearClosingDto | null;
  @ApiProperty({ type: BalanceSheet }) balanceSheet: BalanceSheet;
  @ApiProperty({ type: IncomeStatement }) incomeStatement: IncomeStatement;
  @ApiProperty({ type: [DedicatedFundLine] }) dedicatedFunds: DedicatedFundLine[];
  @ApiProperty({ type: [GrantLine] }) grants: GrantLine[];
}
